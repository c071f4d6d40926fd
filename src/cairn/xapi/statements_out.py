"""What Cairn tells the district's LRS, as xAPI 1.0.3 statements: one per answer, mastery, finished activity
and diagnostic sitting.

The student is an account on Cairn (``homePage`` = Cairn's base URL, ``name`` = their user name); verbs are
the ADL vocabulary's (answered, mastered, completed); every activity id is the Cairn page of the thing (an
item, a competency, an activity, a diagnostic), so it resolves; results carry score and success; the context
carries a registration (the student's work on one competency, or one diagnostic sitting) and the competency
as the parent activity. A statement's id is derived from what it reports (uuid5), so the same event always
makes the same statement and an LRS that already has it keeps one copy.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse

from cairn.accounts.models import User
from cairn.curriculum.models import Competency, Content, Item

ADL = "http://adlnet.gov/expapi"
VERBS = {
    "answered": f"{ADL}/verbs/answered",
    "mastered": f"{ADL}/verbs/mastered",
    "completed": f"{ADL}/verbs/completed",
    "voided": f"{ADL}/verbs/voided",
}
ACTIVITY_TYPES = {
    "question": f"{ADL}/activities/cmi.interaction",
    "objective": f"{ADL}/activities/objective",
    "assessment": f"{ADL}/activities/assessment",
    "lesson": f"{ADL}/activities/lesson",
    "media": f"{ADL}/activities/media",
}
INTERACTION = {"choice": "choice", "numeric": "numeric", "text": "fill-in"}
# Cairn's own namespace for statement ids and registrations: the same event always gets the same uuid.
NAMESPACE = uuid.UUID("8f5c2b1e-4c3a-5d6e-9f70-1a2b3c4d5e6f")


def base_url() -> str:
    return str(settings.CAIRN_BASE_URL).rstrip("/")


def page(name: str, *args: Any) -> str:
    """A Cairn page's absolute address: what activity ids are."""
    return base_url() + reverse(name, args=args)


def actor(student: User) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": base_url(), "name": student.username}}


def competency_activity(competency: Competency) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": page("library-competency", competency.pk),
        "definition": {
            "type": ACTIVITY_TYPES["objective"],
            "name": {"en-US": competency.code or competency.identifier},
            "description": {"en-US": competency.statement[:500]},
            **({"moreInfo": competency.uri} if competency.uri else {}),
        },
    }


def registration(student: User, competency: Competency) -> str:
    """The student's work on one competency: one registration for all its statements."""
    return str(uuid.uuid5(NAMESPACE, f"registration:{student.pk}:{competency.pk}"))


def _context(registration_id: str, parent: Competency | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {"registration": registration_id, "platform": "Cairn", "language": "en-US"}
    if parent is not None:
        context["contextActivities"] = {"parent": [competency_activity(parent)]}
    return context


def _statement(key: str, student: User, verb: str, obj: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(NAMESPACE, key)),
        "actor": actor(student),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": obj,
        "timestamp": at.isoformat(),
        "version": "1.0.3",
    }


def answered(
    *, student: User, competency: Competency, item: Item, attempt_key: uuid.UUID, correct: bool,
    response: str, mastery_after: float, at: dt.datetime,
) -> dict[str, Any]:  # fmt: skip
    """An answer to a practice, check or review question: success is whether it was right; the scaled score
    is the learner model's mastery estimate after it (the extension says so)."""
    obj = {
        "objectType": "Activity",
        "id": page("library-item", item.pk),
        "definition": {
            "type": ACTIVITY_TYPES["question"],
            "name": {"en-US": item.title or item.identifier},
            "interactionType": INTERACTION.get(item.kind, "other"),
        },
    }
    statement = _statement(f"answer:{student.pk}:{attempt_key}", student, "answered", obj, at)
    statement["result"] = {
        "success": bool(correct),
        "response": response[:500],
        "score": {"scaled": round(min(max(mastery_after, 0.0), 1.0), 4), "min": 0, "max": 1},
        "extensions": {f"{base_url()}/xapi/extensions/score-is-mastery-estimate": True},
    }
    statement["context"] = _context(registration(student, competency), competency)
    return statement


def mastered(
    *, student: User, competency: Competency, by: str, mastery: float, at: dt.datetime
) -> dict[str, Any]:
    """A competency mastered: by the "show what you know" check, the estimate, a teacher or the diagnostic
    (in the result's extension)."""
    key = f"mastery:{student.pk}:{competency.pk}:{at.isoformat()}"
    statement = _statement(key, student, "mastered", competency_activity(competency), at)
    statement["result"] = {
        "success": True,
        "completion": True,
        "score": {"scaled": round(min(max(mastery, 0.0), 1.0), 4), "min": 0, "max": 1},
        "extensions": {f"{base_url()}/xapi/extensions/mastered-by": by},
    }
    statement["context"] = _context(registration(student, competency))
    return statement


def completed_activity(
    *, student: User, content: Content, competency: Competency | None, at: dt.datetime
) -> dict[str, Any]:
    kind = "media" if content.kind in ("video", "audio", "interactive", "simulation") else "lesson"
    obj = {
        "objectType": "Activity",
        "id": page("learning-activity", content.pk),
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {"en-US": content.title}},
    }
    statement = _statement(f"completion:{student.pk}:{content.pk}", student, "completed", obj, at)
    statement["result"] = {"completion": True}
    if competency is not None:
        statement["context"] = _context(registration(student, competency), competency)
    else:
        statement["context"] = {"platform": "Cairn", "language": "en-US"}
    return statement


def completed_sitting(
    *, student: User, sitting_id: int, diagnostic_id: int, title: str, right: int, answered_count: int,
    theta: float, se: float, mastered_count: int, at: dt.datetime,
) -> dict[str, Any]:  # fmt: skip
    """A finished diagnostic sitting: the score is the share of its questions answered right; the ability
    estimate (logits) and its SE, and how many competencies it placed as mastered, are extensions."""
    obj = {  # the diagnostic on the diagnostics page (starting one is a POST); moreInfo: this sitting
        "objectType": "Activity",
        "id": f"{page('diagnostic-home')}#diagnostic-{diagnostic_id}",
        "definition": {
            "type": ACTIVITY_TYPES["assessment"],
            "name": {"en-US": title},
            "moreInfo": page("diagnostic-result", sitting_id),
        },
    }
    statement = _statement(f"sitting:{sitting_id}", student, "completed", obj, at)
    ext = f"{base_url()}/xapi/extensions"
    statement["result"] = {
        "completion": True,
        "score": {
            "raw": right,
            "min": 0,
            "max": answered_count,
            "scaled": round(right / answered_count, 4) if answered_count else 0.0,
        },
        "extensions": {f"{ext}/ability": round(theta, 4), f"{ext}/ability-se": round(se, 4),
                       f"{ext}/placed-mastered": mastered_count},
    }  # fmt: skip
    registration_id = str(uuid.uuid5(NAMESPACE, f"sitting-registration:{sitting_id}"))
    statement["context"] = {"registration": registration_id, "platform": "Cairn", "language": "en-US"}
    return statement
