"""Teacher insights over JSON: Today, the class grid, groups, overrides, tiered tasks and station plans.

The same rules as the pages: a section the caller may not see answers 404; changes need a teacher of the
section now (403 otherwise); bad input answers 400 naming the field, and changes nothing. Refusals are the
services' CairnErrors, which the API's one exception handler (cairn.project.api) turns into responses, so
no operation here catches anything."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from cairn.accounts.access import person
from cairn.accounts.models import Section, User
from cairn.core import audit
from cairn.core.privacy import name_or_former_staff
from cairn.insights import access, lesson_plans, selectors
from cairn.insights.links import step_link
from cairn.insights.models import SmallGroup, StationPlan, TieredTask
from cairn.insights.schemas import (
    ActionOut,
    ClassOut,
    GroupIn,
    GroupOut,
    GroupPatch,
    OverrideIn,
    OverrideOut,
    OverrideResultOut,
    StationPlanIn,
    StationPlanOut,
    SuggestionsOut,
    TieredIn,
    TieredOut,
)
from cairn.insights.services import groups, overrides, stations, tiered
from cairn.insights.today import today_actions
from cairn.learning.models import PathOverride
from cairn.learning.selectors.overrides import history

router = Router(tags=["insights"])


# ------------------------------------------------------------------------------------------ helpers
def _section(request: HttpRequest, section_id: int) -> Section:
    return access.section_for(person(request), section_id)


def _ref(user: User) -> dict[str, object]:
    return {"id": user.pk, "name": user.display_name}


def _group_out(group: SmallGroup) -> dict[str, object]:
    return {
        "id": group.pk,
        "section_id": group.section_id,
        "name": group.name,
        "competency_id": group.competency_id,
        "activity_id": group.activity_id,
        "note": group.note,
        "for_date": group.for_date,
        "students": [_ref(s) for s in group.students.all()],
        "done": group.done_at is not None,
    }


def _override_out(o: PathOverride) -> dict[str, object]:
    return {
        "id": o.pk,
        "student": _ref(o.student),
        "competency": o.competency.code,
        "action": o.action,
        "reason": o.reason,
        "set_by": name_or_former_staff(o.set_by),
        "active": o.active,
        "created_at": o.created_at,
    }


def _tiered_out(task: TieredTask) -> dict[str, object]:
    return {
        "id": task.pk,
        "title": task.title,
        "competency": task.competency.code,
        "support": task.support,
        "core": task.core,
        "extend": task.extend,
        "assignments": [
            {
                "student": _ref(a.student),
                "tier": a.tier,
                "mastery": a.mastery,
                "moved_by_teacher": a.moved_by_teacher,
            }
            for a in lesson_plans.tier_assignments(task)
        ],
    }


def _plan_out(plan: StationPlan) -> dict[str, object]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "lesson_date": plan.lesson_date,
        "block_minutes": plan.block_minutes,
        "stations": plan.stations,
        "groups": plan.groups,
        "focus": plan.focus,
        "schedule": plan.schedule,
    }


# -------------------------------------------------------------------------------------------- reads
@router.get("/sections/{section_id}/today", response=list[ActionOut], summary="Today: up to five actions")
def today(request: HttpRequest, section_id: int) -> list[dict[str, object]]:
    section = _section(request, section_id)
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=request.user, section=section, request=request)
    state = selectors.class_state(section)
    return [
        {
            "kind": a.kind,
            "title": a.title,
            "why": a.why,
            "impact": round(a.impact, 3),
            "students": [_ref(s) for s in a.students],
            "step": step_link(a.step),
            "more": step_link(a.more) if a.more else None,
        }
        for a in today_actions(state)
    ]


@router.get(
    "/sections/{section_id}/class", response=ClassOut, summary="Students × competencies, stored state"
)
def class_grid(request: HttpRequest, section_id: int) -> dict[str, object]:
    section = _section(request, section_id)
    audit.record(audit.AuditAction.VIEWED_CLASS, actor=request.user, section=section, request=request)
    state = selectors.class_state(section)
    return {
        "section_id": section.pk,
        "version": selectors.version(section),
        "competencies": [
            {"id": c.pk, "code": c.code, "statement": c.statement, "domain": c.domain}
            for c in state.competencies
        ],
        "students": [
            {
                "student": _ref(s),
                "mastered": state.summaries[s.pk].mastered,
                "in_progress": state.summaries[s.pk].in_progress,
                "mean_mastery": round(state.summaries[s.pk].mean_mastery, 4),
                "last_active": state.summaries[s.pk].last_active,
                "stuck": state.summaries[s.pk].stuck,
                "cells": [
                    {
                        "competency_id": c.pk,
                        "state": cell.state,
                        "mastery": round(cell.mastery, 4),
                        "confidence": cell.confidence,
                        "attempts": cell.attempts,
                        "set_by_teacher": cell.set_by_teacher,
                    }
                    for c in state.competencies
                    for cell in [state.cell(s.pk, c.pk)]
                ],
            }
            for s in state.students
        ],
    }


@router.get("/sections/{section_id}/groups/suggested", response=SuggestionsOut, summary="Suggested groups")
def suggested(request: HttpRequest, section_id: int) -> dict[str, object]:
    section = _section(request, section_id)
    state = selectors.class_state(section)
    # As the groups page: one mini-lesson per suggestion, students in an open saved group left out.
    saved = {g.pk: [s.pk for s in g.students.all()] for g in lesson_plans.open_groups(section)}
    grouping = lesson_plans.lesson_suggestions(state, saved)
    student_of = {s.pk: s for s in state.students}
    return {
        "groups": [
            {
                "competency": s.group.competency,
                "competency_id": state.by_code[s.group.competency].pk,
                "students": [_ref(student_of[i]) for i in s.group.students],
                "mean_mastery": round(s.group.mean_mastery, 4),
                "stuck": s.group.spinning,
                "activity_id": s.activity.pk if s.activity else None,
                "activity_title": s.activity.title if s.activity else None,
            }
            for s in grouping.groups
        ],
        "ungrouped": [_ref(student_of[i]) for i in grouping.ungrouped],
    }


@router.get("/sections/{section_id}/groups", response=list[GroupOut], summary="Saved groups not yet taught")
def list_groups(request: HttpRequest, section_id: int) -> list[dict[str, object]]:
    section = _section(request, section_id)
    return [_group_out(g) for g in lesson_plans.open_groups(section)]


@router.get("/sections/{section_id}/overrides", response=list[OverrideOut], summary="The override log")
def list_overrides(request: HttpRequest, section_id: int) -> list[dict[str, object]]:
    section = _section(request, section_id)
    return [_override_out(o) for o in history(selectors.section_students(section), limit=500)]


@router.get("/station-plans/{plan_id}", response=StationPlanOut, summary="A station-rotation plan")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, object]:
    plan = lesson_plans.station_plan(plan_id)
    _section(request, plan.section_id)
    return _plan_out(plan)


@router.get("/tiered-tasks/{task_id}", response=TieredOut, summary="A tiered task and who has which level")
def get_tiered(request: HttpRequest, task_id: int) -> dict[str, object]:
    task = lesson_plans.tiered_task(task_id)
    _section(request, task.section_id)
    return _tiered_out(task)


# ------------------------------------------------------------------------------------------- writes
@router.post("/sections/{section_id}/groups", response={201: GroupOut}, summary="Save a small group")
def create_group(request: HttpRequest, section_id: int, body: GroupIn) -> Status:
    section = _section(request, section_id)
    group = groups.save_group(
        person(request),
        section,
        student_ids=body.student_ids,
        competency_id=body.competency_id,
        activity_id=body.activity_id,
        name=body.name,
        note=body.note,
        for_date=body.for_date,
    )
    return Status(201, _group_out(group))


@router.patch("/groups/{group_id}", response=GroupOut, summary="Edit a saved group")
def patch_group(request: HttpRequest, group_id: int, body: GroupPatch) -> dict[str, object]:
    group = lesson_plans.small_group(group_id)
    _section(request, group.section_id)
    updated = groups.update_group(
        person(request),
        group,
        add=body.add,
        remove=body.remove,
        activity_id=body.activity_id,
        name=body.name,
        note=body.note,
        for_date=body.for_date,
    )
    return _group_out(updated)


@router.post("/groups/{group_id}/regroup", response=GroupOut, summary="Regroup from today's data")
def regroup(request: HttpRequest, group_id: int) -> dict[str, object]:
    group = lesson_plans.small_group(group_id)
    _section(request, group.section_id)
    return _group_out(groups.regroup(person(request), group))


@router.delete("/groups/{group_id}", response={204: None}, summary="Delete a saved group")
def delete_group(request: HttpRequest, group_id: int) -> Status:
    group = lesson_plans.small_group(group_id)
    _section(request, group.section_id)
    groups.delete_group(person(request), group)
    return Status(204, None)


@router.post(
    "/sections/{section_id}/overrides",
    response={201: OverrideResultOut},
    summary="Override paths for students, a saved group or the whole section",
)
def create_override(request: HttpRequest, section_id: int, body: OverrideIn) -> Status:
    section = _section(request, section_id)
    result = overrides.override(
        person(request),
        section,
        competency_id=body.competency_id,
        action=body.action,
        reason=body.reason,
        student_ids=body.student_ids,
        group_id=body.group_id,
        whole_section=body.whole_section,
    )
    return Status(
        201,
        {
            "created": [_override_out(o) for o in result.created],
            "unchanged": [(_ref(s), why) for s, why in result.unchanged],
        },
    )


@router.post("/sections/{section_id}/tiered-tasks", response={201: TieredOut}, summary="Create a tiered task")
def create_tiered(request: HttpRequest, section_id: int, body: TieredIn) -> Status:
    section = _section(request, section_id)
    task = tiered.create_tiered_task(
        person(request),
        section,
        competency_id=body.competency_id,
        title=body.title,
        support=body.support,
        core=body.core,
        extend=body.extend,
        support_below=body.support_below,
        extend_from=body.extend_from,
    )
    return Status(201, _tiered_out(task))


@router.post(
    "/sections/{section_id}/station-plans", response={201: StationPlanOut}, summary="Plan a station rotation"
)
def create_plan(request: HttpRequest, section_id: int, body: StationPlanIn) -> Status:
    section = _section(request, section_id)
    plan = stations.plan_stations(
        person(request),
        section,
        title=body.title,
        lesson_date=body.lesson_date,
        block_minutes=body.block_minutes,
        rotations=body.rotations,
        stations=[stations.StationInput(s.name, s.kind, s.activity) for s in body.stations],
    )
    return Status(201, _plan_out(plan))
