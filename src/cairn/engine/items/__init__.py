"""Assessment items: grading an answer, and parametric templates that generate variants.

Three kinds of item are graded here: multiple choice (one or more correct choices), numeric (exact
fractions, or decimals within a tolerance) and short text (matched after normalization). A *template* is
plain data (JSON): parameters with ranges, derived values and constraints written as small arithmetic
expressions, text with ``{expression}`` placeholders, optionally word sets (``contexts``) for ``{@word}``
placeholders and a figure (a number line, fraction bars, an area grid or counters). ``instantiate(template,
seed)`` turns it into one concrete item with its right answer, hints, a worked solution and its figure, the
same one for the same seed.

Expressions are never passed to ``eval``: a tiny evaluator walks Python's ``ast`` and allows only numbers,
names of parameters, + - * / // % **, comparisons, ``and``/``or``/``not``, parentheses and a few pure
functions (gcd, lcm, min, max, abs, floor, ceil, cmp). Arithmetic is exact (``fractions.Fraction``), so
3/4 is three quarters, not 0.75000001.

The modules hold one concern each: :mod:`.numbers` (reading and writing numbers and text), :mod:`.specs`
(item specs and grading), :mod:`.expressions` (the evaluator and ``{expression}`` text),
:mod:`.figures` (figures, their descriptions and inline SVG) and :mod:`.templates` (templates and their
variants). This package is the one door the apps use
(``from cairn.engine import items``): what it exports below is the items API, so callers don't depend on
how it is split.
"""

from cairn.engine.items.expressions import ExprError, evaluate, render
from cairn.engine.items.figures import Figure, describe, figure_to_dict, to_svg
from cairn.engine.items.numbers import format_number, normalize_text, parse_number
from cairn.engine.items.specs import (
    Choice,
    ChoiceSpec,
    Grade,
    ItemSpec,
    NumericSpec,
    SpecError,
    TextSpec,
    correct_answer_text,
    grade,
    spec_from_dict,
    spec_to_dict,
)
from cairn.engine.items.templates import (
    ItemInstance,
    Template,
    instantiate,
    template_from_dict,
    variant_count,
)

__all__ = [
    "Choice",
    "ChoiceSpec",
    "ExprError",
    "Figure",
    "Grade",
    "ItemInstance",
    "ItemSpec",
    "NumericSpec",
    "SpecError",
    "Template",
    "TextSpec",
    "correct_answer_text",
    "describe",
    "evaluate",
    "figure_to_dict",
    "format_number",
    "grade",
    "instantiate",
    "normalize_text",
    "parse_number",
    "render",
    "spec_from_dict",
    "spec_to_dict",
    "template_from_dict",
    "to_svg",
    "variant_count",
]
