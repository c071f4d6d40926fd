"""The choice board: different kinds of activity, each with its reason, ranked by fit and need."""

from __future__ import annotations

from cairn.engine.recommend import Candidate, StudentProfile, choice_board, score


def _cand(i: str, kind: str, **kw) -> Candidate:  # type: ignore[no-untyped-def]
    base = {"competency": "4.NF.A.1", "p_correct": 0.78, "mastery": 0.5}
    return Candidate(activity_id=i, title=i, kind=kind, **{**base, **kw})


def test_board_offers_different_kinds_with_reasons() -> None:
    candidates = [
        _cand("p1", "practice"),
        _cand("p2", "practice"),
        _cand("v1", "video"),
        _cand("r1", "reading"),
        _cand("x1", "project"),
    ]
    board = choice_board(candidates, StudentProfile(), size=3)
    assert len(board) == 3
    assert len({r.candidate.kind for r in board}) == 3
    assert all(r.why for r in board)


def test_teacher_assignment_and_due_review_rise_to_the_top() -> None:
    board = choice_board(
        [_cand("p1", "practice"), _cand("t1", "reading", assigned_by_teacher=True)], StudentProfile(), size=2
    )
    assert board[0].candidate.activity_id == "t1"
    assert board[0].why == "Your teacher assigned this."


def test_challenge_prefers_the_70_to_85_zone() -> None:
    student = StudentProfile(recent_kinds=("practice",))
    easy = score(_cand("e", "practice", p_correct=0.99), student)
    right = score(_cand("r", "practice", p_correct=0.78), student)
    hard = score(_cand("h", "practice", p_correct=0.3), student)
    assert right.score > easy.score
    assert right.score > hard.score


def test_fit_language_reading_level_and_supports() -> None:
    student = StudentProfile(language="es", reading_level=4, needs=frozenset({"captions"}))
    fits = score(
        _cand("a", "video", language="es", reading_level=3, accessibility=frozenset({"captions"})), student
    )
    misfit = score(_cand("b", "video", language="en", reading_level=7), student)
    assert fits.score > misfit.score + 2


def test_a_stuck_student_is_steered_away_from_more_drill() -> None:
    student = StudentProfile(spinning=frozenset({"4.NF.A.1"}))
    board = choice_board([_cand("p", "practice"), _cand("v", "video")], student, size=1)
    assert board[0].candidate.kind == "video"
    assert "different way" in board[0].why


def test_the_why_line_names_the_students_own_fit() -> None:
    """Language, a support of their plan and the kind they like are named before generic reasons."""
    spanish = StudentProfile(language="es")
    es = score(_cand("es", "reading", language="es"), spanish)
    assert (es.reason, es.detail, es.why) == ("language", "es", "In Spanish, your language.")
    plan = StudentProfile(needs=frozenset({"read_aloud", "larger_text"}))
    aloud = score(_cand("p", "practice", accessibility=frozenset({"read_aloud"})), plan)
    assert (aloud.reason, aloud.detail, aloud.why) == (
        "accessibility",
        "read_aloud",
        "Read aloud, as in your plan.",
    )
    likes = score(_cand("v", "video"), StudentProfile(preferred_kinds=frozenset({"video"})))
    assert (likes.reason, likes.why) == ("preference", "A video: the way you like to learn.")
    teacher = score(_cand("t", "video", language="es", assigned_by_teacher=True), spanish)
    assert teacher.reason == "teacher"  # the teacher's assignment still says so
    english = score(_cand("en", "reading"), StudentProfile())
    assert english.reason != "language"  # the default language is nobody's particular fit
