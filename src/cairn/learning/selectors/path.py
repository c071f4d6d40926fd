"""A student's path: every competency of their course as mastered, in progress, ready or locked (with the
reason), from stored progress, teacher overrides and release rules. What a path covers (a course, a
section's list, a student's courses) is :mod:`.scope`'s; progress is the student's wherever a competency
appears. Reads only; no model runs here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cairn.accounts.models import Course, Enrolment, Section, User
from cairn.curriculum.models import Competency, Item, Prerequisite
from cairn.curriculum.models import Status as ContentStatus
from cairn.curriculum.naming import opens_when
from cairn.curriculum.ownership import approved_items_for, student_district_ids
from cairn.engine import graph
from cairn.engine.release import (
    AfterActivity,
    CompetencyState,
    DiagnosticAbove,
    Facts,
    FromDate,
    Rule,
    Status,
    WhenMastered,
    evaluate,
    rule_from_dict,
)
from cairn.learning.diagnostics import diagnostic_level
from cairn.learning.models import ActivityCompletion, PathOverride, Progress, ReleaseRule
from cairn.learning.selectors.overrides import TeacherMarks, marks
from cairn.learning.selectors.release_rules import date_words, level_words
from cairn.learning.selectors.scope import Scope, section_scope, student_scope, student_scopes


@dataclass(frozen=True)
class PathRow:
    competency_id: int
    code: str
    statement: str
    domain: str
    status: Status
    reasons: tuple[str, ...]  # for staff: names competencies by code
    set_by_teacher: bool
    mastery: float
    uncertainty: float
    attempts: int
    checking: bool
    spinning: bool
    review_due: dt.datetime | None
    student_statement: str = ""
    student_reasons: tuple[str, ...] = ()  # the same reasons for the student: no codes
    mastered_by: str = ""  # check, teacher or diagnostic (Progress.mastered_by)
    evidence_from: tuple[str, ...] = ()  # other tools whose evidence moved the estimate (Progress)
    # The "I can" statement in other languages (Competency.translations), read by curriculum.naming.
    translations: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Path:
    rows: list[PathRow]
    edges: list[tuple[str, str]]  # (prerequisite, competency)

    def by_code(self) -> dict[str, PathRow]:
        return {row.code: row for row in self.rows}

    def counts(self) -> dict[str, int]:
        counts = {str(status): 0 for status in Status}
        for row in self.rows:
            counts[row.status] += 1
        return counts


def path_competencies(scope: Scope | None = None, *, districts: Any = ...) -> list[Competency]:
    """The competencies of ``scope`` with approved practice, prerequisites first; among equals the course's
    order. With no scope (or the global one, for data without courses): every competency with approved
    practice, among equals by code. ``districts`` (a district, its id, or a query of ids): practice approved
    for them (cairn.curriculum.ownership); left out, practice approved anywhere."""
    approved = (
        Item.objects.filter(status=ContentStatus.APPROVED)
        if districts is ...
        else approved_items_for(districts)
    )
    found = Competency.objects.filter(items__in=approved)
    if scope is not None and scope.ids is not None:
        found = found.filter(pk__in=list(scope.ids))
    competencies = list(found.distinct().order_by("list_order", "code"))
    edges = prerequisite_edges(competencies)
    if scope is None or scope.ids is None:
        in_order = graph.topological_order([c.code for c in competencies], edges)
        order = {code: i for i, code in enumerate(in_order)}
        return sorted(competencies, key=lambda c: order[c.code])
    # The sort breaks ties by key: key each competency by its place in the course.
    ranks = scope.ids
    ranked = sorted(competencies, key=lambda c: (ranks[c.pk], c.list_order, c.code))
    key = {c.code: f"{i:06d}" for i, c in enumerate(ranked)}
    in_order = graph.topological_order(key.values(), [(key[a], key[b]) for a, b in edges])
    order = {k: i for i, k in enumerate(in_order)}
    return sorted(competencies, key=lambda c: order[key[c.code]])


def for_section(section: Section) -> list[Competency]:
    """The section's path competencies: its course's, with its teacher's changes (see :mod:`.scope`)."""
    return path_competencies(section_scope(section), districts=section.school.district_id)


def for_student(student: User, *, course: Course | None = None) -> list[Competency]:
    """The student's path competencies in ``course``, or over all their current courses."""
    return path_competencies(student_scope(student, course=course), districts=student_district_ids(student))


def prerequisite_edges(competencies: Sequence[Competency]) -> list[tuple[str, str]]:
    """(prerequisite code, competency code) for the prerequisites among ``competencies``."""
    ids = {c.pk: c.code for c in competencies}
    return [
        (ids[pre], ids[comp])
        for pre, comp in Prerequisite.objects.filter(
            competency_id__in=ids, prerequisite_id__in=ids
        ).values_list("prerequisite_id", "competency_id")
    ]


