"""Teachers learn on the same engine: the district's teaching practices as competencies of a public framework
("Teaching practices", subject "Professional learning"), a course of them per district (the practices of the
pillars its definition commits to), short approved PD content per practice, and a personal path per teacher
read from their own ``learning.Progress`` (evidence enters through ``learning.services.evidence``; see
``cairn.leaders.teacher_evidence``).

Who sees a teacher's path: the teacher; the leaders of the teacher's school; beyond them (district admins,
platform staff) only when the teacher opts in (``PathSharing.beyond_principal``). The district sees where a
school's teachers need support as counts per level, never names and never a ranking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cairn.accounts.access import roles_of
from cairn.accounts.models import Course, District, Role, RoleAssignment, School, User
from cairn.core.errors import Invalid, NotFound
from cairn.curriculum.models import Competency, Content, CourseCompetency, Framework, Status
from cairn.curriculum.naming import student_words
from cairn.curriculum.sanitize import clean_html
from cairn.curriculum.services.courses import set_course_competencies
from cairn.leaders import selectors
from cairn.leaders.access import district_of_staff
from cairn.leaders.models import PathSharing, PracticeEvidence, PracticeFocus
from cairn.learning.models import Progress

DATA = Path(__file__).parent / "data" / "teaching_practices.json"
NO_EVIDENCE = "none"
SMALLEST_SCHOOL = 3  # a school with fewer teachers shows no counts to the district (they would name people)


@cache
def catalog() -> dict[str, Any]:
    """The shipped practices framework (``data/teaching_practices.json``)."""
    return json.loads(DATA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _identifier(key: str) -> str:
    return f"{catalog()['framework']['identifier']}:{key}"


def _spanish() -> bool:
    return (get_language() or "en").lower().startswith("es")


@dataclass(frozen=True)
class Level:
    key: str
    label: str


def levels() -> list[Level]:
    """The four levels of a practice, lowest first, in the active language."""
    return [Level(row["key"], row["es"] if _spanish() else row["label"]) for row in catalog()["levels"]]


def level_key(progress: Progress | None) -> str:
    """The level a teacher's estimate reads as; ``none`` while no evidence has arrived."""
    if progress is None or not progress.evidence_from:
        return NO_EVIDENCE
    found = catalog()["levels"][0]["key"]
    for row in catalog()["levels"]:
        if progress.mastery >= row["from"]:
            found = row["key"]
    return str(found)


# --- the framework, its content and the district's course (idempotent; a second run changes nothing) ---


def _sync_content(competency: Competency, key: str, part: str, spec: dict[str, str]) -> None:
    kind = Content.Kind.READING if part == "reading" else Content.Kind.OFFLINE
    content, _created = Content.objects.update_or_create(
        identifier=f"{_identifier(key)}:{part}",
        defaults={
            "title": spec["title"],
            "kind": kind,
            "body": clean_html(spec["body"]),
            "status": Status.APPROVED,
            "estimated_minutes": 5 if part == "reading" else 20,
            "source": "Cairn teaching practices",
            "licence": catalog()["framework"]["licence"],
        },
    )
    content.competencies.set([competency])


@transaction.atomic
def sync_framework() -> dict[str, Competency]:
    """The public practices framework, its competencies and PD content as shipped; key -> competency."""
    spec = catalog()["framework"]
    framework, _created = Framework.objects.update_or_create(
        identifier=spec["identifier"],
        defaults={k: spec[k] for k in ("title", "subject", "creator", "version", "licence")}
        | {"district": None, "source": "cairn/leaders/data/teaching_practices.json"},
    )
    found = {}
    for order, practice in enumerate(catalog()["practices"]):
        competency, _created = Competency.objects.update_or_create(
            identifier=_identifier(practice["key"]),
            defaults={
                "framework": framework,
                "code": practice["code"],
                "statement": practice["statement"],
                "student_statement": practice["i_can"],
                "translations": {
                    "es": {
                        "statement": practice["es"]["statement"],
                        "student_statement": practice["es"]["i_can"],
                    }
                },
                "item_type": "Practice",
                "domain": "Teaching practices",
                "list_order": order,
            },
        )
        _sync_content(competency, practice["key"], "reading", practice["reading"])
        _sync_content(competency, practice["key"], "task", practice["task"])
        found[practice["key"]] = competency
    return found


