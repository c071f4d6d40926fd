"""The personal data insights holds (see cairn.core.privacy): the small groups and task levels a student
was put in, and what teachers planned (groups, tiered tasks, stations), kept under "former staff"."""

from typing import Any

from django.db import models

from cairn.core.privacy import Erase, PersonalData, register

_STAFF = "kept for the class's history; shown as by “former staff” once the teacher is erased"


def _group(row: models.Model) -> dict[str, Any]:
    """A group the student was in, without the other members or their mastery snapshot."""
    return {
        "name": row.name,  # type: ignore[attr-defined]
        "for_date": row.for_date.isoformat(),  # type: ignore[attr-defined]
        "note": row.note,  # type: ignore[attr-defined]
        "activity": str(row.activity) if row.activity_id else None,  # type: ignore[attr-defined]
    }


register(
    PersonalData(
        model="insights.SmallGroup",
        user_fields=("students",),
        holds="Small groups a teacher put you in for a mini-lesson (not who else was in them).",
        erase=Erase.DELETE,
        export=_group,
    ),
    PersonalData(
        model="insights.SmallGroup",
        user_fields=("created_by",),
        holds=f"Small groups you made: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("name", "for_date", "created_at"),
    ),
    PersonalData(
        model="insights.TieredTask",
        user_fields=("created_by",),
        holds=f"Tiered tasks you wrote: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("title", "section", "competency", "created_at"),
    ),
    PersonalData(
        model="insights.TieredAssignment",
        user_fields=("student",),
        holds="The level of each tiered task you were given.",
        erase=Erase.DELETE,
        export=("task", "tier", "mastery", "moved_by_teacher"),
    ),
    PersonalData(
        model="insights.StationPlan",
        user_fields=("created_by",),
        holds=f"Station rotations you planned: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("title", "section", "lesson_date", "created_at"),
    ),
)
