"""The choice board: three or four next activities, ranked, each with a one-line "why this".

The student chooses; Cairn's job is to offer a few good options that differ in kind. Each candidate is
scored on what the research and teachers care about, with weights a district can change:

- readiness: the competency is ready or in progress (locked ones are never offered);
- expected learning gain: how far the competency is from mastery, and how central it is (how many other
  competencies wait on it);
- challenge: predicted success near the zone where practice pays most (70–85% right);
- fit: reading level not above the student's, the student's language, the accommodations they need;
- preference and novelty: the student's preferred modality, and kinds they haven't done lately;
- the teacher: assigned activities come first;
- due review of mastered competencies, and variety (a different kind) when the student is wheel-spinning.

The scores are transparent sums, so the "why this" line names the largest contribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    activity_id: str
    title: str
    kind: str  # practice, video, reading, interactive, project, offline, review
    competency: str
    p_correct: float  # the learner model's prediction for this student on this competency
    mastery: float  # current mastery estimate of the competency
    dependents: int = 0  # competencies that have this one as a prerequisite
    reading_level: float | None = None  # grade level
    language: str = "en"
    accessibility: frozenset[str] = frozenset()
    minutes: int = 10
    assigned_by_teacher: bool = False
    review_due: bool = False


@dataclass(frozen=True)
class StudentProfile:
    reading_level: float | None = None  # grade level the student reads at comfortably
    language: str = "en"
    needs: frozenset[str] = frozenset()  # accommodations, e.g. {"captions", "read_aloud"}
    preferred_kinds: frozenset[str] = frozenset()
    recent_kinds: Sequence[str] = ()  # most recent first
    spinning: frozenset[str] = frozenset()  # competencies where the wheel-spinning guard fired


@dataclass(frozen=True)
class Weights:
    gain: float = 2.0
    centrality: float = 0.15
    challenge: float = 1.5
    reading: float = 1.0
    language: float = 2.0
    accessibility: float = 1.0
    preference: float = 0.5
    novelty: float = 0.5
    teacher: float = 3.0
    review: float = 1.5
    variety_when_stuck: float = 2.5


@dataclass(frozen=True)
class Recommendation:
    candidate: Candidate
    score: float
    why: str
    contributions: dict[str, float] = field(default_factory=dict)
    # What ``why`` says, as data the app words in the student's language: the reason's key (a key of
    # ``_WHY``, or ``gain_progress``/``gain_start``) and its detail (the language, the need met, the kind).
    reason: str = ""
    detail: str = ""


ZONE = (0.70, 0.85)

# Said to the student beside the activity's own "I can" title, so no line names a competency (or its code).
_WHY = {
    "teacher": "Your teacher assigned this.",
    "review": "Time to review: a quick check keeps it fresh.",
    "gain": "You're close to mastering this; it's the next step.",
    "challenge": "Just the right challenge: you'll get most of these right.",
    "centrality": "This opens several other topics.",
    "variety_when_stuck": "A different way in, since practice alone hasn't clicked yet.",
    "preference": "A {k}: the way you like to learn.",
    "novelty": "Something different from what you did last.",
    "language": "In your language.",
    "reading": "Written at a comfortable reading level.",
    "accessibility": "Has the supports you use.",
    "gain_progress": "You're making progress here; this moves you toward mastery.",
    "gain_start": "Ready for you: a good place to start.",
}
# The fit named in the why line (issue 14): the student's own language, a support their plan lists.
_LANGUAGE_NAMES = {"es": "Spanish", "en": "English", "fr": "French", "pt": "Portuguese", "vi": "Vietnamese"}
_NEED_WHY = {
    "read_aloud": "Read aloud, as in your plan.",
    "captions": "With captions, as in your plan.",
    "transcript": "With a transcript, as in your plan.",
}
# Reasons a met fit outranks in the why line: the fit is what makes this option this student's.
_GENERIC = frozenset({"gain", "challenge", "centrality", "novelty", "reading"})


def _gain_reason(c: Candidate) -> str:
    """The learning-gain reason, worded for where the student stands on the competency."""
    if c.mastery >= 0.7:
        return "gain"
    return "gain_progress" if c.mastery >= 0.3 else "gain_start"


def _fit(c: Candidate, student: StudentProfile, parts: dict[str, float]) -> tuple[str, str] | None:
    """The student's own fit this candidate meets, if any: a need of their plan it supports, their
    language when it isn't the default, a kind they prefer (in that order)."""
    met = sorted(student.needs & c.accessibility, key=lambda n: (n not in _NEED_WHY, n))
    if met:
        return "accessibility", met[0]
    if student.language != "en" and c.language == student.language:
        return "language", c.language
    if parts.get("preference", 0) > 0:
        return "preference", c.kind
    return None


