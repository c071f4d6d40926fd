"""Small groups for a lesson: save one (a suggestion as it stands or one the teacher made), edit it, bring it
up to date with the data (regroup), mark it taught, delete it. A group keeps each member's mastery when they
joined, so its page can show who has moved on since."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.core.errors import Conflict, Invalid
from cairn.curriculum.models import Competency
from cairn.insights import lesson_plans, selectors
from cairn.insights.access import require_teacher
from cairn.insights.models import SmallGroup
from cairn.insights.services.checks import (
    approved_activity,
    clean_text,
    path_competency,
    students_of,
)

MAX_GROUP = 12  # suggestions hold 3 to 6; a teacher may make a bigger one, but a group is not the class


def _snapshot(section: Section, competency: Competency | None, members: Sequence[User]) -> dict[str, float]:
    if competency is None:
        return {}
    state = selectors.class_state(section)
    return {str(s.pk): round(state.cell(s.pk, competency.pk).mastery, 4) for s in members}


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
    members = students_of(section, student_ids)
    if not members:
        raise Invalid(_("A group needs at least one student."), field="students")
    if len(members) > MAX_GROUP:
        raise Invalid(_("A small group has at most %(n)d students.") % {"n": MAX_GROUP}, field="students")
    competency = path_competency(competency_id, section=section, required=False)
    activity = approved_activity(activity_id, section=section)
    default_name = f"{competency.code} mini-lesson" if competency else "Check-in"
    group = SmallGroup.objects.create(
        section=section,
        competency=competency,
        name=clean_text("name", name, 120, required=False) or default_name,
        activity=activity,
        note=clean_text("note", note, 300, required=False),
        for_date=for_date or selectors.next_school_day(timezone.localdate()),
        snapshot=_snapshot(section, competency, members),
        created_by=teacher,
    )
    group.students.set(members)
    return group


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
    added = students_of(group.section, add)
    current = set(group.students.values_list("pk", flat=True))
    after = (current | {s.pk for s in added}) - {int(i) for i in remove}
    if not after:
        raise Invalid(_("A group needs at least one student; delete it instead."), field="students")
    if len(after) > MAX_GROUP:
        raise Invalid(_("A small group has at most %(n)d students.") % {"n": MAX_GROUP}, field="students")
    if clear_activity:
        group.activity = None
    elif activity_id is not None:
        group.activity = approved_activity(activity_id, section=group.section)
    if name is not None:
        group.name = clean_text("name", name, 120)
    if note is not None:
        group.note = clean_text("note", note, 300, required=False)
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
        raise Conflict(_("A check-in group has no competency to regroup on."), field="competency")
    state = selectors.class_state(group.section)
    current = set(group.students.values_list("pk", flat=True))
    others = {
        g.pk: [s.pk for s in g.students.all()]
        for g in lesson_plans.open_groups(group.section)
        if g.pk != group.pk
    }  # students in the section's other open groups stay there
    suggestions = lesson_plans.lesson_suggestions(state, others).groups
    options = [s.group for s in suggestions if s.group.competency == group.competency.code]
    if not options:
        raise Conflict(
            f"Nobody in {group.section.name} needs {group.competency.code} next any more: "
            "mark the group taught or delete it.",
            field="competency",
        )
    best = max(options, key=lambda g: (len(current & set(g.students)), -options.index(g)))
    members = students_of(group.section, best.students)
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
