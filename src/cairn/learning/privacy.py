"""The personal data learning holds (see cairn.core.privacy): a student's practice, progress and path, and
what teachers set (overrides, release rules, the mastery policy).

Answers, served questions, progress and the learner model's state stay after erasure, keyed to the
anonymous stand-in that belongs to no school or class: item calibration and the learner model's refit count
them, and nothing in them names the student once the typed answers are emptied."""

from typing import Any

from django.db import models

from cairn.core.privacy import Erase, PersonalData, register


def _learner_state(row: models.Model) -> dict[str, Any]:
    """The learner model's state, readable: per competency its code, the estimate that it is known, the
    estimate's uncertainty (SD) and the answers behind it, read through the learner model's own accessors
    (the stored state is a packed binary the student could not read)."""
    from cairn.curriculum.models import Competency
    from cairn.learning import learner  # the model in use; imported late, when apps are ready
    from cairn.learning.models import LearnerState

    assert isinstance(row, LearnerState)
    kt = learner.engine_state(row.state)
    model = learner.current_model()
    ids = [int(pk) for pk in kt["skills"]]
    codes = dict(Competency.objects.filter(pk__in=ids).values_list("pk", "code"))
    competencies = []
    for pk in sorted(ids, key=lambda pk: codes.get(pk, "")):
        found = model.skill_mastery(kt, pk)
        competencies.append(
            {
                "competency": codes.get(pk, str(pk)),
                "estimate": round(float(found.p), 4),
                "sd": round(float(found.sd), 4),
                "answers": int(found.n),
            }
        )
    return {
        "model_name": row.model_name,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
        "competencies": competencies,
    }


_STAFF = "kept; shown as set by “former staff” once the teacher is erased"

register(
    PersonalData(
        model="learning.LearnerState",
        user_fields=("student",),
        holds="The learner model's estimate of what you know: per competency, how likely you know it, how "
        "sure that estimate is (sd) and the answers behind it.",
        erase=Erase.ANONYMIZE,
        export=_learner_state,
    ),
    PersonalData(
        model="learning.Progress",
        user_fields=("student",),
        holds="Your progress on each competency: status, mastery estimate, review schedule.",
        erase=Erase.ANONYMIZE,
    ),
    PersonalData(
        model="learning.ServedItem",
        user_fields=("student",),
        holds="The questions you were given and why.",
        erase=Erase.ANONYMIZE,
        export=("competency", "item", "seed", "purpose"),
    ),
    PersonalData(
        model="learning.Attempt",
        user_fields=("student",),
        holds="Your answers: what you typed, whether it was right, when.",
        erase=Erase.ANONYMIZE,
        scrub=("answer", "normalized", "response"),
        export=("item", "competency", "answer", "correct", "created_at"),
    ),
    PersonalData(
        model="learning.ActivityChoice",
        user_fields=("student",),
        holds="The options your choice board offered you and the one you picked.",
        erase=Erase.DELETE,
    ),
    PersonalData(
        model="learning.ActivityCompletion",
        user_fields=("student",),
        holds="Activities you marked done and the minutes you spent.",
        erase=Erase.DELETE,
    ),
    PersonalData(
        model="learning.PathOverride",
        user_fields=("student",),
        holds="Changes a teacher made to your path (unlock, skip, ...) and the reason they gave.",
        erase=Erase.DELETE,
        export=("competency", "action", "reason", "set_by", "active", "created_at"),
    ),
    PersonalData(
        model="learning.PathOverride",
        user_fields=("set_by",),
        holds=f"Path changes you set for students: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("competency", "action", "active", "created_at"),
    ),
    PersonalData(
        model="learning.Alert",
        user_fields=("student",),
        holds="Alerts your teacher saw about you (stuck on a topic, forgot a mastered one).",
        erase=Erase.DELETE,
    ),
    PersonalData(
        model="learning.ReleaseRule",
        user_fields=("created_by",),
        holds=f"Release rules you wrote for a class: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("competency", "section", "rule", "created_at"),
    ),
    PersonalData(
        model="learning.SectionCompetency",
        user_fields=("set_by",),
        holds=f"Competencies you added to or removed from a class: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("section", "competency", "action", "reason", "active", "created_at"),
    ),
    PersonalData(
        model="learning.MasteryPolicy",
        user_fields=("updated_by",),
        holds=f"The district mastery policy you last changed: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("district", "method", "threshold", "check_items", "check_to_pass", "updated_at"),
    ),
    PersonalData(
        model="learning.ProficiencyScale",
        user_fields=("updated_by",),
        holds=f"The district proficiency scale you last changed: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("district", "levels", "updated_at"),
    ),
)
register(
    PersonalData(
        model="learning.LearnerProfile",
        user_fields=("student",),
        holds="Your learner profile: interests, strengths, how you like to learn, your language, your "
        "reading level and the accommodations of your learning plan.",
        erase=Erase.DELETE,
        export=("interests", "strengths", "preferred_kinds", "language", "accommodations", "updated_at"),
    ),
    PersonalData(
        model="learning.LearnerProfile",
        user_fields=("updated_by",),
        holds="Learner profiles you last changed: kept for the student, shown as by “former staff”.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("updated_at",),
    ),
)
