"""Everything a teacher changes from the insights pages: small groups, tiered tasks, station plans, and the
one-click steps of Today (resolve alerts, pull a group, assign next steps, hide broken content). Path
overrides themselves live in cairn.learning.services.overrides; these functions pick the students and call it.

Each function checks that the person teaches the section now (``Forbidden`` otherwise), validates its input
and writes in one transaction. A bad value, or an id in the input that names nothing usable, is ``Invalid``
naming the field, and changes nothing; a request the thing's current state doesn't allow (regrouping a group
nobody needs any more) is a ``Conflict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import Section, User
from cairn.agency.selectors import minutes_in, week_start
from cairn.core.errors import Conflict, Invalid
from cairn.curriculum.models import Competency, Content, SectionContent
from cairn.curriculum.models import Status as ContentStatus
from cairn.curriculum.services.sections import choose_for_section
from cairn.engine import grouping
from cairn.engine.release import Status
from cairn.insights import selectors
from cairn.insights.access import require_teacher
from cairn.insights.models import SmallGroup, StationPlan, Tier, TieredAssignment, TieredTask
from cairn.learning.models import Alert, PathOverride
from cairn.learning.selectors.path import path_competencies
from cairn.learning.services import overrides

MAX_GROUP = 12  # suggestions hold 3 to 6; a teacher may make a bigger one, but a group is not the class


def _clean_text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    text = " ".join((value or "").split()) if limit <= 300 else (value or "").strip()
    if required and not text:
        raise Invalid(f"The {field.replace('_', ' ')} can't be empty.", field=field)
    if len(text) > limit:
        raise Invalid(f"Keep the {field.replace('_', ' ')} under {limit} characters.", field=field)
    return text


def _members(section: Section, student_ids: Sequence[int]) -> list[User]:
    wanted = list(dict.fromkeys(int(i) for i in student_ids))
    found = {s.pk: s for s in selectors.section_students(section) if s.pk in set(wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise Invalid(
            f"Not students of {section.name} now: {', '.join(str(i) for i in missing)}.", field="students"
        )
    return [found[i] for i in wanted]


def _path_competency(competency_id: int | None, *, required: bool = True) -> Competency | None:
    if competency_id is None:
        if required:
            raise Invalid("Choose a competency.", field="competency")
        return None
    found = next((c for c in path_competencies() if c.pk == competency_id), None)
    if found is None:
        raise Invalid(f"Competency {competency_id} is not on the students' paths.", field="competency")
    return found


def _activity(content_id: int | None) -> Content | None:
    if content_id is None:
        return None
    content = Content.objects.filter(pk=content_id, status=ContentStatus.APPROVED).first()
    if content is None:
        raise Invalid(f"Content {content_id} is not approved content.", field="activity")
    return content


def _snapshot(section: Section, competency: Competency | None, members: Sequence[User]) -> dict[str, float]:
    if competency is None:
        return {}
    state = selectors.class_state(section)
    return {str(s.pk): round(state.cell(s.pk, competency.pk).mastery, 4) for s in members}


# ----------------------------------------------------------------------------------------------- groups
@transaction.atomic
def save_group(
    teacher: User,
    section: Section,
    *,
    student_ids: Sequence[int],
    competency_id: int | None = None,
    activity_id: int | None = None,
    name: str = "",
    note: str = "",
    for_date: dt.date | None = None,
) -> SmallGroup:
    """Keep a group for a lesson (a suggestion as it stands, or one the teacher made up)."""
    require_teacher(teacher, section)
    members = _members(section, student_ids)
    if not members:
        raise Invalid("A group needs at least one student.", field="students")
    if len(members) > MAX_GROUP:
        raise Invalid(f"A small group has at most {MAX_GROUP} students.", field="students")
    competency = _path_competency(competency_id, required=False)
    activity = _activity(activity_id)
    default_name = f"{competency.code} mini-lesson" if competency else "Check-in"
    group = SmallGroup.objects.create(
        section=section,
        competency=competency,
        name=_clean_text("name", name, 120, required=False) or default_name,
        activity=activity,
        note=_clean_text("note", note, 300, required=False),
        for_date=for_date or next_school_day(timezone.localdate()),
        snapshot=_snapshot(section, competency, members),
        created_by=teacher,
    )
    group.students.set(members)
    return group


def next_school_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@transaction.atomic
def update_group(
    teacher: User,
    group: SmallGroup,
    *,
    add: Sequence[int] = (),
    remove: Sequence[int] = (),
    activity_id: int | None = None,
    clear_activity: bool = False,
    name: str | None = None,
    note: str | None = None,
    for_date: dt.date | None = None,
) -> SmallGroup:
    require_teacher(teacher, group.section)
    group = SmallGroup.objects.select_for_update().get(pk=group.pk)
    added = _members(group.section, add)
    current = set(group.students.values_list("pk", flat=True))
    after = (current | {s.pk for s in added}) - {int(i) for i in remove}
    if not after:
        raise Invalid("A group needs at least one student; delete it instead.", field="students")
    if len(after) > MAX_GROUP:
        raise Invalid(f"A small group has at most {MAX_GROUP} students.", field="students")
    if clear_activity:
        group.activity = None
    elif activity_id is not None:
        group.activity = _activity(activity_id)
    if name is not None:
        group.name = _clean_text("name", name, 120)
    if note is not None:
        group.note = _clean_text("note", note, 300, required=False)
    if for_date is not None:
        group.for_date = for_date
    if added:
        fresh = _snapshot(group.section, group.competency, added)
        group.snapshot = {**group.snapshot, **fresh}
    group.save()
    group.students.add(*added)
    group.students.remove(*[i for i in current - after])
    return group


@transaction.atomic
def regroup(teacher: User, group: SmallGroup) -> SmallGroup:
    """Bring a saved group up to date: the current suggestion for its competency that shares the most
    members with it (students who moved on drop out, students who now need it join)."""
    require_teacher(teacher, group.section)
    if group.competency is None:
        raise Conflict("A check-in group has no competency to regroup on.", field="competency")
    state = selectors.class_state(group.section)
    current = set(group.students.values_list("pk", flat=True))
    options = [g for g in selectors.suggested_groups(state).groups if g.competency == group.competency.code]
    if not options:
        raise Conflict(
            f"Nobody in {group.section.name} needs {group.competency.code} next any more: "
            "mark the group taught or delete it.",
            field="competency",
        )
    best = max(options, key=lambda g: (len(current & set(g.students)), -options.index(g)))
    members = _members(group.section, best.students)
    group.students.set(members)
    group.snapshot = {str(s.pk): round(state.cell(s.pk, group.competency.pk).mastery, 4) for s in members}
    group.save()
    return group


@transaction.atomic
def finish_group(teacher: User, group: SmallGroup) -> SmallGroup:
    require_teacher(teacher, group.section)
    group.done_at = timezone.now()
    group.save(update_fields=["done_at", "updated_at"])
    return group


@transaction.atomic
def delete_group(teacher: User, group: SmallGroup) -> None:
    require_teacher(teacher, group.section)
    group.delete()


# ------------------------------------------------------------------------------------------ tiered tasks
@transaction.atomic
def create_tiered_task(
    teacher: User,
    section: Section,
    *,
    competency_id: int | None,
    title: str,
    support: str,
    core: str,
    extend: str,
    support_below: float = 0.4,
    extend_from: float = 0.8,
) -> TieredTask:
    """One task at three levels, and each student's level from their mastery of the competency now."""
    require_teacher(teacher, section)
    competency = _path_competency(competency_id)
    assert competency is not None
    try:
        cuts = grouping.TierCuts(float(support_below), float(extend_from))
    except ValueError as exc:
        raise Invalid(str(exc), field="cuts") from exc
    task = TieredTask.objects.create(
        section=section,
        competency=competency,
        title=_clean_text("title", title, 200),
        support=_clean_text("support", support, 2000),
        core=_clean_text("core", core, 2000),
        extend=_clean_text("extend", extend, 2000),
        support_below=cuts.support_below,
        extend_from=cuts.extend_from,
        created_by=teacher,
    )
    _assign_tiers(task)
    return task


