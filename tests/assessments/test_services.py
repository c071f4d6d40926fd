"""The diagnostic's services: a sitting from start to placement, resuming, refusing what was not served,
windows and growth, and seeding the learning app."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pytest
from django.utils import timezone

from cairn.assessments import bank, selectors
from cairn.assessments.models import Administration, ItemCalibration, ItemExposure, Response
from cairn.assessments.services import calibration, sittings
from cairn.core.errors import Conflict, Invalid, NotFound
from cairn.learning import learner
from cairn.learning.diagnostics import diagnostic_level
from cairn.learning.models import LearnerState, Progress
from cairn.learning.selectors.path import path_competencies, student_path
from tests.assessments.conftest import LADDER, Ladder, add_windows, right_answer, take
from tests.conftest import World


def _snapshot(sitting: Administration) -> tuple[int, int, dict[str, object], int]:
    sitting.refresh_from_db()
    return (
        Response.objects.filter(administration=sitting).count(),
        Response.objects.filter(administration=sitting, answered_at__isnull=False).count(),
        dict(sitting.state),
        sum(ItemExposure.objects.values_list("served", flat=True)),
    )


def test_start_freezes_the_bank_and_a_second_start_resumes(world: World, ladder: Ladder) -> None:
    sitting = sittings.start(world.student, ladder.diagnostic)
    assert len(sitting.bank["items"]) == 24
    assert sitting.bank["areas"] == ["Fractions", "Operations"]
    assert sitting.bank["b"][0] == pytest.approx(-2.6)
    assert sitting.bank["a"][0] == pytest.approx(1.5)
    assert sitting.bank["weights"] == pytest.approx([4 / 6, 2 / 6])  # shares of the unit's competencies
    assert sittings.start(world.student, ladder.diagnostic).pk == sitting.pk
    assert Administration.objects.filter(student=world.student).count() == 1


def test_a_reload_or_closed_tab_resumes_on_the_same_question(world: World, ladder: Ladder) -> None:
    sitting = sittings.start(world.student, ladder.diagnostic)
    first = sittings.current_response(sitting)
    assert first is not None
    sittings.answer(world.student, sitting.pk, str(first.token), right_answer(first))
    served = sittings.current_response(sitting)
    assert served is not None
    assert served.position == 1
    # The tab closes; later, a new request finds the sitting and the very same open question.
    again = sittings.current_response(sittings.sitting_of(world.student, sitting.pk))
    resumed = sittings.start(world.student, ladder.diagnostic)
    assert again is not None
    assert again.token == served.token
    assert resumed.pk == sitting.pk
    assert sittings.question_for(again).number == 2
    assert Response.objects.filter(administration=sitting).count() == 2


def test_items_ahead_are_never_chosen_or_shown(world: World, ladder: Ladder) -> None:
    sitting = sittings.start(world.student, ladder.diagnostic)
    assert not Response.objects.filter(administration=sitting).exists()  # nothing chosen before it's shown
    response = sittings.current_response(sitting)
    assert response is not None
    assert Response.objects.filter(administration=sitting).count() == 1
    question = sittings.question_for(response)
    assert set(question.__dict__) == {"token", "number", "max_items", "stem", "kind", "choices"}
    sittings.answer(world.student, sitting.pk, question.token, "0")
    assert Response.objects.filter(administration=sitting).count() == 2  # the answered one and the next


@pytest.mark.parametrize(
    ("token", "answer", "message"),
    [
        (lambda s, r: str(uuid.uuid4()), "4", "not given to you"),
        (lambda s, r: "not-a-uuid", "4", "not valid"),
        (lambda s, r: str(r.token), "", "answer first"),
        (lambda s, r: str(r.token), "x" * 201, "too long"),
        (lambda s, r: str(r.token), "seven", "doesn't read as a number"),
    ],
)
def test_bad_answers_are_refused_and_record_nothing(
    world: World, ladder: Ladder, token: object, answer: str, message: str
) -> None:
    sitting = sittings.start(world.student, ladder.diagnostic)
    response = sittings.current_response(sitting)
    before = _snapshot(sitting)
    with pytest.raises(Invalid, match=message):
        sittings.answer(world.student, sitting.pk, token(sitting, response), answer)  # type: ignore[operator]
    assert _snapshot(sitting) == before


def test_an_answer_to_another_sitting_or_an_answered_item_is_refused(world: World, ladder: Ladder) -> None:
    mine = sittings.start(world.student, ladder.diagnostic)
    theirs = sittings.start(world.classmate, ladder.diagnostic)
    their_item = sittings.current_response(theirs)
    my_item = sittings.current_response(mine)
    assert their_item is not None
    assert my_item is not None
    before = _snapshot(mine), _snapshot(theirs)
    # Their open item, posted to my sitting or to theirs under my name: not served to me.
    with pytest.raises(Invalid, match="not given to you"):
        sittings.answer(world.student, mine.pk, str(their_item.token), right_answer(their_item))
    with pytest.raises(NotFound, match="no such diagnostic"):
        sittings.answer(world.student, theirs.pk, str(their_item.token), right_answer(their_item))
    assert (_snapshot(mine), _snapshot(theirs)) == before
    sittings.answer(world.student, mine.pk, str(my_item.token), right_answer(my_item))
    after = _snapshot(mine)
    with pytest.raises(Conflict, match="already answered"):  # a double submit
        sittings.answer(world.student, mine.pk, str(my_item.token), right_answer(my_item))
    assert _snapshot(mine) == after


def test_a_finished_sitting_takes_no_more_answers(world: World, ladder: Ladder) -> None:
    sitting = take(world.student, ladder.diagnostic, theta=0.5)
    last = Response.objects.filter(administration=sitting).order_by("-position").first()
    assert last is not None
    with pytest.raises(Conflict, match="finished"):
        sittings.answer(world.student, sitting.pk, str(last.token), "1")
    assert sittings.current_response(sitting) is None


def test_ability_follows_the_answers_and_the_test_stops(world: World, ladder: Ladder) -> None:
    strong = take(world.student, ladder.diagnostic, theta=2.1)
    weak = take(world.classmate, ladder.diagnostic, theta=-1.1)
    assert strong.status == weak.status == Administration.Status.FINISHED
    assert strong.theta > 1.0 > -0.5 > weak.theta
    for sitting in (strong, weak):
        assert sitting.answered <= ladder.diagnostic.max_items
        assert sitting.se <= 0.3 or sitting.stop_reason == "maximum length"
        positions = list(sitting.responses.order_by("position").values_list("position", flat=True))
        assert positions == list(range(sitting.answered))
        items = list(sitting.responses.values_list("item_id", flat=True))
        assert len(set(items)) == len(items)  # no item twice


def test_content_is_balanced_across_the_units_domains(world: World, ladder: Ladder) -> None:
    sitting = take(world.student, ladder.diagnostic, theta=0.3)
    areas = [sitting.bank["area"][r.bank_index] for r in sitting.responses.order_by("position")]
    shares = np.bincount(areas, minlength=2) / len(areas)
    assert abs(shares[0] - 4 / 6) <= 1 / len(areas) + 1e-9  # Fractions: 4 of the 6 competencies
    # Every prefix of the test stays within one item of the target shares.
    for n in range(1, len(areas) + 1):
        assert abs(np.sum(np.asarray(areas[:n]) == 1) - n * 2 / 6) <= 1 + 1e-9


def test_exposure_is_counted_per_item_shown(world: World, ladder: Ladder) -> None:
    sitting = take(world.student, ladder.diagnostic, theta=0.0)
    counts = dict(ItemExposure.objects.values_list("item_id", "served"))
    assert counts == {item_id: 1 for item_id in sitting.responses.values_list("item_id", flat=True)}


def test_placement_seeds_progress_and_the_learner_model(world: World, ladder: Ladder) -> None:
    sitting = take(world.student, ladder.diagnostic, theta=1.3)
    placement = sitting.placement
    mastered = {placement["codes"][str(i)] for i in placement["mastered"]}
    ready = {placement["codes"][str(i)] for i in placement["ready"]}
    # A prefix of the chain is presumed mastered, and the next link is ready: never a gap.
    codes = [code for code, _, _ in LADDER]
    k = len(mastered)
    assert 1 <= k <= 4
    assert mastered == set(codes[:k])
    assert ready == {codes[k]}
    rows = {p.competency.code: p for p in Progress.objects.filter(student=world.student)}
    assert {c for c, p in rows.items() if p.status == Progress.Status.MASTERED} == mastered
    assert all(rows[c].mastered_by == "diagnostic" and rows[c].review_due is not None for c in mastered)
    assert set(rows) == set(codes)  # every covered competency got the placement's estimate
    state = LearnerState.objects.get(student=world.student).state
    known = {code: learner.mastery(state, ladder.by_code(code).pk) for code in codes}  # (P, SD)
    assert known[codes[0]][0] > 0.8 > known[codes[-1]][0]
    assert rows[codes[-1]].mastery == pytest.approx(known[codes[-1]][0], abs=1e-3)
    # Its confidence is the learner model's evidence SD (two answers' worth), not sqrt(p(1-p)).
    assert rows[codes[0]].uncertainty == pytest.approx(known[codes[0]][1], abs=1e-3)
    p_first = known[codes[0]][0]
    assert rows[codes[0]].uncertainty != pytest.approx((p_first * (1 - p_first)) ** 0.5, abs=1e-3)
    # The path agrees, and the release rules see the ability.
    path = student_path(world.student).by_code()
    assert {c for c in codes if path[c].status == "mastered"} == mastered
    assert path[codes[k]].status == "ready"
    assert all(path[c].status == "locked" for c in codes[k + 1 :])
    assert diagnostic_level(world.student) == pytest.approx(sitting.theta)
    assert sitting.seeded["mastered"] == sorted(mastered)


def test_the_students_own_evidence_wins_over_a_placement(world: World, ladder: Ladder) -> None:
    first, second = ladder.competencies[0], ladder.competencies[1]
    Progress.objects.create(
        student=world.student, competency=first, status=Progress.Status.IN_PROGRESS, attempts=5, mastery=0.4
    )
    Progress.objects.create(
        student=world.student,
        competency=second,
        status=Progress.Status.MASTERED,
        mastered_by="check",
        mastery=0.97,
    )
    sitting = take(world.student, ladder.diagnostic, theta=2.1)
    kept = Progress.objects.get(student=world.student, competency=first)
    assert kept.status == Progress.Status.IN_PROGRESS
    assert kept.mastery == 0.4  # practised: left alone
    assert Progress.objects.get(student=world.student, competency=second).mastered_by == "check"
    assert {first.code, second.code} <= set(sitting.seeded["kept"])
    # A later, weaker sitting never takes a mastery away.
    again = take(world.student, ladder.diagnostic, theta=-3.0)
    assert again.placement["mastered"] == []
    assert Progress.objects.filter(
        student=world.student, mastered_by="diagnostic", status=Progress.Status.MASTERED
    ).exists()


def test_windows_record_the_season_and_decide_what_is_due(world: World, ladder: Ladder) -> None:
    add_windows(ladder.diagnostic)
    fall = timezone.make_aware(dt.datetime(2025, 9, 10, 10, 0))
    assert [d.diagnostic for d in selectors.due(world.student, fall.date())] == [ladder.diagnostic]
    sitting = sittings.start(world.student, ladder.diagnostic, at=fall)
    due = selectors.due(world.student, fall.date())
    assert due[0].sitting == sitting
    assert "continue" in due[0].reason
    sitting = take(world.student, ladder.diagnostic, theta=0.0, at=fall)
    assert (sitting.school_year, sitting.season) == ("2025-26", "fall")
    assert selectors.due(world.student, fall.date()) == []
    november = dt.date(2025, 11, 20)  # between windows: nothing due
    assert selectors.due(world.student, november) == []
    january = dt.date(2026, 1, 12)  # the winter window runs over the new year
    assert "winter" in selectors.due(world.student, january)[0].reason
    outside = take(
        world.classmate, ladder.diagnostic, theta=0.0, at=timezone.make_aware(dt.datetime(2025, 7, 2))
    )
    assert (outside.school_year, outside.season) == ("2025-26", "")


def test_growth_across_windows_per_student_and_per_section(world: World, ladder: Ladder) -> None:
    add_windows(ladder.diagnostic)

    def on(month: int, day: int, year: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime(year, month, day, 10))

    fall = take(world.student, ladder.diagnostic, theta=-1.1, at=on(9, 10, 2025))
    spring = take(world.student, ladder.diagnostic, theta=1.3, at=on(4, 20, 2026))
    take(world.classmate, ladder.diagnostic, theta=0.3, at=on(9, 11, 2025))
    rows = {r.student.pk: r for r in selectors.section_placements(world.section, school_year="2025-26")}
    mine, theirs = rows[world.student.pk], rows[world.classmate.pk]
    assert set(rows) == {world.student.pk, world.classmate.pk}  # current students only
    assert mine.growth == pytest.approx(spring.theta - fall.theta, abs=1e-3)
    assert mine.growth > 1.0
    assert mine.growth_se == pytest.approx(float(np.hypot(fall.se, spring.se)), abs=1e-3)
    assert theirs.growth is None
    assert [s.season if s else None for s in theirs.by_season] == [
        "fall",
        None,
        None,
    ]
    assert mine.latest is not None
    assert mine.latest.pk == spring.pk
    summary = selectors.section_growth(list(rows.values()), "2025-26")
    assert [(s.season, s.assessed) for s in summary.seasons] == [("fall", 2), ("winter", 0), ("spring", 1)]
    assert summary.students_with_growth == 1
    assert summary.mean_growth == pytest.approx(mine.growth)
    assert selectors.section_placements(world.section, school_year="2024-25")[0].seasons == {}


def test_flagged_items_leave_the_bank_until_a_reviewer_keeps_them(world: World, ladder: Ladder) -> None:
    from cairn.assessments.models import CalibrationRun

    run = CalibrationRun.objects.create(min_responses=50, persons=0, items=1, calibrated=1, flagged=1)
    item = ladder.items[0]
    flagged = ItemCalibration.objects.create(
        run=run,
        item=item,
        a=0.2,
        b=0.0,
        responses=80,
        calibrated=True,
        flag_reason="misfit",
        review="flagged",
    )
    assert item.pk not in bank.build(ladder.diagnostic, on_path=path_competencies())["items"]
    calibration.clear_flag(flagged, world.platform_admin)
    snapshot = bank.build(ladder.diagnostic, on_path=path_competencies())
    index = snapshot["items"].index(item.pk)
    assert snapshot["calibrated"][index]
    assert snapshot["a"][index] == pytest.approx(0.2)
    with pytest.raises(Conflict, match="not flagged"):
        calibration.clear_flag(flagged, world.platform_admin)


def test_prior_parameters_are_honest(world: World, ladder: Ladder) -> None:
    from cairn.curriculum.models import Item

    choice = Item.objects.create(
        identifier="choice-3",
        kind="choice",
        stem="Pick",
        spec={
            "kind": "choice",
            "choices": [{"id": "a", "text": "1"}, {"id": "b", "text": "2"}, {"id": "c", "text": "3"}],
            "correct": "a",
        },
    )
    plain = Item.objects.create(
        identifier="plain", kind="numeric", stem="1+1", spec={"kind": "numeric", "answer": "2"}
    )
    assert bank.prior_params(choice) == bank.Params(a=1.0, b=0.0, c=pytest.approx(1 / 3), calibrated=False)
    assert bank.prior_params(plain) == bank.Params(a=1.0, b=0.0, c=0.0, calibrated=False)
    assert bank.prior_params(ladder.items[5]).b == pytest.approx(-1.4)


def test_a_diagnostic_without_questions_is_refused(world: World, ladder: Ladder) -> None:
    from cairn.curriculum.models import Item, Status

    Item.objects.update(status=Status.DRAFT)
    with pytest.raises(Conflict, match=r"no competencies|no approved"):
        sittings.start(world.student, ladder.diagnostic)
    assert not Administration.objects.exists()
    ladder.diagnostic.active = False
    ladder.diagnostic.save()
    with pytest.raises(Conflict, match="not open"):
        sittings.start(world.student, ladder.diagnostic)


def test_a_diagnostic_release_rule_opens_once_the_student_places_above_it(
    world: World, ladder: Ladder
) -> None:
    from cairn.learning.models import ReleaseRule

    target = ladder.by_code("3.NF.A.2")
    ReleaseRule.objects.create(competency=target, rule={"kind": "diagnostic_above", "level": -1.5})
    rule_text = "Unlocks when the diagnostic places you above level -1.5"
    assert diagnostic_level(world.student) is None
    assert rule_text in student_path(world.student).by_code()["3.NF.A.2"].reasons
    sitting = take(world.student, ladder.diagnostic, theta=-1.1)
    assert sitting.theta > -1.5
    assert rule_text not in student_path(world.student).by_code()["3.NF.A.2"].reasons
    weak = take(world.classmate, ladder.diagnostic, theta=-3.0)
    assert weak.theta < -1.5
    assert rule_text in student_path(world.classmate).by_code()["3.NF.A.2"].reasons