def path_states(
    students: Sequence[User],
    competencies: Sequence[Competency],
    edges: Sequence[tuple[str, str]],
    today: dt.date,
    *,
    progress: Iterable[tuple[int, int, str, int]] | None = None,
    active_overrides: Iterable[tuple[int, int, str]] | None = None,
) -> dict[int, dict[str, CompetencyState]]:
    """Every student's status per competency code, with the reasons: the one evaluation behind a student's
    own path and a teacher's class view. ``progress`` rows are (student id, competency id, status, attempts)
    and ``active_overrides`` (student id, competency id, action); both are read here unless given."""
    ids = [s.pk for s in students]
    codes = [c.code for c in competencies]
    code_of = {c.pk: c.code for c in competencies}
    prerequisites: dict[str, list[str]] = {code: [] for code in codes}
    for pre, comp in edges:
        prerequisites[comp].append(pre)
    if progress is None:
        progress = Progress.objects.filter(student_id__in=ids, competency_id__in=list(code_of)).values_list(
            "student_id", "competency_id", "status", "attempts"
        )
    mastered, started = _mastered_and_started(progress, code_of)
    if active_overrides is None:
        active_overrides = PathOverride.objects.filter(student_id__in=ids, active=True).values_list(
            "student_id", "competency_id", "action"
        )
    active: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for sid, cid, action in active_overrides:
        if cid in code_of:
            active[sid].append((code_of[cid], action))
    sections_of, courses_of, rule_rows = _sections_and_rules(ids)
    completed: dict[int, set[str]] = defaultdict(set)
    for sid, identifier in ActivityCompletion.objects.filter(student_id__in=ids).values_list(
        "student_id", "content__identifier"
    ):
        completed[sid].add(str(identifier))
    # A student's diagnostic level matters only to "diagnostic above" rules: ask for it only when one applies.
    needs_level = any(rule.kind == "diagnostic_above" for _, _, _, rule in rule_rows)
    result: dict[int, dict[str, CompetencyState]] = {}
    for student in students:
        sid = student.pk
        rules: dict[str, list[Rule]] = {}
        for section_id, course_id, code, rule in rule_rows:
            if (section_id is None and course_id is None) or (
                section_id in sections_of[sid] or course_id in courses_of[sid]
            ):
                rules.setdefault(code, []).append(rule)
        teacher = marks(active[sid])
        facts = Facts(
            mastered=frozenset(mastered[sid] | teacher.skipped),  # a skipped competency holds nothing back
            started=frozenset(started[sid]),
            completed_activities=frozenset(completed[sid]),
            today=today,
            diagnostic_level=diagnostic_level(student) if needs_level else None,
            teacher_unlocked=teacher.unlocked,
            teacher_locked=teacher.locked,
        )
        result[sid] = _with_teacher_notes(evaluate(codes, prerequisites, rules, facts), teacher)
    return result