def _assign_tiers(task: TieredTask) -> None:
    state = selectors.class_state(task.section)
    cuts = grouping.TierCuts(task.support_below, task.extend_from)
    evidence = {
        s.pk: (None if cell.attempts == 0 and cell.status != Status.MASTERED else cell.mastery)
        for s in state.students
        for cell in [state.cell(s.pk, task.competency_id)]
    }
    # A student who has mastered it gets the extension whatever the estimate says.
    for s in state.students:
        if state.cell(s.pk, task.competency_id).status == Status.MASTERED:
            evidence[s.pk] = 1.0
    moved = set(task.assignments.filter(moved_by_teacher=True).values_list("student_id", flat=True))
    task.assignments.exclude(student_id__in=moved).delete()
    TieredAssignment.objects.bulk_create(
        TieredAssignment(task=task, student_id=sid, tier=str(tier.value), mastery=evidence[sid])
        for sid, tier in grouping.assign_tiers(evidence, cuts).items()
        if sid not in moved
    )


@transaction.atomic
def retier(teacher: User, task: TieredTask) -> TieredTask:
    """Re-assign levels from mastery now (students the teacher moved by hand stay where they were put)."""
    require_teacher(teacher, task.section)
    _assign_tiers(task)
    return task


@transaction.atomic
def move_to_tier(teacher: User, task: TieredTask, student_id: int | None, tier: str) -> TieredAssignment:
    """Put a student on a level by hand (re-tiering from mastery leaves them there)."""
    require_teacher(teacher, task.section)
    if student_id is None:
        raise Invalid("Choose a student.", field="student")
    if tier not in Tier.values:
        raise Invalid(f"Unknown level {tier!r}: choose {', '.join(Tier.values)}.", field="tier")
    (student,) = _members(task.section, [student_id])
    assignment, _ = TieredAssignment.objects.update_or_create(
        task=task, student=student, defaults={"tier": tier, "moved_by_teacher": True}
    )
    return assignment


