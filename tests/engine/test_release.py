from __future__ import annotations

import datetime as dt

import pytest

from cairn.engine.release import (
    AfterActivity,
    DiagnosticAbove,
    Facts,
    FromDate,
    MasteryRule,
    Status,
    WhenMastered,
    evaluate,
    rule_from_dict,
    rule_to_dict,
)

PRE = {"B": ["A"], "C": ["B"], "D": []}


def test_prerequisites_lock_until_mastered_and_say_why() -> None:
    states = evaluate("ABCD", PRE, {}, Facts(mastered=frozenset("A"), started=frozenset("B")))
    assert states["A"].status is Status.MASTERED
    assert states["B"].status is Status.IN_PROGRESS
    assert states["C"].status is Status.LOCKED
    assert states["C"].reasons == ("Needs B first",)
    assert states["C"].waiting_on == ("B",)  # the same reason as data, for pages that name it their way
    assert states["D"].status is Status.READY


def test_each_rule_holds_back_until_its_condition_and_names_itself() -> None:
    today = dt.date(2026, 11, 22)
    rules = {
        "D": [
            WhenMastered("when_mastered", "A"),
            AfterActivity("after_activity", "act-7", "Fraction strips"),
            FromDate("from_date", dt.date(2026, 12, 1)),
            DiagnosticAbove("diagnostic_above", 0.5),
        ]
    }
    locked = evaluate("D", PRE, rules, Facts(today=today))["D"]
    assert locked.status is Status.LOCKED
    assert locked.reasons == (
        "Unlocks when A is mastered",
        "Unlocks after the activity “Fraction strips”",
        "Opens on 2026-12-01",
        "Unlocks when the diagnostic places you above level 0.5",
    )
    facts = Facts(
        mastered=frozenset("A"),
        completed_activities=frozenset({"act-7"}),
        today=dt.date(2026, 12, 1),
        diagnostic_level=0.6,
    )
    assert evaluate("D", PRE, rules, facts)["D"].status is Status.READY
    assert (
        evaluate("D", PRE, rules, Facts(diagnostic_level=0.5))["D"].status is Status.LOCKED
    )  # "above" is strict


def test_teacher_overrides_win_and_are_marked() -> None:
    unlocked = evaluate("C", PRE, {}, Facts(teacher_unlocked=frozenset("C")))["C"]
    assert unlocked.status is Status.READY
    assert unlocked.set_by_teacher
    locked = evaluate("D", PRE, {}, Facts(teacher_locked=frozenset("D")))["D"]
    assert locked.status is Status.LOCKED
    assert locked.reasons == ("Locked by your teacher",)


def test_rules_round_trip_through_json_and_bad_rules_are_named() -> None:
    rule = FromDate("from_date", dt.date(2027, 1, 10))
    assert rule_from_dict(rule_to_dict(rule)) == rule
    with pytest.raises(ValueError, match="unknown release rule kind 'whenever'"):
        rule_from_dict({"kind": "whenever"})
    with pytest.raises(ValueError, match="needs the field 'competency'"):
        rule_from_dict({"kind": "when_mastered"})
    with pytest.raises(ValueError, match="from_date"):
        rule_from_dict({"kind": "from_date", "date": "next tuesday"})


def test_mastery_check_decides_as_soon_as_it_is_certain() -> None:
    rule = MasteryRule(threshold=0.95, check_items=3, check_to_pass=2)
    assert rule.check_outcome([True]) == "continue"
    assert rule.check_outcome([True, True]) == "pass"
    assert rule.check_outcome([False, False]) == "fail"
    assert rule.check_outcome([True, False]) == "continue"
    with pytest.raises(ValueError):
        MasteryRule(threshold=1.2)


def test_check_rule_starts_a_check_at_the_threshold_and_masters_on_it_without_check_items() -> None:
    rule = MasteryRule(threshold=0.95)
    assert rule.decide(0.949) == "continue"
    assert rule.decide(0.95) == "check"
    assert MasteryRule(threshold=0.95, check_items=0, check_to_pass=0).decide(0.96) == "mastered"


def test_posterior_rule_masters_on_the_estimate_alone_and_never_below_its_threshold() -> None:
    rule = MasteryRule(threshold=0.99, method="posterior")
    assert not rule.uses_check
    assert rule.decide(0.98) == "continue"
    assert rule.decide(0.995) == "mastered"
    # The check fields stay valid (the policy form keeps them) but are not used by this method.
    assert MasteryRule(threshold=0.99, check_items=3, check_to_pass=2, method="posterior").decide(0.99) == (
        "mastered"
    )
    with pytest.raises(ValueError, match="method"):
        MasteryRule(method="vibes")


def test_posterior_rule_masters_a_calibrated_bkt_learner_sooner_than_the_check() -> None:
    """Same answers, same model: the posterior rule stops at the answer that brings P(known) to its
    threshold, the check rule needs three more right answers after reaching its own."""
    from cairn.engine.kt.bkt import posterior_known

    def answers_to_mastery(rule: MasteryRule) -> int:
        known, n = 0.15, 0
        check: list[bool] | None = None
        while n < 50:
            n += 1
            known = posterior_known(known, 1, 0.2, 0.2, 0.1)
            if check is not None:
                check.append(True)
                if rule.check_outcome(check) == "pass":
                    return n
                continue
            decision = rule.decide(known)
            if decision == "mastered":
                return n
            if decision == "check":
                check = []
        return n

    assert (
        answers_to_mastery(MasteryRule(threshold=0.99, method="posterior")) == 4
    )  # 0.554, 0.879, 0.976, 0.996
    assert answers_to_mastery(MasteryRule()) == 6  # 0.976 ≥ 0.95 at the 3rd, then 3 right in the check
