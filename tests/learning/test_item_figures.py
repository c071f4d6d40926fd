"""The practice page draws an item's figure inline, named for screen readers, and the API carries it as
data."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from cairn.curriculum.models import Item, Status
from tests.conftest import World, client_for
from tests.learning.conftest import Unit

NUMBER_LINE: dict[str, Any] = {
    "id": "point-on-a-line",
    "kind": "numeric",
    "stem": "The line from 0 to 1 is cut into {b} equal parts. A point is {a} parts from 0. What is it?",
    "params": {"a": {"min": 1, "max": 3}, "b": {"values": [4]}},
    "answer": "a/b",
    "figure": {
        "kind": "number_line",
        "start": "0",
        "end": "1",
        "parts": "b",
        "points": [{"at": "a/b", "label": "?"}],
    },
    "hints": ["Each part is 1/{b}."],
    "solution": ["{a} parts of 1/{b} make {a}/{b}."],
}


def test_the_practice_page_draws_the_figure_and_names_it(world: World, unit: Unit) -> None:
    Item.objects.filter(competencies=unit.a).update(status=Status.DRAFT)
    item = Item.objects.create(
        identifier="point-on-a-line",
        kind="template",
        stem=NUMBER_LINE["stem"],
        template=NUMBER_LINE,
        status=Status.APPROVED,
        variant_count=3,
    )
    item.competencies.add(unit.a)
    page = client_for(world.student).get(reverse("learning-practice", args=[unit.a.pk])).content.decode()
    svg = re.search(r'<svg class="item-figure" role="img" aria-label="([^"]+)"', page)
    assert svg is not None
    assert svg.group(1).startswith("A number line from 0 to 1, cut into 4 equal parts; a point labelled ? is")
    assert "<title>A number line" in page
    api = client_for(world.student).post(f"/api/v1/learning/practice/{unit.a.pk}").json()
    assert api["figure"]["kind"] == "number_line"
    assert api["figure"]["description"] == svg.group(1)