def _mastered_and_started(
    progress: Iterable[tuple[int, int, str, int]], code_of: dict[int, str]
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per student id: the codes mastered, and the codes answered at least once."""
    mastered: dict[int, set[str]] = defaultdict(set)
    started: dict[int, set[str]] = defaultdict(set)
    for sid, cid, status, attempts in progress:
        if cid not in code_of:
            continue
        if status == Progress.Status.MASTERED:
            mastered[sid].add(code_of[cid])
        if attempts > 0:
            started[sid].add(code_of[cid])
    return mastered, started


def _sections_and_rules(
    ids: list[int],
) -> tuple[dict[int, set[int]], dict[int, set[int]], list[tuple[int | None, int | None, str, Rule]]]:
    """Each student's current sections and their courses, and the release rules that apply to any of them:
    (section id, course id, both None for a rule of every section; competency code; rule)."""
    sections_of: dict[int, set[int]] = defaultdict(set)
    courses_of: dict[int, set[int]] = defaultdict(set)
    for uid, sec, course in (
        Enrolment.objects.current()
        .filter(user_id__in=ids, kind=Enrolment.Kind.STUDENT)
        .values_list("user_id", "section_id", "section__course_id")
    ):
        sections_of[uid].add(sec)
        if course is not None:
            courses_of[uid].add(course)
    all_sections = set().union(*sections_of.values()) if sections_of else set()
    all_courses = set().union(*courses_of.values()) if courses_of else set()
    rule_rows: list[tuple[int | None, int | None, str, Rule]] = [
        (section_id, course_id, code, rule_from_dict(rule))
        for section_id, course_id, code, rule in ReleaseRule.objects.filter(
            Q(section__isnull=True, course__isnull=True)
            | Q(section_id__in=all_sections)
            | Q(course_id__in=all_courses)
        )
        .order_by("pk")
        .values_list("section_id", "course_id", "competency__code", "rule")  # in the order they were set
    ]
    return sections_of, courses_of, rule_rows


def _with_teacher_notes(
    states: dict[str, CompetencyState], teacher: TeacherMarks
) -> dict[str, CompetencyState]:
    """The states with the teacher's note on each competency they changed, while the note is true."""
    for code in teacher.actions.keys() & states.keys():
        state = states[code]
        note = teacher.note(code, state.status)
        if note is not None:
            states[code] = CompetencyState(code, state.status, (note,), set_by_teacher=True)
    return states


def student_paths(student: User, *, today: dt.date | None = None) -> list[tuple[Scope, Path]]:
    """One path per current course (the course's name is ``scope.name``); one global path without courses."""
    return [(scope, student_path(student, scope=scope, today=today)) for scope in student_scopes(student)]


def student_path(
    student: User,
    *,
    course: Course | None = None,
    scope: Scope | None = None,
    today: dt.date | None = None,
) -> Path:
    """The student's path in ``course`` (or ``scope``), else over all their current courses together (what
    practice and the board choose from). Evidence is the student's, not a course's: mastery earned in one
    course shows wherever the competency appears."""
    competencies = path_competencies(
        scope or student_scope(student, course=course), districts=student_district_ids(student)
    )
    edges = prerequisite_edges(competencies)
    progress = {p.competency_id: p for p in Progress.objects.filter(student=student)}
    states = path_states(
        [student],
        competencies,
        edges,
        today or timezone.localdate(),
        progress=[(student.pk, cid, p.status, p.attempts) for cid, p in progress.items()],
    )[student.pk]
    by_code = {c.code: c for c in competencies}
    rows = []
    for c in competencies:
        state = states[c.code]
        p = progress.get(c.pk)
        rows.append(
            PathRow(
                competency_id=c.pk,
                code=c.code,
                statement=c.statement,
                domain=c.domain,
                status=state.status,
                reasons=staff_reasons(state),
                set_by_teacher=state.set_by_teacher,
                mastery=p.mastery if p else 0.0,
                uncertainty=p.uncertainty if p else 0.5,
                attempts=p.attempts if p else 0,
                checking=bool(p and p.status == Progress.Status.CHECKING),
                spinning=bool(p and p.spinning),
                review_due=p.review_due if p else None,
                student_statement=c.student_statement,
                student_reasons=student_reasons(state, by_code),
                mastered_by=p.mastered_by if p and p.status == Progress.Status.MASTERED else "",
                evidence_from=tuple(p.evidence_from) if p else (),
                translations=c.translations or {},
            )
        )
    return Path(rows=rows, edges=edges)


# The engine's words for a teacher's lock and unlock, for the catalog (student_reasons translates them).
TEACHER_SET = (gettext_noop("Locked by your teacher"), gettext_noop("Unlocked by your teacher"))


def staff_reasons(state: CompetencyState) -> tuple[str, ...]:
    """Why a competency is locked, said to staff (competencies by code) in the reader's language: the engine's
    English sentences rebuilt from its data (waiting_on, unmet_rules), or the teacher's notes translated."""
    if state.set_by_teacher or not (state.waiting_on or state.unmet_rules):
        return tuple(_(reason) for reason in state.reasons)
    said = [_("Needs %(code)s first") % {"code": pre} for pre in state.waiting_on]
    for rule in state.unmet_rules:
        if isinstance(rule, WhenMastered):
            said.append(_("Unlocks when %(code)s is mastered") % {"code": rule.competency})
        elif isinstance(rule, AfterActivity):
            said.append(_("Unlocks after the activity “%(title)s”") % {"title": rule.title or rule.activity})
        elif isinstance(rule, FromDate):
            said.append(_("Opens on %(date)s") % {"date": rule.date.isoformat()})
        else:
            said.append(
                _("Unlocks when the diagnostic places you above level %(level)s")
                % {"level": f"{rule.level:g}"}
            )
    return tuple(said)


def student_reasons(state: CompetencyState, by_code: dict[str, Competency]) -> tuple[str, ...]:
    """Why a competency is locked, said to the student: competencies by their "I can" statements."""
    if state.set_by_teacher or not (state.waiting_on or state.unmet_rules):
        # The teacher's notes (English from the engine and the overrides), or nothing: no codes in either.
        return tuple(_(reason) for reason in state.reasons)
    said = [opens_when(by_code[code]) for code in state.waiting_on if code in by_code]
    for rule in state.unmet_rules:
        if isinstance(rule, WhenMastered):
            other = by_code.get(rule.competency) or Competency.objects.filter(code=rule.competency).first()
            said.append(opens_when(other) if other else _("Opens when another skill is mastered"))
        else:
            said.append(student_rule_words(rule))
    return tuple(said)


def student_rule_words(rule: AfterActivity | FromDate | DiagnosticAbove) -> str:
    """A release rule that holds a competency back, said to the student: the diagnostic level and the date
    in the words teachers chose them by (:mod:`~cairn.learning.selectors.release_rules`), never the
    engine's "above level 0.5" or an ISO date."""
    if isinstance(rule, DiagnosticAbove):
        return _("Opens when your diagnostic places you %(level)s") % {"level": level_words(rule.level)}
    if isinstance(rule, FromDate):
        return _("Opens on %(date)s") % {"date": date_words(rule.date)}
    return _("Opens after you do the activity “%(title)s”") % {"title": rule.title or rule.activity}
