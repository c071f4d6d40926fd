"""The personal data assessments holds (see cairn.core.privacy): a student's diagnostic sittings and
answers, and reviewers' decisions on flagged items.

Sittings and their answers stay after erasure, keyed to the anonymous stand-in: item calibration fits its
parameters to them. Typed answers are emptied."""

from typing import Any

from django.db import models

from cairn.core.privacy import Erase, PersonalData, register


def _sitting(row: models.Model) -> dict[str, Any]:
    """A sitting without its frozen bank (the whole item bank, the same for everyone)."""
    return {
        "diagnostic": str(row.diagnostic),  # type: ignore[attr-defined]
        "status": row.status,  # type: ignore[attr-defined]
        "school_year": row.school_year,  # type: ignore[attr-defined]
        "season": row.season,  # type: ignore[attr-defined]
        "stop_reason": row.stop_reason,  # type: ignore[attr-defined]
        "placement": row.placement,  # type: ignore[attr-defined]
        "responses": [
            {"item": str(r.item), "answer": r.answer, "correct": r.correct}
            for r in row.responses.select_related("item").order_by("position")  # type: ignore[attr-defined]
        ],
    }


register(
    PersonalData(
        model="assessments.Administration",
        user_fields=("student",),
        holds="Your diagnostic sittings: the answers you gave and where the result placed you.",
        erase=Erase.ANONYMIZE,
        export=_sitting,
    ),
    PersonalData(
        model="assessments.Response",
        user_fields=("administration__student",),
        holds="Your answers in diagnostics, one row per question (also listed with each sitting).",
        erase=Erase.ANONYMIZE,
        scrub=("answer", "normalized"),
        export=("position", "answer", "correct"),
    ),
    PersonalData(
        model="assessments.ItemCalibration",
        user_fields=("reviewed_by",),
        holds="Flagged questions you reviewed and kept: kept; shown as by “former staff” once erased.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("item", "review", "flag_reason"),
    ),
)