def _why(reason: str, detail: str, c: Candidate) -> str:
    """The English line for a reason (the app words it in the student's language from reason and detail)."""
    if reason == "accessibility" and detail in _NEED_WHY:
        return _NEED_WHY[detail]
    if reason == "language" and detail in _LANGUAGE_NAMES:
        return f"In {_LANGUAGE_NAMES[detail]}, your language."
    return _WHY[reason].format(c=c.competency, k=c.kind)


def score(candidate: Candidate, student: StudentProfile, weights: Weights = Weights()) -> Recommendation:
    c, w = candidate, weights
    parts: dict[str, float] = {}
    parts["gain"] = w.gain * (1 - c.mastery) * (0.5 + 0.5 * c.mastery)  # most gain mid-way, little at 0 or 1
    parts["centrality"] = w.centrality * min(c.dependents, 5)
    lo, hi = ZONE
    distance = max(lo - c.p_correct, c.p_correct - hi, 0.0)
    parts["challenge"] = (
        w.challenge * (1 - min(distance / 0.3, 1.0)) if c.kind in {"practice", "review"} else 0.0
    )
    if student.reading_level is not None and c.reading_level is not None:
        over = c.reading_level - student.reading_level
        parts["reading"] = -w.reading * max(over, 0.0) / 2 if over > 0 else w.reading * 0.2
    parts["language"] = w.language * (0.3 if c.language == student.language else -1.0)
    if student.needs:
        met = len(student.needs & c.accessibility) / len(student.needs)
        parts["accessibility"] = w.accessibility * (met - 0.5) * 2
    if c.kind in student.preferred_kinds:
        parts["preference"] = w.preference
    recent = list(student.recent_kinds[:3])
    parts["novelty"] = w.novelty * (1.0 if c.kind not in recent else -0.5 * (3 - recent.index(c.kind)) / 3)
    if c.assigned_by_teacher:
        parts["teacher"] = w.teacher
    if c.review_due:
        parts["review"] = w.review
    if c.competency in student.spinning:
        parts["variety_when_stuck"] = w.variety_when_stuck * (-1.0 if c.kind == "practice" else 1.0)
    total = sum(parts.values())
    positive = {k: v for k, v in parts.items() if v > 0}
    top = max(positive, key=lambda k: positive[k]) if positive else "gain"
    fit = _fit(c, student, parts) if top in _GENERIC else None
    reason, detail = fit or (
        (_gain_reason(c), "") if top == "gain" else (top, c.kind if top == "preference" else "")
    )
    why = _why(reason, detail, c)
    return Recommendation(
        candidate=c, score=total, why=why, contributions=parts, reason=reason, detail=detail
    )


def choice_board(
    candidates: Sequence[Candidate], student: StudentProfile, *, size: int = 4, weights: Weights = Weights()
) -> list[Recommendation]:
    """The best ``size`` options, greedily preferring a kind not yet on the board, so a student chooses
    between a practice set, a video and a project rather than between three practice sets."""
    ranked = sorted(
        (score(c, student, weights) for c in candidates), key=lambda r: (-r.score, r.candidate.activity_id)
    )
    board: list[Recommendation] = []
    kinds: set[str] = set()
    for rec in ranked:
        if len(board) == size:
            break
        if rec.candidate.kind not in kinds:
            board.append(rec)
            kinds.add(rec.candidate.kind)
    for rec in ranked:  # fill up with the best remaining if there weren't enough kinds
        if len(board) == size:
            break
        if rec not in board:
            board.append(rec)
    return board
