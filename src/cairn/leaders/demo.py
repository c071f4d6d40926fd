"""The demo district's leaders' side: a definition of personalized learning, three goals, and weekly figures
since the start of the goals in which Riverside's small groups stall (off track, with its reason) while
Hillcrest keeps to its line; classroom walkthroughs at each school; and (``demo_equity``) students'
demographics, an outside test with Riverside in the program, and each student group's weekly figures.
Deterministic and quick; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import Course, District, Role, RoleAssignment, School, Section, User
from cairn.leaders import demo_equity, lookfors, services, walkthroughs
from cairn.leaders.models import Definition, Goal, MeasureValue

WEEKS = 10

PILLARS = {
    "personal_paths": {
        "students": "Each student works on the next competency they are ready for and picks how to practise.",
        "teachers": "Teachers read the class view each morning and pull small groups of the students stuck.",
        "leaders": "Leaders protect time for small groups and visit classes to see them.",
    },
    "competency_progression": {
        "students": "Students move on when they show they have mastered a competency, not when a unit ends.",
        "teachers": "Teachers grade on the district's proficiency scale, competency by competency.",
        "leaders": "Leaders watch mastery per course, not seat time.",
    },
}
FAMILY_TEXT = (
    "Your child learns at their own pace: they move on when they have shown they understand, and their "
    "teacher works with small groups every week. You can see what they are working on in Cairn."
)


@dataclass(frozen=True)
class DemoGoal:
    title: str
    measure_key: str
    baseline: float
    target: float
    weekly: dict[str, float]  # school code -> change per week (Riverside's small groups stay flat)


GOALS = [
    DemoGoal(
        "80% of grade 4 students proficient in math by May", "mastery_rate", 30, 80, {"RES": 2.4, "HMS": 2.6}
    ),
    DemoGoal("Students practise three days a week", "active_days", 1.5, 3, {"RES": 0.08, "HMS": 0.09}),
    DemoGoal(
        "Every class pulls small groups twice a week",
        "small_groups_per_week",
        0.8,
        2,
        {"RES": -0.02, "HMS": 0.07},
    ),
]


def seed_demo_leaders(district: District, today: dt.date | None = None) -> int:
    """Seed once (a district that already has a definition is left as it is); returns the goals made."""
    if Definition.objects.filter(district=district).exists():
        return 0
    day = today or timezone.localdate()
    start = day - dt.timedelta(weeks=WEEKS)
    target_date = dt.date(day.year + (day.month > 5), 5, 31)
    admin = User.objects.filter(
        role_assignments__role=Role.DISTRICT_ADMIN, role_assignments__district=district
    ).first()
    schools = {s.code: s for s in School.objects.filter(district=district)}
    grade4 = Course.objects.filter(district=district, grade_low=4).first()
    made = []
    with transaction.atomic():
        services.save_definition(
            district=district,
            author=admin,
            pillars=PILLARS,
            summary="Learning that fits each child.",
            family_text=FAMILY_TEXT,
        )
        for spec in GOALS:
            goal = services.save_goal(
                district=district,
                actor=admin,
                title=spec.title,
                measure_key=spec.measure_key,
                measure_params={"course_id": grade4.pk}
                if grade4 and spec.measure_key == "mastery_rate"
                else {},
                baseline=spec.baseline,
                target=spec.target,
                start_date=start,
                target_date=target_date,
            )
            _history(goal, schools, spec, start)
            made.append(goal)
        school_of = demo_equity.seed_demographics(district)
        demo_equity.seed_scores(district, school_of, start, day)
        demo_equity.seed_group_values(made, school_of)
        _walkthroughs(district, day)
    return len(GOALS)


def _history(goal: Goal, schools: dict[str, School], spec: DemoGoal, start: dt.date) -> None:
    rows = []
    for week in range(WEEKS + 1):
        on = start + dt.timedelta(weeks=week)
        values = []
        for code, school in schools.items():
            wobble = 0.03 * abs(goal.target - goal.baseline) * ((week * 7 + len(code)) % 3 - 1) / 3
            value = goal.baseline + spec.weekly.get(code, 0.0) * week + wobble
            values.append(value)
            rows.append(MeasureValue(goal=goal, school=school, on=on, value=round(value, 2), n=120))
        rows.append(
            MeasureValue(goal=goal, school=None, on=on, value=round(sum(values) / len(values), 2), n=240)
        )
    MeasureValue.objects.bulk_create(rows)


def _walkthroughs(district: District, day: dt.date) -> None:
    """Three visits per school by its principal over the last three weeks, one class after another:
    Hillcrest's show most look-fors, Riverside's few (its small groups stalled)."""
    looks = [look.key for look in lookfors.for_district(district)]
    leaders = RoleAssignment.objects.filter(role=Role.SCHOOL_LEADER, school__district=district)
    for row in leaders.select_related("user", "school").order_by("school__code"):
        if row.school is None or row.school_id is None:
            continue
        sections = list(Section.objects.filter(school=row.school).order_by("code"))
        keep = 1 if row.school.code == "RES" else len(looks) - 1
        for week in range(3):
            section = sections[week % len(sections)] if sections else None
            walkthroughs.record(
                observer=row.user,
                school_id=row.school_id,
                section_id=section.pk if section else None,
                seen=looks[: keep + (week == 0)],
                notes="",
                at=timezone.make_aware(
                    dt.datetime.combine(day - dt.timedelta(days=7 * week + 1), dt.time(10))
                ),
            )
