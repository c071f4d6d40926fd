"""Items that vary: word problems told in several contexts, and figures (number lines, fraction bars, area
grids, counters) drawn as accessible inline SVG from the item's own numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from cairn.engine import items
from cairn.engine.items import ChoiceSpec, SpecError

TEMPLATES = Path(__file__).resolve().parents[2] / "src/cairn/curriculum/data/item_templates.json"


def _template(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "shares",
        "kind": "numeric",
        "stem": "{a*b} {@things} are shared into {a} {@groups}. How many in each {@group}?",
        "params": {"a": {"min": 2, "max": 5}, "b": {"min": 2, "max": 5}},
        "contexts": [
            {"things": "apples", "groups": "bags", "group": "bag"},
            {"things": "stickers", "groups": "pages", "group": "page"},
            {"things": "chairs", "groups": "rows", "group": "row"},
        ],
        "answer": "b",
        "solution": ["Each {@group} gets {b} {@things}."],
    }
    data.update(overrides)
    return data


def test_a_word_problem_is_told_in_each_of_its_contexts_and_graded_the_same() -> None:
    template = items.template_from_dict(_template())
    variants = [items.instantiate(template, seed) for seed in range(60)]
    told = {word for v in variants for word in ("apples", "stickers", "chairs") if word in v.stem}
    assert told == {"apples", "stickers", "chairs"}
    for v in variants:
        assert "{" not in v.stem and "@" not in v.stem
        assert items.grade(v.spec, v.values["b"]).correct
        assert v.values["things"] in v.solution[0]  # the solution tells the same story as the stem
    assert items.instantiate(template, 7) == items.instantiate(template, 7)
    assert items.variant_count(template) == 3 * 16  # each context is a different item


def test_a_template_without_contexts_keeps_its_variants() -> None:
    """Adding contexts draws one more random number; templates without them must not change, or every
    question already served would come back different."""
    plain = _template(stem="{a*b} shared into {a}?", contexts=[], solution=[])
    variants = [items.instantiate(items.template_from_dict(plain), seed).values for seed in range(5)]
    assert [(v["a"], v["b"]) for v in variants] == [
        ("2", "3"),
        ("3", "5"),
        ("4", "4"),
        ("5", "3"),
        ("2", "3"),
    ]


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"stem": "{@fruit} in {a} bags"}, "stem"),
        ({"contexts": [{"things": "apples"}, {"stuff": "pears"}]}, "contexts[1]"),
        ({"contexts": [{"things": "{a}"}]}, "contexts[0].things"),
        ({"contexts": "apples"}, "contexts"),
    ],
)
def test_bad_contexts_are_refused_naming_the_field(overrides: dict[str, Any], path: str) -> None:
    data = _template(solution=[], **overrides)
    if "stem" not in overrides:
        data["stem"] = "{a} {@things}"
    with pytest.raises(SpecError) as refused:
        items.template_from_dict(data)
    assert refused.value.path == path


def _figure_template(figure: dict[str, Any], **overrides: Any) -> items.Template:
    data = {
        "id": "fig",
        "kind": "numeric",
        "stem": "{a} of {b}?",
        "params": {"a": {"min": 1, "max": 3}, "b": {"values": [4]}},
        "answer": "a/b",
        "figure": figure,
        **overrides,
    }
    return items.template_from_dict(data)


def _svg(figure: items.Figure) -> ElementTree.Element:
    markup = items.to_svg(figure)
    root = ElementTree.fromstring(markup)  # well-formed XML, so browsers draw it inline
    assert root.get("role") == "img"
    assert root.get("aria-label") == items.describe(figure)
    assert root.find("{http://www.w3.org/2000/svg}title") is not None
    return root


def _count(root: ElementTree.Element, tag: str, **attrs: str) -> int:
    return sum(
        all(el.get(k) == v for k, v in attrs.items())
        for el in root.iter(f"{{http://www.w3.org/2000/svg}}{tag}")
    )


def test_a_number_line_has_a_tick_per_part_and_the_point_where_the_fraction_is() -> None:
    template = _figure_template(
        {
            "kind": "number_line",
            "start": "0",
            "end": "1",
            "parts": "b",
            "points": [{"at": "a/b", "label": "?"}],
        }
    )
    inst = items.instantiate(template, 1)
    assert inst.figure is not None
    a = int(inst.values["a"])
    assert items.describe(inst.figure) == (
        f"A number line from 0 to 1, cut into 4 equal parts; a point labelled ? is "
        f"{a} part{'s' if a > 1 else ''} to the right of 0."
    )
    root = _svg(inst.figure)
    assert _count(root, "line") == 1 + 5  # the line and its ticks
    (point,) = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    assert float(point.get("cx", 0)) == pytest.approx(20 + 280 * a / 4)
    assert items.figure_to_dict(inst.figure)["points"] == [{"at": f"{a}/4", "label": "?"}]


def test_fraction_bars_shade_the_parts_and_add_wholes_past_one() -> None:
    template = _figure_template({"kind": "fraction_bar", "parts": "b", "shaded": "a + b"})
    inst = items.instantiate(template, 1)
    assert inst.figure is not None
    shaded = int(inst.values["a"]) + 4
    root = _svg(inst.figure)
    assert _count(root, "rect") == 8  # two bars of four
    assert _count(root, "rect", fill="#2b6f66") == shaded
    assert items.describe(inst.figure).startswith("2 equal bars, each cut into 4 equal parts")


def test_an_area_grid_and_counters_show_their_numbers() -> None:
    grid = items.instantiate(
        _figure_template(
            {"kind": "area_grid", "rows": "b", "cols": "3", "shaded_rows": "a", "shaded_cols": "2"}
        ),
        2,
    ).figure
    assert grid is not None
    assert _count(_svg(grid), "rect", fill="#2b6f66") == int(grid.get("shaded_rows")) * 2
    counters = items.instantiate(_figure_template({"kind": "set", "count": "b * 3", "shaded": "a"}), 3).figure
    assert counters is not None
    root = _svg(counters)
    assert _count(root, "circle") == 12
    assert _count(root, "circle", fill="#2b6f66") == counters.get("shaded")


@pytest.mark.parametrize(
    ("figure", "path"),
    [
        ({"kind": "pie"}, "figure.kind"),
        ({"kind": "fraction_bar", "parts": "b"}, "figure.shaded"),
        ({"kind": "fraction_bar", "parts": "b", "shaded": "c"}, "figure"),
        ({"kind": "set", "count": "b", "shaded": "a", "points": [{"at": "1"}]}, "figure.points"),
    ],
)
def test_bad_figures_are_refused_naming_the_field(figure: dict[str, Any], path: str) -> None:
    with pytest.raises(SpecError) as refused:
        _figure_template(figure)
    assert refused.value.path == path


def test_a_figure_too_big_to_read_is_refused() -> None:
    template = _figure_template({"kind": "set", "count": "b * 20", "shaded": "a"})
    with pytest.raises(SpecError, match="count"):
        items.instantiate(template, 1)


def test_labels_are_escaped_in_the_drawing() -> None:
    template = _figure_template(
        {
            "kind": "number_line",
            "start": "0",
            "end": "1",
            "parts": "b",
            "points": [{"at": "0", "label": "<b>&"}],
        }
    )
    figure = items.instantiate(template, 1).figure
    assert figure is not None
    markup = items.to_svg(figure)
    assert "<b>" not in markup and "&lt;b&gt;&amp;" in markup


def test_the_demo_items_vary_in_format_and_context() -> None:
    """The demo's practice is not all 'N apples shared into M bags': figures of every kind, choice and
    numeric answers, and word problems told in several contexts; every variant builds."""
    raw = json.loads(TEMPLATES.read_text(encoding="utf-8"))["templates"]
    templates = [items.template_from_dict(t) for t in raw]
    figures = {t.figure.kind for t in templates if t.figure}
    assert figures == {"number_line", "fraction_bar", "area_grid", "set"}
    assert {t.kind for t in templates if t.figure} >= {"choice", "numeric"}
    assert sum(len(t.contexts) >= 3 for t in templates) >= 5
    for t in templates:
        if t.figure or t.contexts:
            for seed in range(40):
                inst = items.instantiate(t, seed)
                assert not re.search(r"\{@?\w", inst.stem), inst.stem
                assert (inst.figure is not None) == (t.figure is not None)
                if isinstance(inst.spec, ChoiceSpec):
                    assert len(inst.spec.choices) >= 3, (t.id, seed)
    divide = next(t for t in templates if t.id == "oa3-divide")
    stems = {items.instantiate(divide, seed).stem.split(" are ")[0].split(" ", 1)[1] for seed in range(60)}
    assert len(stems) >= 4
