"""A tiny unit: three competencies in a chain (A → B → C) and one more with no prerequisite (D), each with
approved items, and a student enrolled in the `world`'s section."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cairn.curriculum.models import Competency, Content, Framework, Item, Prerequisite, Status
from tests.conftest import World

TEMPLATE = {
    "id": "add-fractions",
    "kind": "numeric",
    "stem": "What is {a}/{d} + {b}/{d}?",
    "params": {"a": {"min": 1, "max": 4}, "b": {"min": 1, "max": 4}, "d": {"values": [5, 7, 9]}},
    "answer": "(a+b)/d",
    "hints": ["Same denominator: add the numerators."],
    "solution": ["Add the numerators: {a} + {b} = {a+b}.", "Keep the denominator {d}."],
}


@dataclass
class Unit:
    a: Competency
    b: Competency
    c: Competency
    d: Competency
    numeric: Item
    template: Item
    choice: Item
    video: Content


@pytest.fixture
def unit(world: World) -> Unit:
    fw = Framework.objects.create(identifier="fw-test", title="Test fractions")

    def comp(code: str, order: int) -> Competency:
        return Competency.objects.create(
            framework=fw,
            identifier=f"id-{code}",
            code=code,
            statement=f"Statement of {code}",
            item_type="Standard",
            grade_low=4,
            grade_high=4,
            list_order=order,
        )

    a, b, c, d = comp("4.NF.A.1", 1), comp("4.NF.B.3", 2), comp("5.NF.A.1", 3), comp("4.MD.A.1", 4)
    Prerequisite.objects.create(prerequisite=a, competency=b)
    Prerequisite.objects.create(prerequisite=b, competency=c)
    numeric = Item.objects.create(
        identifier="half-of-8",
        kind="numeric",
        stem="What is half of 8?",
        spec={"kind": "numeric", "answer": "4"},
        hints=["Split 8 into two equal parts."],
        solution=["8 ÷ 2 = 4."],
        status=Status.APPROVED,
    )
    numeric.competencies.add(a)
    template = Item.objects.create(
        identifier="add-fractions",
        kind="template",
        stem=TEMPLATE["stem"],
        template=TEMPLATE,
        status=Status.APPROVED,
        variant_count=48,
    )
    template.competencies.add(b)
    choice = Item.objects.create(
        identifier="compare",
        kind="choice",
        stem="Which is bigger?",
        spec={
            "kind": "choice",
            "choices": [{"id": "a", "text": "1/2"}, {"id": "b", "text": "1/3"}],
            "correct": "a",
        },
        status=Status.APPROVED,
    )
    choice.competencies.add(c, d)
    draft = Item.objects.create(
        identifier="draft", kind="numeric", stem="Draft?", spec={"kind": "numeric", "answer": "1"}
    )
    draft.competencies.add(a)
    video = Content.objects.create(
        identifier="video-1",
        title="Fractions on a number line",
        kind="video",
        url="https://example.org/v",
        status=Status.APPROVED,
        estimated_minutes=6,
        language="en",
    )
    video.competencies.add(a)
    return Unit(a, b, c, d, numeric, template, choice, video)
