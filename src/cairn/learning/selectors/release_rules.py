"""Reads of a section's release rules, and who may change them: a current teacher of the section.
Adding and removing rules is :mod:`cairn.learning.services.release_rules`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.core.errors import Forbidden, NotFound
from cairn.curriculum.models import Competency
from cairn.engine.release import AfterActivity, FromDate, Rule, WhenMastered, rule_from_dict
from cairn.learning.models import ReleaseRule

# The diagnostic reports ability on a logit scale where 0 is a typical student of the grades it spans
# (assessments' result page says so). A "diagnostic above L" rule opens when the ability is above L; teachers
# pick L in these words, each the start of a band ("on grade": above −0.5). The one place the words live
# (in English: they also name the levels in the API; pages translate them).
DIAGNOSTIC_LEVELS: list[tuple[float, str]] = [
    (-1.0, gettext_noop("below grade")),  # not "well below grade" (at or under −1)
    (-0.5, gettext_noop("on grade")),
    (0.5, gettext_noop("above grade")),
    (1.0, gettext_noop("well above grade")),
]


def level_words(level: float) -> str:
    """A "diagnostic above" level as the rule reads: "at “on grade” or higher", or the number off the list."""
    for value, words in DIAGNOSTIC_LEVELS:
        if abs(value - level) < 1e-9:
            return _("at “%(words)s” or higher") % {"words": _(words)}
    return _("above %(level)s on its ability scale") % {"level": f"{level:g}"}


def date_words(day: dt.date) -> str:
    """A rule's date as people read it: "4 January 2027", not 2027-01-04."""
    return date_format(day, "j F Y")


def rule_sentence(rule: Rule, *, names: Mapping[str, str]) -> str:
    """The rule as a teacher reads it after "Open <competency> ": ``names`` gives a competency's words for
    its code ("Add fractions (4.NF.B.3)"); a code not in it is shown as it is."""
    if isinstance(rule, WhenMastered):
        return _("when a student has mastered %(name)s") % {
            "name": names.get(rule.competency, rule.competency)
        }
    if isinstance(rule, AfterActivity):
        return _("after a student has done “%(title)s”") % {"title": rule.title or rule.activity}
    if isinstance(rule, FromDate):
        return _("from %(date)s") % {"date": date_words(rule.date)}
    return _("when the diagnostic places a student %(level)s") % {"level": level_words(rule.level)}


def open_sentence(competency: str, rule: Rule, *, names: Mapping[str, str]) -> str:
    """The whole rule as one sentence: "Open <competency> when …" (without the final stop)."""
    return _("Open %(competency)s %(condition)s") % {
        "competency": competency,
        "condition": rule_sentence(rule, names=names),
    }


def competency_words(competency: Competency) -> str:
    """A competency as an adult page names it: its statement, then its code."""
    statement = competency.statement if len(competency.statement) <= 90 else competency.statement[:89] + "…"
    return f"{statement} ({competency.code})"


@dataclass(frozen=True)
class RuleView:
    pk: int
    competency: str
    sentence: str
    created_by: str
    created_at: dt.datetime


def can_manage(user: User, section: Section) -> bool:
    return access.teachers_of_section(section).filter(pk=user.pk).exists()


def managed_section(viewer: User, section_id: int) -> Section:
    """The section whose rules ``viewer`` manages: not found unless they may see it, forbidden unless they
    teach it now. The one check behind the rules' page and API."""
    section = Section.objects.select_related("school").filter(pk=section_id).first()
    if section is None or not access.can_view_section(viewer, section):
        raise NotFound(_("No such section."))
    if not can_manage(viewer, section):
        raise Forbidden(_("Only a current teacher of this section can change its release rules."))
    return section


def rules_for(section: Section) -> list[RuleView]:
    """The section's rules, each as one sentence ("Open … when a student has mastered …")."""
    rows = list(
        ReleaseRule.objects.filter(section=section)
        .select_related("competency", "created_by")
        .order_by("competency__code", "pk")
    )
    rules = [rule_from_dict(r.rule) for r in rows]
    wanted = {r.competency.code for r in rows} | {x.competency for x in rules if isinstance(x, WhenMastered)}
    names = {c.code: competency_words(c) for c in Competency.objects.filter(code__in=wanted)}
    return [
        RuleView(
            r.pk,
            r.competency.code,
            open_sentence(names.get(r.competency.code, r.competency.code), rule, names=names),
            r.created_by.display_name if r.created_by else "",
            r.created_at,
        )
        for r, rule in zip(rows, rules, strict=True)
    ]
