"""What a leader looks for on a walkthrough: a few plain look-fors per pillar of personalized learning. A
district's walkthrough form shows those of the pillars its current definition commits to (every pillar
until it has written one)."""

from __future__ import annotations

from typing import NamedTuple

from cairn.accounts.models import District
from cairn.leaders import selectors
from cairn.leaders.models.goals import Pillar


class LookFor(NamedTuple):
    key: str
    pillar: str
    text: str


DEFAULTS: dict[str, tuple[tuple[str, str], ...]] = {
    Pillar.LEARNER_PROFILES: (
        ("profile_known", "The teacher can say what each student in a group needs next."),
        ("student_knows_goal", "Students can say their own goal for the week."),
    ),
    Pillar.PERSONAL_PATHS: (
        ("different_work", "Students work on different things, matched to what they need."),
        ("student_choice", "Students choose how or in what order they work."),
    ),
    Pillar.COMPETENCY_PROGRESSION: (
        ("evidence_of_mastery", "Students can show what they have mastered and what comes next."),
        ("move_on_ready", "Students move on when ready, not when the calendar says."),
    ),
    Pillar.FLEXIBLE_ENVIRONMENTS: (
        ("small_group", "The teacher is working with a small group."),
        ("balanced_screens", "Screens are one station among others, not the whole lesson."),
        ("peers_together", "Students work with peers at a collaborative station."),
    ),
}


def for_district(district: District) -> list[LookFor]:
    """The look-fors of the pillars the district's current definition names, in pillar order."""
    definition = selectors.current_definition(district)
    chosen = set(definition.pillars) if definition is not None and definition.pillars else set(DEFAULTS)
    return [
        LookFor(key, pillar.value, text)
        for pillar in Pillar
        if pillar in chosen
        for key, text in DEFAULTS.get(pillar, ())
    ]
