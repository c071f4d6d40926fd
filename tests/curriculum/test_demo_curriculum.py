"""The demo curriculum `cairn demo` loads: a real standards subset with real prerequisites, 300+ distinct
items with hints and worked solutions, several kinds of activity per standard, a review queue; idempotent."""

from __future__ import annotations

import pytest

from cairn.accounts.demo import DISTRICT_SLUG, seed_demo_district
from cairn.curriculum.demo import SOURCE, seed_demo_curriculum
from cairn.curriculum.models import Competency, Content, Item, Prerequisite, Status
from cairn.engine import graph
from cairn.engine import items as engine_items

pytestmark = pytest.mark.django_db
HEADINGS = ["Domain", "Cluster"]


def _snapshot() -> tuple[object, ...]:
    return (
        sorted(Competency.objects.values_list("identifier", "code", "parent__code")),
        sorted(Prerequisite.objects.values_list("prerequisite__code", "competency__code")),
        sorted(Item.objects.values_list("identifier", "variant_count", "status")),
        sorted(Content.objects.values_list("identifier", "title", "status", "reading_level")),
    )


def test_demo_curriculum_has_the_promised_shape() -> None:
    seed_demo_district()
    summary = seed_demo_curriculum()
    standards = Competency.objects.exclude(item_type__in=HEADINGS)
    assert standards.count() >= 30
    assert summary.competencies >= 30
    assert all(
        code.split(".")[0] in {"3", "4", "5", "6"} for code in standards.values_list("code", flat=True)
    )
    edges = list(Prerequisite.objects.values_list("prerequisite__code", "competency__code"))
    assert len(edges) >= 30
    graph.check_dag({n for e in edges for n in e}, edges)  # a DAG
    assert summary.distinct_items >= 300
    for template in Item.objects.filter(kind=Item.Kind.TEMPLATE):
        assert template.hints, template.identifier
        assert template.solution, template.identifier
        assert template.status == Status.APPROVED
        assert template.competencies.exists()
        variant = engine_items.instantiate(engine_items.template_from_dict(template.template), 7)
        assert variant.answer_text
        assert variant.solution
    for standard in standards:
        kinds = set(
            Content.objects.filter(competencies=standard, status=Status.APPROVED).values_list(
                "kind", flat=True
            )
        )
        assert len(kinds) >= 3, (standard.code, kinds)
        practised = Item.objects.filter(competencies__in=[standard, *standard.children.all()]).exists()
        assert practised, standard.code
    assert Content.objects.filter(source=SOURCE, reading_level__isnull=False).exists()
    waiting = Content.objects.filter(status=Status.IN_REVIEW).values_list("owner__username", flat=True)
    assert sorted(waiting) == ["mrivera", "schen"]
    # The demo district owns its questions and activities (its reviewers see its queue); standards are public.
    assert set(Item.objects.values_list("district__slug", flat=True)) == {DISTRICT_SLUG}
    assert set(Content.objects.values_list("district__slug", flat=True)) == {DISTRICT_SLUG}


def test_demo_curriculum_is_idempotent() -> None:
    seed_demo_district()
    seed_demo_curriculum()
    first = _snapshot()
    seed_demo_curriculum()
    assert _snapshot() == first
