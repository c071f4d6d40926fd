"""Writes for the district's definition and goals (keyword-only, validated, one transaction each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from cairn.accounts.models import District, School, User
from cairn.core.errors import Invalid
from cairn.leaders import measures, teacher_paths
from cairn.leaders.models import Definition, Goal, SchoolTarget
from cairn.leaders.models.goals import Pillar

AUDIENCES = ("students", "teachers", "leaders")


def save_definition(
    *,
    district: District,
    author: User | None,
    pillars: Mapping[str, Mapping[str, str]],
    summary: str = "",
    family_text: str = "",
) -> Definition:
    """A new version of the district's definition (the latest is current; earlier ones stay as history)."""
    unknown = set(pillars) - set(Pillar.values)
    if unknown:
        raise Invalid(f"Unknown pillar: {', '.join(sorted(unknown))}.", field="pillars")
    if not pillars:
        raise Invalid("Choose at least one pillar the district commits to.", field="pillars")
    clean: dict[str, dict[str, str]] = {}
    for key, texts in pillars.items():
        clean[key] = {a: (texts.get(a) or "").strip() for a in AUDIENCES}
        if not clean[key]["students"] and not clean[key]["teachers"]:
            label = Pillar(key).label
            raise Invalid(
                f"Say what {label.lower()} looks like for students or teachers.", field=f"{key}_students"
            )
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()
        last = Definition.objects.filter(district=district).aggregate(v=Max("version"))["v"] or 0
        saved = Definition.objects.create(
            district=district,
            version=last + 1,
            pillars={k: clean[k] for k in Pillar.values if k in clean},
            summary=summary.strip(),
            family_text=family_text.strip(),
            author=author,
        )
        teacher_paths.sync_course(district=district)  # its practices become the teachers' course
        return saved


def _check_goal(
    district: District,
    measure_key: str,
    start_date: dt.date,
    target_date: dt.date,
    school_targets: Mapping[int, float],
) -> None:
    if measures.get(measure_key) is None:
        raise Invalid("Pick a measure Cairn computes.", field="measure_key")
    if target_date <= start_date:
        raise Invalid("The target date must come after the start.", field="target_date")
    if school_targets:
        theirs = set(
            School.objects.filter(district=district, pk__in=school_targets).values_list("pk", flat=True)
        )
        if theirs != set(school_targets):
            raise Invalid("A school target names a school outside the district.")


@transaction.atomic
def save_goal(
    *,
    district: District,
    actor: User | None,
    title: str,
    measure_key: str,
    measure_params: Mapping[str, Any],
    baseline: float,
    target: float,
    start_date: dt.date,
    target_date: dt.date,
    school_targets: Mapping[int, float] | None = None,
    goal: Goal | None = None,
) -> Goal:
    """Create a goal, or change ``goal`` (its stored figures stay; the next rollup uses the new measure)."""
    school_targets = dict(school_targets or {})
    if not title.strip():
        raise Invalid("Give the goal a title.", field="title")
    _check_goal(district, measure_key, start_date, target_date, school_targets)
    fields = {
        "title": title.strip(),
        "measure_key": measure_key,
        "measure_params": {k: v for k, v in measure_params.items() if v not in (None, "")},
        "baseline": baseline,
        "target": target,
        "start_date": start_date,
        "target_date": target_date,
    }
    if goal is None:
        goal = Goal.objects.create(district=district, created_by=actor, **fields)
    else:
        if goal.district_id != district.pk:
            raise Invalid("That goal belongs to another district.")
        if goal.measure_key != measure_key or goal.measure_params != fields["measure_params"]:
            goal.values.all().delete()  # figures of another measure would mislead the trajectory
        for name, value in fields.items():
            setattr(goal, name, value)
        goal.save()
    goal.school_targets.exclude(school_id__in=school_targets).delete()
    for school_id, value in school_targets.items():
        SchoolTarget.objects.update_or_create(goal=goal, school_id=school_id, defaults={"target": value})
    return goal
