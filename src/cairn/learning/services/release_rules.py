"""Teachers' release rules: when a competency opens for a section, written in plain terms.

A rule is one of the engine's kinds (:mod:`cairn.engine.release`): "unlock X when Y is mastered", "after
activity A", "from date D", "when the diagnostic places above level L". Rules apply on top of the
prerequisite graph; students see the sentence of any rule holding something back. Only a current teacher
of the section may add or remove its rules, and a rule that would make competencies wait on each other
forever (through prerequisites and "when mastered" rules together) is refused with the loop named.
Reading a section's rules, and who may change them, is :mod:`cairn.learning.selectors.release_rules`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.core.errors import Forbidden, Invalid, NotFound
from cairn.curriculum.models import Competency, Content, Prerequisite
from cairn.engine import graph
from cairn.engine.release import Rule, WhenMastered, rule_from_dict, rule_to_dict
from cairn.learning.models import ReleaseRule
from cairn.learning.selectors.release_rules import DIAGNOSTIC_LEVELS, can_manage

KINDS = {
    "when_mastered": "when another competency is mastered",
    "after_activity": "after an activity is done",
    "from_date": "from a date",
    "diagnostic_above": "when the diagnostic places the student at a level or higher",
}


def build_rule(kind: str, value: str) -> Rule:
    """A rule from a form's kind and its one value (a competency code, an activity identifier or id, a date,
    a diagnostic level in words such as "on grade" or as a number)."""
    value = (value or "").strip()
    if kind not in KINDS:
        raise Invalid(f"Choose what the rule waits for ({', '.join(KINDS)}).", field="kind")
    if not value:
        raise Invalid(f"A rule {KINDS[kind]} needs a value.", field="value")
    if kind == "when_mastered":
        if not Competency.objects.filter(code=value).exists():
            raise Invalid(
                _("There is no competency with the code %(code)r.") % {"code": value}, field="value"
            )
        data: dict[str, object] = {"kind": kind, "competency": value}
    elif kind == "after_activity":
        content = Content.objects.filter(identifier=value).first()
        if content is None and value.isdigit():
            content = Content.objects.filter(pk=int(value)).first()
        if content is None:
            raise Invalid(_("There is no activity %(id)r in the library.") % {"id": value}, field="value")
        data = {"kind": kind, "activity": content.identifier, "title": content.title}
    elif kind == "from_date":
        data = {"kind": kind, "date": value}
    else:
        # A level in words ("on grade", "on_grade") or a number on the diagnostic's scale.
        named = {words.replace(" ", "_"): level for level, words in DIAGNOSTIC_LEVELS}
        data = {"kind": kind, "level": named.get(value.lower().replace(" ", "_"), value)}
    try:
        return rule_from_dict(data)
    except ValueError as exc:
        raise Invalid(f"That value doesn't work for a rule {KINDS[kind]}: {value!r}.", field="value") from exc


def _check_no_loop(section: Section, competency: Competency, rule: Rule) -> None:
    if not isinstance(rule, WhenMastered):
        return
    if rule.competency == competency.code:
        raise Invalid(_("%(code)s can't wait for itself.") % {"code": competency.code})
    edges = [
        (p, c)
        for p, c in Prerequisite.objects.values_list("prerequisite__code", "competency__code")
        if p and c
    ]
    for r in ReleaseRule.objects.filter(section=section).select_related("competency"):
        existing = rule_from_dict(r.rule)
        if isinstance(existing, WhenMastered):
            edges.append((existing.competency, r.competency.code))
    edges.append((rule.competency, competency.code))
    nodes = {n for e in edges for n in e}
    cycle = graph.find_cycle(sorted(nodes), edges)
    if cycle:
        raise Invalid(
            _("That would make competencies wait on each other forever: %(cycle)s")
            % {"cycle": " → ".join(cycle)}
        )


@transaction.atomic
def add_rule(teacher: User, section: Section, competency: Competency, rule: Rule) -> ReleaseRule:
    if not can_manage(teacher, section):
        raise Forbidden(_("Only a current teacher of this section can change its release rules."))
    _check_no_loop(section, competency, rule)
    stored = rule_to_dict(rule)
    existing = ReleaseRule.objects.filter(section=section, competency=competency, rule=stored).first()
    if existing is not None:  # the same rule twice is one rule
        return existing
    return ReleaseRule.objects.create(section=section, competency=competency, rule=stored, created_by=teacher)


@transaction.atomic
def remove_rule(teacher: User, section: Section, rule_id: int) -> None:
    if not can_manage(teacher, section):
        raise Forbidden(_("Only a current teacher of this section can change its release rules."))
    deleted, _by_model = ReleaseRule.objects.filter(section=section, pk=rule_id).delete()
    if not deleted:
        raise NotFound(_("That rule doesn't exist (any more) for this section."))
