"""Autonomy skills (goal setting, time management, self-monitoring, help-seeking, persistence): the shipped
framework and the rules that turn what Cairn sees into an observed level.

The skills, their four levels (1 beginning … 4 independent) with an "I can" line for students and a rubric
line for teachers, and a short lesson each, are data (``data/autonomy_skills.json``, Spanish beside
English); :mod:`cairn.agency.autonomy_services` installs them as a public framework ("Learning skills")
with its lessons as approved content. The rules below are pure: they take counts
(:class:`Signals`, gathered in :mod:`cairn.agency.autonomy_signals`) and return a level with its reason in
words. A teacher's rating (``SkillRating``) is shown beside the observed level, never blended into it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).with_name("data") / "autonomy_skills.json"
LEVELS = (1, 2, 3, 4)
WEAK = 2  # a level at or below this is worth a lesson (board) or a small group (Today)
GROUP_MIN = 3  # students at a weak level on one skill before Today suggests teaching it
GROUP_MAX = 6  # a small group, not the whole class


@cache
def catalog() -> dict[str, Any]:
    """The shipped framework, as in the data file."""
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Skill:
    key: str
    code: str
    data: dict[str, Any]

    def _spanish(self) -> bool:
        return (get_language() or "en").split("-")[0] == "es"

    @property
    def name(self) -> str:
        return str(self.data["name_es"] if self._spanish() else self.data["name"])

    @property
    def student_statement(self) -> str:
        es = self.data.get("es", {}).get("student_statement")
        return str(es if self._spanish() and es else self.data["student_statement"])

    def level_text(self, level: int, who: str) -> str:
        """The level's line for ``who``: "student" (an "I can" line) or "rubric" (the teacher's)."""
        entry = self.data["levels"][level - 1]
        return str(entry["es"][who] if self._spanish() else entry[who])

    def rubric(self) -> list[tuple[int, str]]:
        return [(level, self.level_text(level, "rubric")) for level in LEVELS]


def skills() -> list[Skill]:
    """The five skills, in the framework's order."""
    return [Skill(s["key"], s["code"], s) for s in catalog()["skills"]]


def skill(key: str) -> Skill:
    return next(s for s in skills() if s.key == key)


@dataclass(frozen=True)
class Observed:
    """What Cairn sees of one skill: a level 1-4 (None: not enough to see yet) and why, in words."""

    skill: str
    level: int | None
    reason: str

    @property
    def weak(self) -> bool:
        return self.level is not None and self.level <= WEAK


@dataclass(frozen=True)
class Signals:
    """Counts for one student over the recent weeks (see autonomy_signals for the windows)."""

    goal_weeks: int = 4  # past weeks looked at for goals
    goals_set: int = 0
    goals_kept: int = 0  # both targets met (competencies and minutes)
    minutes_met: int = 0  # goal weeks whose minutes were reached
    school_days: int = 10
    active_days: int = 0  # school days with practice or an activity
    reflections: int = 0
    judged: int = 0  # reflections on a day with answers to compare the feeling with
    calibrated: int = 0  # of those, the feeling matched how the answers went
    misses: int = 0
    misses_helped: int = 0  # a hint on the missed answer or on the next try at that competency
    asks: int = 0  # "ask my teacher" messages and reflections asking the teacher
    left_on_miss: int = 0  # (competency, day) whose last answer that day was a miss (before today)
    came_back: int = 0  # of those, answered again on a later day


def _by_ratio(ratio: float, cuts: tuple[float, float, float]) -> int:
    """1 under the first cut, 2 under the second, 3 under the third, else 4."""
    return 1 + sum(ratio >= cut for cut in cuts)


def goal_setting(s: Signals) -> Observed:
    if s.goals_set == 0:
        reason = _("no weekly goal set in the last %(weeks)d weeks") % {"weeks": s.goal_weeks}
        return Observed("goals", 1, reason)
    reason = _("kept %(kept)d of %(set)d weekly goals") % {"kept": s.goals_kept, "set": s.goals_set}
    if s.goals_kept == 0:
        return Observed("goals", 2, reason)
    independent = s.goals_set >= 3 and s.goals_kept / s.goals_set >= 0.75
    return Observed("goals", 4 if independent else 3, reason)


def time_management(s: Signals) -> Observed:
    level = _by_ratio(s.active_days / s.school_days if s.school_days else 0.0, (0.2, 0.5, 0.8))
    reason = _("worked on %(active)d of the last %(days)d school days") % {
        "active": s.active_days,
        "days": s.school_days,
    }
    if s.goals_set:
        reason = _("%(days)s; reached the planned minutes in %(met)d of %(set)d weeks") % {
            "days": reason,
            "met": s.minutes_met,
            "set": s.goals_set,
        }
        if s.minutes_met * 2 < s.goals_set:
            level = min(level, 3)
    return Observed("time", level, reason)


def self_monitoring(s: Signals) -> Observed:
    if s.reflections == 0:
        return Observed("monitor", 1, _("no reflection written in the last 4 weeks"))
    reason = _("wrote %(count)d reflections") % {"count": s.reflections}
    if s.judged:
        reason = _("%(written)s; their feeling matched their answers %(matched)d of %(judged)d times") % {
            "written": reason,
            "matched": s.calibrated,
            "judged": s.judged,
        }
    if s.reflections < 3:
        return Observed("monitor", 2, reason)
    accurate = s.judged >= 2 and s.calibrated * 3 >= s.judged * 2
    return Observed("monitor", 4 if accurate else 3, reason)


def help_seeking(s: Signals) -> Observed:
    if s.misses < 3 and s.asks == 0:
        return Observed("help", None, _("too few mistakes yet to see"))
    ratio = s.misses_helped / s.misses if s.misses else 1.0
    level = min(4, _by_ratio(ratio, (0.15, 0.4, 0.7)) + (1 if s.asks else 0))
    reason = _("used help after %(helped)d of %(misses)d mistakes; asked the teacher %(asks)d times") % {
        "helped": s.misses_helped,
        "misses": s.misses,
        "asks": s.asks,
    }
    return Observed("help", level, reason)


def persistence(s: Signals) -> Observed:
    if s.misses < 3:
        return Observed("persist", None, _("too few mistakes yet to see"))
    if s.left_on_miss == 0:
        return Observed("persist", 4, _("kept at it after every mistake until it went right"))
    reason = _("came back on a later day to %(back)d of %(left)d skills left after a mistake") % {
        "back": s.came_back,
        "left": s.left_on_miss,
    }
    ratio = s.came_back / s.left_on_miss
    return Observed("persist", 4 if ratio == 1 else _by_ratio(ratio, (0.34, 0.67, 2.0)), reason)


RULES = (goal_setting, time_management, self_monitoring, help_seeking, persistence)


def observe(s: Signals) -> list[Observed]:
    """Every skill's observed level, in the framework's order."""
    return [rule(s) for rule in RULES]


def weakest(observed: list[Observed]) -> Observed | None:
    """The skill most worth a lesson: the lowest weak level (the framework's order breaks ties)."""
    weak = [o for o in observed if o.weak]
    return min(weak, key=lambda o: o.level or 0) if weak else None