@transaction.atomic
def sync_course(*, district: District) -> Course:
    """The district's teachers' course: the practices of the pillars its current definition names (every
    practice until it has one), in the framework's order. Called when a definition is saved, and by the
    nightly evidence job."""
    competencies = sync_framework()
    definition = selectors.current_definition(district)
    chosen = set(definition.pillars) if definition is not None and definition.pillars else None
    keys = [p["key"] for p in catalog()["practices"] if chosen is None or chosen & set(p["pillars"])] or [
        p["key"] for p in catalog()["practices"]
    ]
    spec = catalog()["course"]
    course, _created = Course.objects.get_or_create(
        district=district, code=spec["code"], defaults={"name": spec["name"], "subject": spec["subject"]}
    )
    set_course_competencies(actor=None, course=course, competency_ids=[competencies[k].pk for k in keys])
    return course


def course_of(district: District | None) -> Course | None:
    if district is None:
        return None
    return Course.objects.filter(district=district, code=catalog()["course"]["code"]).first()


def practices_of(course: Course | None) -> list[Competency]:
    if course is None:
        return []
    rows = CourseCompetency.objects.filter(course=course).select_related("competency").order_by("position")
    return [row.competency for row in rows]


def practice_key(competency: Competency) -> str:
    return competency.identifier.rsplit(":", 1)[-1]


def practice_spec(key: str) -> dict[str, Any]:
    return next(p for p in catalog()["practices"] if p["key"] == key)


# --- one teacher's path ---

# What one piece of evidence says, by its signal: (when done, when not).
DID_WORDS = {
    "small_groups": (gettext_lazy("pulled a small group"), gettext_lazy("no small group marked taught")),
    "station_plans": (
        gettext_lazy("planned a station rotation"),
        gettext_lazy("no station rotation planned"),
    ),
    "tiered_tasks": (gettext_lazy("made a tiered task"), gettext_lazy("no tiered task made")),
}
SHARE_WORDS = {
    "goals_set": gettext_lazy("%(share)s of your students set a weekly goal"),
    "alerts_seen_to": gettext_lazy("%(share)s of Today's alerts seen to"),
}


def evidence_words(piece: PracticeEvidence) -> str:
    """One piece of evidence in words, for the teacher (and whoever may read their path)."""
    if piece.source == PracticeEvidence.Source.WALKTHROUGH:
        return _("walkthrough: seen") if piece.score >= 0.5 else _("walkthrough: not seen yet")
    if piece.signal in DID_WORDS:
        return str(DID_WORDS[piece.signal][0 if piece.score >= 0.5 else 1])
    return str(SHARE_WORDS.get(piece.signal, "%(share)s")) % {"share": f"{round(100 * piece.score)}%"}


@dataclass(frozen=True)
class PracticeRow:
    competency: Competency
    name: str
    statement: str
    level: str  # a level key, or "none"
    level_label: str
    now: str  # what the current level looks like
    next: str  # what the next level looks like ("" at the top)
    evidence: list[tuple[PracticeEvidence, str]]
    content: list[Content]
    working_on: bool


@dataclass(frozen=True)
class TeacherPath:
    teacher: User
    district: District | None
    rows: list[PracticeRow]
    focus: PracticeRow | None  # chosen, else the first practice not yet established
    chosen: bool
    shared: bool


def _descriptor(spec: dict[str, Any], level: str) -> str:
    pair = spec["levels"].get(level)
    return "" if not pair else str(pair[1] if _spanish() else pair[0])


def _row(
    competency: Competency, progress: Progress | None, evidence: list[PracticeEvidence], focus: int | None
) -> PracticeRow:
    spec = practice_spec(practice_key(competency))
    key = level_key(progress)
    order = [row["key"] for row in catalog()["levels"]]
    following = order[1] if key == NO_EVIDENCE else (order[order.index(key) + 1] if key != order[-1] else "")
    labels = {level.key: level.label for level in levels()}
    statement = spec["es"]["statement"] if _spanish() else competency.statement
    return PracticeRow(
        competency=competency,
        name=student_words(competency),
        statement=statement,
        level=key,
        level_label=labels.get(key, ""),
        now=_descriptor(spec, key),
        next=_descriptor(spec, following) if following else "",
        evidence=[(piece, evidence_words(piece)) for piece in evidence[:3]],
        content=list(
            competency.content.filter(status=Status.APPROVED).order_by("-kind", "pk")
        ),  # reading first
        working_on=competency.pk == focus,
    )


