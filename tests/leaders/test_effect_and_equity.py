"""Evidence of effect: the figures are cairn.engine.program's on the groups the page says; too few students
is refused in words; only leaders of the school or district see it."""

from __future__ import annotations

import datetime as dt

import pytest

from cairn.accounts import services as accounts
from cairn.accounts.models import Role, School, User
from cairn.engine.program import NotEnoughData, adjusted_difference, effect_size
from cairn.leaders import effect, measures
from cairn.leaders.models import OutsideScore, ProgramSchool
from tests.conftest import World, client_for

FALL, SPRING = effect.Test("State Math 5", "Fall 2026"), effect.Test("State Math 5", "Spring 2027")
LAST_FALL, LAST_SPRING = effect.Test("State Math 5", "Fall 2025"), effect.Test("State Math 5", "Spring 2026")
# (baseline, outcome) per student; the program's students grow more
PROGRAM = [(400, 440), (410, 455), (420, 450), (430, 480), (440, 470), (450, 500)]
OTHERS = [(405, 420), (415, 440), (425, 435), (435, 460), (445, 450), (455, 475), (460, 470)]


def _scores(
    world: World, school: School, name: str, pairs: list[tuple[int, int]], tests: tuple
) -> list[User]:
    people = []
    for k, (before, after) in enumerate(pairs):
        user = accounts.create_person(
            username=f"{name}{k}", first_name=name, last_name=str(k), role=Role.STUDENT, school=school
        )
        for test, score in zip(tests, (before, after), strict=True):
            OutsideScore.objects.create(
                district=world.district,
                student=user,
                assessment=test.assessment,
                period=test.period,
                window=test.period,
                score=score,
                batch="test",
            )
        people.append(user)
    return people


@pytest.fixture
def program(world: World) -> World:
    ProgramSchool.objects.create(school=world.school, since=dt.date(2026, 8, 1))
    _scores(world, world.school, "oak", PROGRAM, (FALL, SPRING))
    _scores(world, world.sister_school, "pine", OTHERS, (FALL, SPRING))
    return world


def test_figures_are_the_engines_on_the_program_and_comparison_groups(program: World) -> None:
    found = effect.evidence(
        district=program.district, school=None, baseline=FALL, outcome=SPRING, comparison="not_in_program"
    )
    growth = effect_size([o - b for b, o in PROGRAM], [o - b for b, o in OTHERS])
    assert found.growth == growth and growth.g > 0
    both = PROGRAM + OTHERS
    adjusted = adjusted_difference([o for _, o in both], [b for b, _ in both], [True] * 6 + [False] * 7)
    assert found.adjusted == adjusted
    assert (found.treatment.n, found.control.n) == (6, 7)
    assert "not a randomized trial" in found.caveat
    matched = effect.evidence(
        district=program.district, school=None, baseline=FALL, outcome=SPRING, comparison="matched"
    )
    assert (matched.treatment.n, matched.control.n) == (6, 6)  # 460 is nobody's nearest: left out


def test_last_years_cohort_and_too_few_students_refused(program: World) -> None:
    _scores(program, program.sister_school, "past", OTHERS[:3], (LAST_FALL, LAST_SPRING))
    found = effect.evidence(
        district=program.district,
        school=program.school,
        baseline=FALL,
        outcome=SPRING,
        comparison="last_year",
        last_year=(LAST_FALL, LAST_SPRING),
    )
    assert found.growth == effect_size([o - b for b, o in PROGRAM], [o - b for b, o in OTHERS[:3]])
    with pytest.raises(NotEnoughData):  # Pine is not in the program: no treated students
        effect.evidence(
            district=program.district,
            school=program.sister_school,
            baseline=FALL,
            outcome=SPRING,
            comparison="not_in_program",
        )


