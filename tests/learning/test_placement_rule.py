"""The app's placement runs the engine's graph rule (cairn.engine.placement), not a copy: same answers, same
placement; and the graph's evidence flows as the rule says (a failed prerequisite keeps what depends on it
from being presumed mastered)."""

from __future__ import annotations

import pytest

from cairn.curriculum.models import Competency, Framework, Prerequisite
from cairn.engine.placement import Answer, KnowledgeGraph
from cairn.learning.services.placement import MIN_GUESS, place_on_graph

pytestmark = pytest.mark.django_db


def chain(n: int) -> list[Competency]:
    fw = Framework.objects.create(identifier="fw-placement-rule", title="Chain")
    comps: list[Competency] = []
    for order in range(n):
        comp = Competency.objects.create(
            framework=fw,
            identifier=f"id-chain-{order}",
            code=f"9.CH.{order}",
            statement=f"Link {order}",
            item_type="Standard",
            grade_low=9,
            grade_high=9,
            list_order=order,
        )
        if comps:
            Prerequisite.objects.create(prerequisite=comps[-1], competency=comp)
        comps.append(comp)
    return comps


def test_the_app_places_with_the_engine_rule() -> None:
    a, b, c = chain(3)
    answers = [([a.pk], True, 0.0), ([b.pk], True, 0.25), ([b.pk], False, 0.0), ([c.pk], False, 0.0)]
    placed = place_on_graph(answers, [a.pk, b.pk, c.pk], confidence=0.8)
    keys = [str(a.pk), str(b.pk), str(c.pk)]
    engine = KnowledgeGraph(keys, {keys[1]: [keys[0]], keys[2]: [keys[1]]}).place(
        [Answer((str(cids[0]),), right, guess=max(g, MIN_GUESS)) for cids, right, g in answers], threshold=0.8
    )
    assert placed == engine


def test_a_failed_prerequisite_keeps_its_dependents_unmastered() -> None:
    a, b, c = chain(3)
    right_above = [([b.pk], True, 0.0)] * 2 + [([c.pk], True, 0.0)] * 2
    placed = place_on_graph(right_above, [a.pk, b.pk, c.pk], confidence=0.8)
    assert placed.mastered == {str(a.pk), str(b.pk), str(c.pk)}  # right above implies the prerequisite
    failed_root = place_on_graph([([a.pk], False, 0.0)] * 3 + right_above, [a.pk, b.pk, c.pk], confidence=0.8)
    assert str(c.pk) not in failed_root.mastered and str(a.pk) not in failed_root.mastered
    assert failed_root.mastery_probability[str(c.pk)] < placed.mastery_probability[str(c.pk)]


def test_the_ability_estimate_speaks_for_competencies_no_item_asked_about() -> None:
    # A diagnostic asks about a few competencies of many: the sitting's ability estimate is the prior of
    # the rest. Without it one right answer on the last link presumes nothing below 0.8 confidence; with a
    # prior that the early links are known, they are placed, and the answers still decide the rest.
    a, b, c = chain(3)
    answers = [([c.pk], True, 0.2)]
    flat = place_on_graph(answers, [a.pk, b.pk, c.pk], confidence=0.9)
    assert str(a.pk) not in flat.mastered
    informed = place_on_graph(
        answers, [a.pk, b.pk, c.pk], confidence=0.9, prior={a.pk: 0.95, b.pk: 0.95, c.pk: 0.05}
    )
    assert {str(a.pk), str(b.pk)} <= informed.mastered
    assert informed.mastery_probability[str(c.pk)] < 0.9  # one answer can't overturn a low prior
    wrong_on_b = place_on_graph(
        [([b.pk], False, 0.0)] * 2, [a.pk, b.pk, c.pk], confidence=0.9, prior={a.pk: 0.95, b.pk: 0.95}
    )
    assert str(b.pk) not in wrong_on_b.mastered  # the answers outweigh the ability's word on b