def path_for(teacher: User) -> TeacherPath:
    """The teacher's practices with level, recent evidence, PD content and what to learn next."""
    district = district_of_staff(teacher)
    practices = practices_of(course_of(district))
    ids = [c.pk for c in practices]
    progress = {p.competency_id: p for p in Progress.objects.filter(student=teacher, competency_id__in=ids)}
    evidence: dict[int, list[PracticeEvidence]] = {}
    for piece in PracticeEvidence.objects.filter(teacher=teacher, competency_id__in=ids).order_by("-at"):
        evidence.setdefault(piece.competency_id, []).append(piece)
    chosen = PracticeFocus.objects.filter(teacher=teacher, competency_id__in=ids).first()
    focus_id = chosen.competency_id if chosen else None
    rows = [_row(c, progress.get(c.pk), evidence.get(c.pk, []), focus_id) for c in practices]
    focus = next((r for r in rows if r.working_on), None) or next(
        (r for r in rows if r.level in (NO_EVIDENCE, "beginning", "developing")), None
    )
    shared = PathSharing.objects.filter(teacher=teacher, beyond_principal=True).exists()
    return TeacherPath(teacher, district, rows, focus, chosen is not None, shared)


@transaction.atomic
def choose_focus(*, teacher: User, competency_id: int) -> PracticeFocus:
    """The teacher's own choice of what to learn next: one of their district's practices."""
    ids = {c.pk for c in practices_of(course_of(district_of_staff(teacher)))}
    if competency_id not in ids:
        raise Invalid(_("Choose one of your district's teaching practices."), field="competency")
    focus, _created = PracticeFocus.objects.update_or_create(
        teacher=teacher, defaults={"competency_id": competency_id}
    )
    return focus


@transaction.atomic
def set_sharing(*, teacher: User, beyond_principal: bool) -> PathSharing:
    sharing, _created = PathSharing.objects.update_or_create(
        teacher=teacher, defaults={"beyond_principal": beyond_principal}
    )
    return sharing


# --- who may see whom ---


def teacher_schools(teacher: User) -> set[int]:
    rows = RoleAssignment.objects.filter(user=teacher, role=Role.TEACHER, school__isnull=False)
    return set(rows.values_list("school_id", flat=True))


def leads_school_of(viewer: User, teacher: User) -> bool:
    """Whether ``viewer`` is a school leader (principal) of a school the teacher teaches in."""
    led = RoleAssignment.objects.filter(user=viewer, role=Role.SCHOOL_LEADER).values_list(
        "school_id", flat=True
    )
    return bool(set(led) & teacher_schools(teacher))


def leads_school(viewer: User, school: School) -> bool:
    """Whether ``viewer`` is one of the school's own leaders (who see its teachers' paths by name)."""
    return RoleAssignment.objects.filter(user=viewer, role=Role.SCHOOL_LEADER, school=school).exists()


def _beyond_principal(viewer: User, teacher: User) -> bool:
    roles = roles_of(viewer)
    if Role.PLATFORM_ADMIN in roles:
        return True
    district = district_of_staff(teacher)
    return (
        district is not None
        and RoleAssignment.objects.filter(user=viewer, role=Role.DISTRICT_ADMIN, district=district).exists()
    )


def teacher_for_viewer(viewer: User, teacher_id: int) -> User:
    """The teacher whose path ``viewer`` may read, else NotFound (the same answer for "no such teacher")."""
    teacher = User.objects.filter(pk=teacher_id, role_assignments__role=Role.TEACHER).distinct().first()
    if teacher is None:
        raise NotFound("No such teacher.")
    if viewer.pk == teacher.pk or leads_school_of(viewer, teacher):
        return teacher
    shared = PathSharing.objects.filter(teacher=teacher, beyond_principal=True).exists()
    if shared and _beyond_principal(viewer, teacher):
        return teacher
    raise NotFound("No such teacher.")


def school_teachers(school: School) -> list[User]:
    ids = RoleAssignment.objects.filter(role=Role.TEACHER, school=school).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk"))


def shared_teachers(school: School) -> list[User]:
    """The school's teachers who opted in to share their path beyond their principal (by name, not rank)."""
    ids = RoleAssignment.objects.filter(role=Role.TEACHER, school=school).values("user_id")
    shared = PathSharing.objects.filter(beyond_principal=True, teacher_id__in=ids).values("teacher_id")
    return list(User.objects.filter(pk__in=shared).order_by("last_name", "first_name", "pk"))