def test_outside_score_measures(program: World) -> None:
    params = {"assessment": "State Math 5", "period": "Spring 2027", "cut_score": "470"}
    mean = measures.get("outside_score_mean").compute(
        program.district, program.school, dt.date.today(), params
    )
    assert mean.n == 6 and mean.value == pytest.approx(sum(o for _, o in PROGRAM) / 6)
    share = measures.get("outside_score_proficient").compute(program.district, None, dt.date.today(), params)
    assert share.n == 13 and share.value == pytest.approx(100 * 5 / 13)  # 480, 470, 500 and 475, 470


@pytest.mark.parametrize(
    ("viewer", "url", "sees"),
    [
        ("district_admin", "district", True),
        ("leader", "school", True),
        ("leader", "sister", False),  # a principal sees only their school
        ("leader", "district", False),
        ("teacher", "school", False),
        ("student", "school", False),
    ],
)
def test_who_sees_the_evidence(program: World, viewer: str, url: str, sees: bool) -> None:
    query = {
        "baseline": "State Math 5||Fall 2026",
        "outcome": "State Math 5||Spring 2027",
        "comparison": "not_in_program",
    }
    path = {
        "district": f"/leaders/districts/{program.district.pk}/effect/",
        "school": f"/leaders/schools/{program.school.pk}/effect/",
        "sister": f"/leaders/schools/{program.sister_school.pk}/effect/",
    }[url]
    response = client_for(getattr(program, viewer)).get(path, query)
    if not sees:
        assert response.status_code in (403, 404)
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is not a randomized trial" in page and "Hedges" in page and "<svg" in page
    assert "students in the district&#x27;s schools not yet in the program" in page


def test_district_admin_sets_which_schools_are_in_the_program(program: World) -> None:
    url = f"/leaders/districts/{program.district.pk}/effect/"
    admin = client_for(program.district_admin)
    assert "Schools in the program" in admin.get(url).content.decode()
    data = {"schools": [str(program.sister_school.pk)], "since": "2026-09-01"}
    assert admin.post(url, data).status_code == 302
    assert list(ProgramSchool.objects.values_list("school_id", "since")) == [
        (program.sister_school.pk, dt.date(2026, 9, 1))
    ]
    assert client_for(program.leader).post(url, data).status_code in (403, 404)


def test_equity_breaks_down_by_group_suppresses_under_10_and_is_for_leaders_only(program: World) -> None:
    from cairn.leaders import equity
    from cairn.leaders.models import Demographics

    people = list(OutsideScore.objects.filter(period="Spring 2027").order_by("pk"))
    for k, score in enumerate(people):  # 13 students: 10 on free or reduced lunch, 3 not
        Demographics.objects.create(
            student_id=score.student_id, frl=k < 10, ell=k < 5, gender="F" if k % 2 else "M"
        )
    rows = {(r.dimension, r.period): r for r in equity.breakdown(program.district, None, "State Math 5")}
    frl = rows[("Free or reduced lunch", "Spring 2027")]
    lunch = {c.group: c for c in frl.cells}
    expected = sum(s.score for s in people[:10]) / 10
    assert lunch["Free or reduced lunch"].n == 10 and lunch["Free or reduced lunch"].mean == pytest.approx(
        expected
    )
    assert lunch["Not free or reduced lunch"].suppressed and frl.gap is None  # 3 students: not shown
    ell = rows[("English learners", "Spring 2027")]
    assert all(c.suppressed for c in ell.cells)  # 5 and 8
    url = f"/leaders/districts/{program.district.pk}/equity/"
    page = client_for(program.district_admin).get(url, {"assessment": "State Math 5"}).content.decode()
    assert "fewer than 10" in page and f"{expected:.1f}" in page
    school_url = f"/leaders/schools/{program.school.pk}/equity/"
    assert client_for(program.leader).get(school_url, {"assessment": "State Math 5"}).status_code == 200
    for outsider, path in (
        (program.teacher, school_url),
        (program.leader, url),
        (program.student, school_url),
    ):
        assert client_for(outsider).get(path).status_code in (403, 404)
