"""Export writes every app's part for one person and nothing of a classmate; erasure leaves no name in any
column of any table, keeps what district aggregates count, and refuses a later export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cairn.accounts.models import Enrolment, RoleAssignment, User
from cairn.agency.models import Reflection, WeeklyGoal
from cairn.core.errors import Conflict
from cairn.core.privacy import FORMER_STAFF, by_app, declarations, is_erased
from cairn.curriculum.models import Review
from cairn.learning.models import Attempt, PathOverride, Progress
from cairn.privacy.services.erasure import erase_person
from cairn.privacy.services.export import export_person, person_by_username
from tests.conftest import World
from tests.learning.conftest import Unit
from tests.privacy.conftest import CLASSMATE_NOTE, EMAIL, FIRST, LAST, NOTE, History, tables_containing


def _read(folder: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}


def _rows(parts: dict, model: str) -> list[dict]:  # type: ignore[type-arg]
    app = model.split(".")[0]
    return [row for part in parts[app]["parts"] if part["part"] == model for row in part["rows"]]


def test_export_writes_every_apps_part_and_a_readme(history: History, tmp_path: Path) -> None:
    folder = export_person(history.student, out_dir=tmp_path)
    parts = _read(folder)
    assert set(parts) == set(by_app(declarations()))
    readme = (folder / "README.txt").read_text()
    for app in parts:
        assert f"{app}.json" in readme
    assert _rows(parts, "accounts.User")[0]["last_name"] == LAST
    assert [g["note"] for g in _rows(parts, "agency.WeeklyGoal")] == [NOTE]
    assert [r["learned"] for r in _rows(parts, "agency.Reflection")] == [f"{FIRST} learned halves"]
    assert len(_rows(parts, "learning.Attempt")) == 2
    assert _rows(parts, "learning.PathOverride")[0]["set_by"] == "Tess Teacher"
    assert [g["name"] for g in _rows(parts, "insights.SmallGroup")] == ["Halves"]
    assert _rows(parts, "accounts.GuardianLink")[0]["student"] == "you"


def test_the_learner_models_state_is_exported_readable(history: History, unit: Unit, tmp_path: Path) -> None:
    """Per competency: its code, the estimate, its SD and the answers behind it; no packed blob."""
    (state,) = _rows(_read(export_person(history.student, out_dir=tmp_path)), "learning.LearnerState")
    assert set(state) == {"model_name", "updated_at", "competencies"}  # no packed "state" blob
    known = {row["competency"]: row for row in state["competencies"]}
    assert set(known) == {unit.a.code, unit.d.code}  # the two competencies answered
    for row in known.values():
        assert row["answers"] == 1
        assert 0 < row["estimate"] < 1 and 0 < row["sd"] < 0.5


def test_export_holds_nothing_of_a_classmate(history: History, tmp_path: Path) -> None:
    folder = export_person(history.student, out_dir=tmp_path)
    text = "\n".join(p.read_text() for p in folder.iterdir())
    classmate = history.classmate
    for trace in (classmate.username, classmate.first_name, CLASSMATE_NOTE, "Ben learned quarters"):
        assert trace not in text
    # The group's other members and their mastery snapshot are left out.
    assert set(_rows(_read(folder), "insights.SmallGroup")[0]) == {"name", "for_date", "note", "activity"}


def test_erasure_leaves_no_name_in_any_table(history: History) -> None:
    student = history.student
    needles = (student.username, FIRST, LAST, EMAIL)
    assert all(tables_containing(n) for n in (student.username, FIRST, LAST))  # the search finds them before
    erase_person(student, reason="command")
    for needle in needles:
        assert tables_containing(needle) == [], needle


def test_erasure_deletes_what_is_theirs_and_keeps_what_the_district_counts(
    history: History, world: World
) -> None:
    student = history.student
    attempts = Attempt.objects.filter(student=student).count()
    erase_person(student, reason="command")
    stand_in = User.objects.get(pk=student.pk)
    assert stand_in.username.startswith("erased-")
    assert not stand_in.is_active
    assert not stand_in.has_usable_password()
    assert (stand_in.first_name, stand_in.last_name, stand_in.email) == ("", "", "")
    assert not WeeklyGoal.objects.filter(student=stand_in).exists()
    assert not Reflection.objects.filter(student=stand_in).exists()
    assert not PathOverride.objects.filter(student=stand_in).exists()
    assert not Enrolment.objects.filter(user=stand_in).exists()
    assert not RoleAssignment.objects.filter(user=stand_in).exists()
    # Answers and progress stay for item calibration and the learner model, without the typed text.
    kept = Attempt.objects.filter(student=stand_in)
    assert kept.count() == attempts
    assert set(kept.values_list("answer", flat=True)) == {""}
    assert Progress.objects.filter(student=stand_in).exists()
    # The classmate is untouched.
    assert WeeklyGoal.objects.filter(student=history.classmate, note=CLASSMATE_NOTE).exists()
    assert Attempt.objects.filter(student=history.classmate).exclude(answer="").count() == 2


def test_after_erasure_an_export_is_refused_and_the_name_is_remembered_only_hashed(
    history: History, tmp_path: Path
) -> None:
    username = history.student.username
    erase_person(history.student, reason="command")
    with pytest.raises(Conflict, match="erased"):
        person_by_username(username)
    with pytest.raises(Conflict, match="erased"):
        export_person(User.objects.get(pk=history.student.pk), out_dir=tmp_path)
    with pytest.raises(Conflict):
        erase_person(User.objects.get(pk=history.student.pk), reason="command")
    assert is_erased(username)
    assert is_erased(f"  {EMAIL.upper()} ")
    assert not is_erased(history.classmate.username)
    assert tables_containing(username) == []


def test_erasing_a_teacher_keeps_their_records_as_former_staff(history: History, world: World) -> None:
    erase_person(world.teacher, reason="command")
    review = Review.objects.get()
    assert review.reviewer is None
    override = PathOverride.objects.get(student=history.student)
    assert override.set_by is None
    from cairn.core.privacy import name_or_former_staff

    assert name_or_former_staff(override.set_by) == FORMER_STAFF
    assert tables_containing("Tess") == []
    assert tables_containing("tess_teacher") == []
