"""The vetting review: the questions districts ask before they adopt content, and what approval needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    help: str
    must_meet: bool = False  # approval is refused unless this one "meets"


QUESTIONS: tuple[Question, ...] = (
    Question(
        "alignment", "Is it aligned to the standards it claims?", "Which standards, and how closely.", True
    ),
    Question(
        "accuracy", "Is it accurate, and free of errors and bias?", "Check the maths and the examples.", True
    ),
    Question("engagement", "Will it engage students?", "Active thinking, not passive clicking."),
    Question(
        "special_needs",
        "Does it fit students with special needs?",
        "Accommodations; works with screen readers; captions and alt text.",
    ),
    Question(
        "reading_level", "Can its reading level be adapted?", "Levelled text, read-aloud, vocabulary support."
    ),
    Question("translation", "Is it available in our students' and families' languages?", "Which languages."),
    Question(
        "video", "If it has video: is it clear, short, captioned and transcribed?", "Answer n/a if none."
    ),
    Question("adaptivity", "Does it adapt to the student?", "Difficulty, pacing, feedback."),
    Question(
        "network",
        "Does it work on the school's network and devices?",
        "Bandwidth, web filters, no plug-ins, works offline if it must.",
    ),
    Question(
        "grading_sync", "Does it sync with our gradebook or SIS?", "LTI, OneRoster or at least a CSV export."
    ),
    Question("teacher_control", "Can teachers add, remove or reorder parts of it?", ""),
    Question("maintainer", "Who maintains it, and is it kept up to date?", "Name the maintainer."),
    Question(
        "licence",
        "Is the licence clear and fit for how we will use it?",
        "Open licence or signed terms; student data privacy.",
        True,
    ),
    Question(
        "cost", "Is the sustaining cost acceptable?", "After the first year: licences, devices, training."
    ),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)

RATINGS = (("meets", "Meets"), ("partly", "Partly"), ("does_not", "Does not"), ("na", "n/a"))
RATING_KEYS = tuple(key for key, _ in RATINGS)


def approval_problems(answers: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Why an approval can't go through, by question key; empty when it can."""
    problems = {}
    for q in QUESTIONS:
        rating = answers.get(q.key, {}).get("rating", "")
        if rating not in RATING_KEYS:
            problems[q.key] = "not answered"
        elif q.must_meet and rating != "meets":
            problems[q.key] = f"must meet the bar to approve ({q.text})"
    return problems
