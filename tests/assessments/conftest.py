"""A ladder unit for diagnostics: six competencies in a prerequisite chain over two domains, four items each
with known difficulties from easy to hard, and a diagnostic over them. A simulated student of ability θ
answers an item right when its difficulty is below θ (deterministic, so tests can say what must happen)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cairn.accounts.models import User
from cairn.assessments.models import Administration, Diagnostic, Response, Window
from cairn.assessments.services import sittings
from cairn.curriculum.models import Competency, Framework, Item, Prerequisite, Status
from cairn.engine import items as item_engine
from tests.conftest import World

# (code, domain, difficulties of its four items)
LADDER = [
    ("3.NF.A.1", "Fractions", [-2.6, -2.4, -2.2, -2.0]),
    ("3.NF.A.2", "Fractions", [-1.6, -1.4, -1.2, -1.0]),
    ("4.OA.A.1", "Operations", [-0.6, -0.4, -0.2, 0.0]),
    ("4.NF.A.1", "Fractions", [0.4, 0.6, 0.8, 1.0]),
    ("5.OA.A.1", "Operations", [1.4, 1.6, 1.8, 2.0]),
    ("5.NF.A.1", "Fractions", [2.4, 2.6, 2.8, 3.0]),
]


@dataclass
class Ladder:
    competencies: list[Competency]
    items: list[Item]
    diagnostic: Diagnostic

    def by_code(self, code: str) -> Competency:
        return next(c for c in self.competencies if c.code == code)


def make_ladder(**diagnostic_fields: object) -> Ladder:
    fw = Framework.objects.create(identifier="fw-ladder", title="Ladder")
    competencies: list[Competency] = []
    items: list[Item] = []
    for order, (code, domain, difficulties) in enumerate(LADDER):
        comp = Competency.objects.create(
            framework=fw,
            identifier=f"id-{code}",
            code=code,
            statement=f"Statement of {code}",
            item_type="Standard",
            domain=domain,
            grade_low=int(code[0]),
            grade_high=int(code[0]),
            list_order=order,
        )
        if competencies:
            Prerequisite.objects.create(prerequisite=competencies[-1], competency=comp)
        competencies.append(comp)
        for k, b in enumerate(difficulties):
            n = 10 * order + k + 2
            item = Item.objects.create(
                identifier=f"ladder-{code}-{k}",
                kind="numeric",
                stem=f"What is {n} + {n}?",
                spec={"kind": "numeric", "answer": str(2 * n)},
                irt_b=b,
                irt_a=1.5,
                status=Status.APPROVED,
            )
            item.competencies.add(comp)
            items.append(item)
    fields = {"slug": "ladder", "title": "Ladder placement", "max_items": 12, "se_target": 0.3}
    fields.update(diagnostic_fields)
    Diagnostic.objects.update(active=False)  # the default one from the migration, when it is there
    diagnostic = Diagnostic.objects.create(**fields)  # type: ignore[arg-type]
    return Ladder(competencies, items, diagnostic)


@pytest.fixture
def ladder(world: World) -> Ladder:
    return make_ladder()


def add_windows(diagnostic: Diagnostic) -> None:
    for season, om, od, cm, cd in [
        ("fall", 8, 15, 10, 31),
        ("winter", 12, 1, 2, 15),
        ("spring", 4, 1, 6, 15),
    ]:
        Window.objects.create(
            diagnostic=diagnostic, season=season, opens_month=om, opens_day=od, closes_month=cm, closes_day=cd
        )


def right_answer(response: Response) -> str:
    from cairn.assessments.bank import instance

    inst = instance(response.item, response.seed)
    if isinstance(inst.spec, item_engine.ChoiceSpec):
        return sorted(inst.spec.correct)[0]
    return inst.answer_text


def take(student: User, diagnostic: Diagnostic, theta: float, **kwargs: object) -> Administration:
    """Sit the whole diagnostic as a student of ability ``theta`` (right iff the item's b < θ)."""
    sitting = sittings.start(student, diagnostic, **kwargs)  # type: ignore[arg-type]
    while True:
        response = sittings.current_response(sitting, **kwargs)  # type: ignore[arg-type]
        if response is None:
            sitting.refresh_from_db()
            return sitting
        b = sitting.bank["b"][response.bank_index]
        text = right_answer(response) if b < theta else "0"
        sittings.answer(student, sitting.pk, str(response.token), text, **kwargs)  # type: ignore[arg-type]
