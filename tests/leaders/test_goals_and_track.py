"""The district's definition and goals, the measures rolled up into stored figures, on/off track per school
and the leaders' homes, with who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.agency.models import WeeklyGoal
from cairn.insights.models import SmallGroup
from cairn.leaders import measures, services, track
from cairn.leaders.models import Definition, Goal, MeasureValue
from cairn.leaders.rollups import roll_up
from cairn.leaders.tasks import roll_up_measures
from tests.conftest import World, client_for

TODAY = timezone.localdate()


def _goal(world: World, key: str = "small_groups_per_week", **kw: object) -> Goal:
    fields = {
        "title": "Every class pulls small groups twice a week",
        "measure_key": key,
        "measure_params": {},
        "baseline": 0.5,
        "target": 2.0,
        "start_date": TODAY - dt.timedelta(days=60),
        "target_date": TODAY + dt.timedelta(days=120),
    } | kw
    return services.save_goal(district=world.district, actor=world.district_admin, **fields)  # type: ignore[arg-type]


def test_rollup_stores_each_schools_figure_for_the_day_and_recomputes_only_that_day(world: World) -> None:
    goal = _goal(world)
    for k in range(3):  # three groups taught this week in Oak's class M5A, none at Pine
        SmallGroup.objects.create(
            section=world.section, name=f"g{k}", for_date=TODAY - dt.timedelta(days=k), done_at=timezone.now()
        )
    WeeklyGoal.objects.create(
        student=world.student,
        week_start=TODAY - dt.timedelta(days=TODAY.weekday()),
        competencies=2,
        minutes=60,
    )
    old = MeasureValue.objects.create(
        goal=goal, school=world.school, on=TODAY - dt.timedelta(days=7), value=9, n=1
    )
    summary = roll_up(district=world.district, on=TODAY)
    assert summary.values == 3  # the district and its two schools
    stored = {v.school_id: (v.value, v.n) for v in MeasureValue.objects.filter(goal=goal, on=TODAY)}
    assert stored[world.school.pk] == (1.5, 2)  # 3 groups over Oak's two classes
    assert stored[world.sister_school.pk] == (0.0, 1)
    assert stored[None] == (1.0, 3)
    old.refresh_from_db()
    assert old.value == 9  # past days are not recomputed
    assert roll_up_measures(TODAY.isoformat()) == {"north": 3}  # the nightly task: the same, idempotent
    assert MeasureValue.objects.filter(goal=goal, on=TODAY).count() == 3
    oak = measures.goals_set(world.district, world.school, TODAY, {})
    assert oak.n == 4 and oak.value == pytest.approx(25.0)  # ana of Oak's four students set a goal


def test_a_school_behind_its_line_is_off_track_with_the_reason_and_an_action_naming_a_class(
    world: World,
) -> None:
    goal = _goal(world)
    for weeks in range(9):
        day = goal.start_date + dt.timedelta(weeks=weeks)
        MeasureValue.objects.create(goal=goal, school=world.school, on=day, value=0.5 + 0.2 * weeks, n=2)
        MeasureValue.objects.create(goal=goal, school=world.sister_school, on=day, value=0.6, n=1)
    board = track.board(world.district, [world.school, world.sister_school], TODAY)
    (_, [oak_cell]), (_, [pine_cell]) = board.rows
    assert oak_cell.status == "on" and pine_cell.status == "off"
    assert "against a target of 2.0 a week" in pine_cell.reason and "n = 1" in pine_cell.reason
    [action] = track.actions(board, TODAY)
    assert action.school == world.sister_school
    assert action.text.startswith("Pine Middle: small groups pulled per class per week at 0.6 a week")
    assert "visit" in action.text and "Math M6A" in action.text


def test_district_admin_sees_the_board_of_their_district_only(world: World) -> None:
    goal = _goal(world)
    MeasureValue.objects.create(goal=goal, school=world.sister_school, on=TODAY, value=0.1, n=1)
    admin = client_for(world.district_admin)
    assert admin.get("/leaders/").url == f"/leaders/districts/{world.district.pk}/"
    page = admin.get(f"/leaders/districts/{world.district.pk}/").content.decode()
    assert "Off track" in page and "Pine Middle: small groups" in page
    assert admin.get(f"/leaders/districts/{world.other_district.pk}/").status_code == 404
    assert admin.get(f"/leaders/schools/{world.far_school.pk}/").status_code == 404


def test_principal_sees_their_school_only_and_teachers_students_see_no_leaders_figures(world: World) -> None:
    goal = _goal(world)
    MeasureValue.objects.create(
        goal=goal, school=world.school, on=TODAY - dt.timedelta(days=7), value=1.0, n=2
    )
    MeasureValue.objects.create(goal=goal, school=world.school, on=TODAY, value=1.2, n=2)
    leader = client_for(world.leader)
    assert leader.get("/leaders/").url == f"/leaders/schools/{world.school.pk}/"
    page = leader.get(f"/leaders/schools/{world.school.pk}/")
    assert page.status_code == 200 and b"<svg" in page.content and b"Target line" in page.content
    assert leader.get(f"/leaders/schools/{world.sister_school.pk}/").status_code == 404
    assert leader.get(f"/leaders/districts/{world.district.pk}/").status_code == 403
    for person in (world.teacher, world.student, world.guardian):
        client = client_for(person)
        assert client.get(f"/leaders/schools/{world.school.pk}/").status_code == 403
        assert client.get(f"/leaders/districts/{world.district.pk}/").status_code == 403


def test_definition_is_versioned_and_teachers_read_the_current_one(world: World) -> None:
    admin = client_for(world.district_admin)
    url = f"/leaders/districts/{world.district.pk}/definition/"
    refused = admin.post(url, {"summary": "Learning that fits each child."})
    assert refused.status_code == 400 and b"Choose at least one pillar" in refused.content
    form = {
        "summary": "Learning that fits each child.",
        "personal_paths_chosen": "on",
        "personal_paths_students": "Students choose how they practise.",
        "personal_paths_teachers": "Teachers pull small groups from the class view.",
        "family_text": "Your child learns at their own pace, with help from the teacher.",
    }
    assert admin.post(url, form).status_code == 302
    form["personal_paths_students"] = "Students choose how and when they practise."
    assert admin.post(url, form).status_code == 302
    versions = list(Definition.objects.filter(district=world.district).values_list("version", flat=True))
    assert versions == [2, 1]
    page = client_for(world.teacher).get("/leaders/definition/").content.decode()
    assert "Version 2" in page and "how and when they practise" in page
    assert client_for(world.student).get("/leaders/definition/").status_code == 403


def test_goal_form_saves_school_targets_and_keeps_a_refusal_beside_the_field(world: World) -> None:
    admin = client_for(world.district_admin)
    url = f"/leaders/districts/{world.district.pk}/goals/new/"
    form = {
        "title": "Engagement up",
        "measure_key": "active_days",
        "baseline": "1.5",
        "target": "3",
        "start_date": "2026-09-01",
        "target_date": "2026-08-01",
        f"school_{world.sister_school.pk}": "2.5",
        "extra": "window=spring",
    }
    refused = admin.post(url, form)
    assert refused.status_code == 400 and b"must come after the start" in refused.content
    form["target_date"] = "2027-05-31"
    assert admin.post(url, form).status_code == 302
    goal = Goal.objects.get(district=world.district)
    assert {t.school_id: t.target for t in goal.school_targets.all()} == {world.sister_school.pk: 2.5}
    assert goal.measure_params == {"window": "spring"}
    assert admin.get(f"/leaders/districts/{world.district.pk}/goals/{goal.pk}/").status_code == 200
    assert (
        client_for(world.district_admin)
        .get(f"/leaders/districts/{world.other_district.pk}/goals/")
        .status_code
        == 404
    )


def test_demo_has_a_definition_three_goals_and_riverside_off_track_with_its_reason(db: None) -> None:
    from cairn.accounts.models import District, School
    from cairn.leaders.demo import seed_demo_leaders

    district = District.objects.create(name="Maple Valley", slug="maple-valley")
    res = School.objects.create(district=district, name="Riverside Elementary", code="RES")
    hms = School.objects.create(district=district, name="Hillcrest Middle School", code="HMS")
    assert seed_demo_leaders(district) == 3
    assert seed_demo_leaders(district) == 0  # a second run changes nothing
    board = track.board(district, [hms, res], TODAY)
    marks = {school.code: [c.status for c in cells] for school, cells in board.rows}
    assert marks == {"HMS": ["on", "on", "on"], "RES": ["on", "on", "off"]}
    [action] = track.actions(board, TODAY)
    assert action.text.startswith("Riverside Elementary: small groups pulled per class per week")
