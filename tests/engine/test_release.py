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