# ---------------------------------------------------------------------------------------- station plans
@dataclass(frozen=True)
class StationInput:
    name: str
    kind: str
    activity: str = ""


@transaction.atomic
def plan_stations(
    teacher: User,
    section: Section,
    *,
    title: str,
    lesson_date: dt.date,
    block_minutes: int,
    rotations: int,
    stations: Sequence[StationInput],
) -> StationPlan:
    """Who goes where in each block: Cairn forms one rotation group per station from the students' needs
    and balances screen time (online stations) against teacher and peer time."""
    require_teacher(teacher, section)
    title = _clean_text("title", title, 200)
    if not 5 <= int(block_minutes) <= 90:
        raise Invalid("A block lasts between 5 and 90 minutes.", field="block_minutes")
    parsed = []
    kinds = [k.value for k in grouping.StationKind]
    for i, given in enumerate(stations, start=1):
        name = _clean_text(f"station {i} name", given.name, 60)
        if given.kind not in kinds:
            raise Invalid(f"Station {i}: choose a kind ({', '.join(kinds)}).", field=f"station {i} kind")
        parsed.append(
            (grouping.Station(name, grouping.StationKind(given.kind)), given.activity.strip()[:200])
        )
    state = selectors.class_state(section)
    monday = week_start(state.today)
    students = []
    for s in state.students:
        needs = selectors.needs_of(state, s.pk)
        summary = state.summaries[s.pk]
        students.append(
            grouping.RotationStudent(
                s.pk,
                need=needs[0].competency if needs else None,
                mastery=needs[0].mastery if needs else summary.mean_mastery,
                teacher_priority=1.0 if summary.stuck else 0.0,
                screen_minutes=float(minutes_in(s, monday)),
            )
        )
    try:
        plan = grouping.plan_rotation(students, [station for station, _ in parsed], int(rotations))
    except ValueError as exc:
        raise Invalid(str(exc)[:1].upper() + str(exc)[1:] + ".", field="stations") from exc
    activity_of = {station.name: activity for station, activity in parsed}
    return StationPlan.objects.create(
        section=section,
        title=title,
        lesson_date=lesson_date,
        block_minutes=int(block_minutes),
        stations=[
            {"name": st.name, "kind": st.kind.value, "activity": activity_of[st.name]} for st in plan.stations
        ],
        groups=[list(g) for g in plan.groups],
        focus=list(plan.focus),
        schedule=[list(block) for block in plan.schedule],
        created_by=teacher,
    )


