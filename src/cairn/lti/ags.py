"""Grades back to the LMS: LTI Assignment and Grade Services (AGS) for what a teacher placed in a course.

A placement (``cairn.lti.models.Placement``, made by deep linking) is graded in the LMS's line item for it.
What the score is, on the district's proficiency scale (:mod:`cairn.learning.selectors.proficiency`, the
scale of the grade-book exports):

- a competency: the student's level on it (the top level once mastered), sent when a mastery is recorded;
- an activity: the top level once the student finished it ("Completed");
- the diagnostic: the level the sitting's ability estimate reaches, read as the chance of answering an
  average item right (1 / (1 + e^-θ)), never the mastered level, sent when a sitting finishes.

How grades learn of masteries: learning may not import this app, so it publishes events
(:mod:`cairn.learning.events`) that :func:`subscribe` listens to (from the app's ``ready()``); each event
queues :func:`cairn.lti.tasks.send_score` per placement, a Celery task that retries with backoff while the
LMS is unreachable or refuses. The task finds the line item the LMS made from the deep-linking content item
by its ``resourceId`` (creating it when the LMS did not), remembers its URL, and posts the score for the
student's LMS identity (their ``LtiIdentity`` subject for the platform's issuer). A student Cairn knows no
LMS identity for (never launched from it, nor pulled in by membership) gets no score.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from lti_tool.models import LtiContext
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from cairn.accounts.models import Enrolment, User
from cairn.assessments.models import Administration
from cairn.learning.models import ActivityCompletion, Progress
from cairn.learning.selectors import proficiency
from cairn.lti.models import LtiIdentity, Placement

logger = logging.getLogger(__name__)
SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
TAG = "cairn"


@dataclass(frozen=True)
class Score:
    given: float
    maximum: float
    label: str
    completed: bool


def scopes(context: LtiContext) -> list[str]:
    """The AGS scopes the platform granted in its launches (django-lti keeps them on the context)."""
    granted = [
        (context.can_manage_lineitems, "lineitem"),
        (context.can_query_lineitems, "lineitem.readonly"),
        (context.can_publish_scores, "score"),
        (context.can_access_results, "result.readonly"),
    ]
    return [SCOPE + name for ok, name in granted if ok]


def service(context: LtiContext, lineitem_url: str = "") -> AssignmentsGradesService:
    """pylti1p3's AGS client for this LMS course, signing with the tool's key of the course's registration."""
    connector = ServiceConnector(context.deployment.registration.to_registration())
    data: dict[str, Any] = {"scope": scopes(context), "lineitems": context.lineitems_url}
    if lineitem_url:
        data["lineitem"] = lineitem_url
    return AssignmentsGradesService(connector, data)  # type: ignore[arg-type]


def placements_for(student: User, kind: str, **filters: Any) -> QuerySet[Placement]:
    """The placements of this kind in the LMS courses linked to classes the student is in now."""
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        user=student,
        kind=Enrolment.Kind.STUDENT,
        start_date__lte=today,
    )
    sections = enrolments.values("section_id")
    return Placement.objects.filter(kind=kind, context__cairn__section__in=sections, **filters).distinct()


def score_for(placement: Placement, student: User, scale: proficiency.Scale) -> Score | None:
    """The student's score for the placement on ``scale``; None while there is nothing to report."""
    if placement.kind == Placement.Kind.COMPETENCY:
        row = Progress.objects.filter(student=student, competency=placement.competency).first()
        if row is None:
            return None
        mastered = row.status == Progress.Status.MASTERED
        level = scale.level(mastered=mastered, attempts=row.attempts, estimate=row.mastery)
        return None if level is None else Score(level.score, scale.highest, level.label, mastered)
    if placement.kind == Placement.Kind.CONTENT:
        done = ActivityCompletion.objects.filter(student=student, content=placement.content).exists()
        return Score(scale.highest, scale.highest, scale.top.label, True) if done else None
    sitting = (
        Administration.objects.filter(student=student, status=Administration.Status.FINISHED)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if sitting is None:
        return None
    chance = 1 / (1 + math.exp(-sitting.theta))
    level = scale.level(mastered=False, attempts=1, estimate=chance)
    assert level is not None  # one "answer": always a level
    return Score(level.score, scale.highest, level.label, True)


def lineitem_for(ags: AssignmentsGradesService, placement: Placement, maximum: float) -> LineItem:
    """The LMS's line item for the placement: known, found by its resourceId, or made now."""
    if placement.lineitem_url:
        return LineItem().set_id(placement.lineitem_url)
    wanted = (
        LineItem()
        .set_resource_id(placement.resource_id)
        .set_tag(TAG)
        .set_label(placement.title)
        .set_score_maximum(maximum)
    )
    found = ags.find_or_create_lineitem(wanted, find_by="resource_id")
    placement.lineitem_url = str(found.get_id() or "")
    Placement.objects.filter(pk=placement.pk).update(lineitem_url=placement.lineitem_url)
    return found


def send_score(*, placement_id: int, student_id: int) -> bool:
    """Post the student's score for the placement to the LMS; False when there is none to post (network and
    LMS errors raise, for the task to retry)."""
    placement = Placement.objects.select_related("context__deployment__registration").get(pk=placement_id)
    student = User.objects.get(pk=student_id)
    registration = placement.context.deployment.registration
    identity = LtiIdentity.objects.filter(user=student, issuer=registration.issuer).first()
    section = placement.context.cairn.section
    scale = proficiency.for_section(section)
    score = score_for(placement, student, scale)
    if identity is None or score is None:
        return False
    ags = service(placement.context, placement.lineitem_url)
    grade = (
        Grade()
        .set_score_given(score.given)
        .set_score_maximum(score.maximum)
        .set_comment(score.label)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress("Completed" if score.completed else "InProgress")
        .set_grading_progress("FullyGraded")
        .set_user_id(identity.subject)
    )
    ags.put_grade(grade, lineitem_for(ags, placement, score.maximum))
    return True