# --------------------------------------------------------------------------------- one-click from Today
@transaction.atomic
def resolve_alerts(teacher: User, section: Section, alert_ids: Sequence[int]) -> int:
    """The teacher has seen to these alerts (students of this section only)."""
    require_teacher(teacher, section)
    ids = [s.pk for s in selectors.section_students(section)]
    return Alert.objects.filter(pk__in=list(alert_ids), student_id__in=ids, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


@transaction.atomic
def assign_next_steps(
    teacher: User, section: Section, student_ids: Sequence[int], reason: str
) -> list[overrides.OverrideResult]:
    """Put each student's next competency first on their board (an "assign" override with the reason)."""
    require_teacher(teacher, section)
    members = _members(section, student_ids)
    state = selectors.class_state(section)
    by_code = state.by_code
    results = []
    for student in members:
        nxt = next(
            (n for n in selectors.needs_of(state, student.pk, depth=60) if not n.spinning),
            None,
        )
        if nxt is None:
            continue
        results.append(
            overrides.override(
                teacher, [student], by_code[nxt.competency], PathOverride.Action.ASSIGN, reason
            )
        )
    if not results:
        raise Conflict("None of them has a competency open to assign.", field="students")
    return results


@transaction.atomic
def assign_challenges(
    teacher: User, section: Section, student_ids: Sequence[int], reason: str
) -> list[overrides.OverrideResult]:
    require_teacher(teacher, section)
    members = _members(section, student_ids)
    state = selectors.class_state(section)
    results = []
    for student in members:
        step = selectors.challenge_step(state, student.pk)
        if step is not None:
            results.append(overrides.override(teacher, [student], step, PathOverride.Action.ASSIGN, reason))
    if not results:
        raise Conflict("None of them has a new competency open to assign.", field="students")
    return results


@transaction.atomic
def hide_content(teacher: User, section: Section, content: Content) -> SectionContent:
    """Take broken content off this class's boards (the library's own rule: a section's teacher may)."""
    require_teacher(teacher, section)
    return choose_for_section(teacher, section, content, SectionContent.Action.HIDE)


# ------------------------------------------------------------------------------------------- overrides
@transaction.atomic
def override(
    teacher: User,
    section: Section,
    *,
    competency_id: int | None,
    action: str,
    reason: str,
    student_ids: Sequence[int] = (),
    group_id: int | None = None,
    whole_section: bool = False,
) -> overrides.OverrideResult:
    """An override for some students, a saved group of the section or the whole section."""
    require_teacher(teacher, section)
    if competency_id is None:
        raise Invalid("Choose a competency.", field="competency")
    if whole_section:
        members = selectors.section_students(section)
    elif group_id is not None:
        group = SmallGroup.objects.filter(pk=group_id, section=section).first()
        if group is None:
            raise Invalid(f"No group {group_id} in {section.name}.", field="group")
        members = list(group.students.all())
    else:
        members = _members(section, student_ids)
    if not members:
        raise Invalid("Choose at least one student.", field="students")
    competency = Competency.objects.filter(pk=competency_id).first()
    if competency is None:
        raise Invalid(f"No competency {competency_id}.", field="competency")
    return overrides.override(teacher, members, competency, action, reason)
