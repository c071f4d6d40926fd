"""The demo curriculum: CCSS Mathematics fractions and ratios, grades 3–6, with items and activities.

Everything comes from files in ``cairn/curriculum/data`` (see its SOURCES.md). Loading is idempotent:
records are matched by identifier, so a second run updates in place and creates nothing.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from cairn.accounts.demo import DISTRICT_SLUG
from cairn.accounts.models import Course, District, Section, User
from cairn.curriculum.models import Competency, Content, Item, Prerequisite, Scope, Status
from cairn.curriculum.ownership import home_district
from cairn.curriculum.services import courses as course_services
from cairn.curriculum.services.content import upsert_library_content
from cairn.curriculum.services.frameworks import import_competencies_csv
from cairn.curriculum.services.imports import import_item_templates

DATA = Path(__file__).resolve().parent / "data"
STANDARDS_CSV = DATA / "ccss_math_fractions_ratios.csv"
TEMPLATES_JSON = DATA / "item_templates.json"
ACTIVITIES_JSON = DATA / "activities.json"
STATEMENTS_ES_JSON = DATA / "student_statements_es.json"
SOURCE = "Cairn demo curriculum (see SOURCES.md)"
CCSS_LICENCE = "CCSS Public License"
CAIRN_LICENCE = "CC BY 4.0"


@dataclass(frozen=True)
class DemoCurriculum:
    competencies: int
    prerequisites: int
    item_templates: int
    distinct_items: int
    content: int
    courses: int = 0


def _add_spanish_statements() -> None:
    """The "I can" statements in Spanish (Competency.translations), kept beside any other language's."""
    statements = json.loads(STATEMENTS_ES_JSON.read_text(encoding="utf-8"))["statements"]
    changed = []
    for competency in Competency.objects.filter(code__in=statements):
        translations = dict(competency.translations or {})
        translations["es"] = {**translations.get("es", {}), "student_statement": statements[competency.code]}
        if translations != competency.translations:
            competency.translations = translations
            changed.append(competency)
    Competency.objects.bulk_update(changed, ["translations"])


def _standards_under(cluster: str, standards: list[Competency]) -> list[Competency]:
    return [c for c in standards if c.code.startswith(cluster + ".")]


@transaction.atomic
def seed_demo_curriculum() -> DemoCurriculum:
    """Standards (public), and the demo district's own item templates, the activities aligned to them, and a
    short review queue (the platform library's when the demo district is not there)."""
    import_competencies_csv(STANDARDS_CSV)
    _add_spanish_statements()
    district = District.objects.filter(slug=DISTRICT_SLUG).first()
    templates = json.loads(TEMPLATES_JSON.read_text(encoding="utf-8"))["templates"]
    import_item_templates(templates, file=TEMPLATES_JSON.name, approve=True, district=district)
    activities = json.loads(ACTIVITIES_JSON.read_text(encoding="utf-8"))
    standards = list(Competency.objects.filter(code__in=_codes()).exclude(item_type="Cluster"))
    _add_cluster_activities(activities["clusters"], standards)
    _add_grade_activities(activities["videos"], activities["projects"], standards)
    by_code = {c.code: c for c in standards}
    _add_interactives(activities["interactive"], by_code)
    _add_practice(templates, by_code)
    Content.objects.filter(identifier__startswith="demo:", district=None).update(district=district)
    _seed_review_queue()
    courses = seed_demo_courses(standards)
    template_items = Item.objects.filter(identifier__startswith="template:")
    return DemoCurriculum(
        competencies=Competency.objects.filter(code__in=_codes()).count(),
        prerequisites=Prerequisite.objects.filter(competency__code__in=_codes()).count(),
        item_templates=template_items.count(),
        distinct_items=sum(template_items.values_list("variant_count", flat=True)),
        content=Content.objects.filter(identifier__startswith="demo:").count(),
        courses=courses,
    )


# (code, name, grade): a grade's course holds the grade's standards and the earlier standards they build on
# directly, so a grade 5 student's path shows the grade 4 standards it needs (and their mastery). Grade 6
# classes get no course: their paths keep every standard (the fallback for sections without one).
DEMO_COURSES = [("MATH-4", "Grade 4 Math", 4), ("MATH-5", "Grade 5 Math", 5)]


def seed_demo_courses(standards: list[Competency]) -> int:
    """The demo district's courses, and its sections of those grades put in them (none without the demo
    district). Idempotent: a second run finds the courses and resets their lists to the same."""
    district = District.objects.filter(slug=DISTRICT_SLUG).first()
    if district is None:
        return 0
    grade_of = {c.pk: c.grade_low for c in standards}
    pre_of: dict[int, set[int]] = {}
    for pre, comp in Prerequisite.objects.filter(competency__in=standards).values_list(
        "prerequisite_id", "competency_id"
    ):
        pre_of.setdefault(comp, set()).add(pre)
    in_order = sorted(standards, key=lambda c: (c.grade_low or 0, c.list_order, c.code))
    for code, name, grade in DEMO_COURSES:
        course = Course.objects.filter(district=district, code=code).first() or course_services.create_course(
            actor=None,
            district=district,
            name=name,
            code=code,
            subject="Mathematics",
            grade_low=grade,
            grade_high=grade,
        )
        own = {c.pk for c in standards if c.grade_low == grade}
        wanted = own | {p for c in own for p in pre_of.get(c, ()) if p in grade_of}
        course_services.set_course_competencies(
            actor=None, course=course, competency_ids=[c.pk for c in in_order if c.pk in wanted]
        )
        for section in Section.objects.filter(school__district=district, grade=str(grade), course=None):
            course_services.set_section_course(actor=None, section=section, course=course)
    return len(DEMO_COURSES)


def _add(identifier: str, aligned: list[Competency], **fields: Any) -> None:
    """One demo activity, its grades taken from the standards it is aligned to unless given."""
    fields.setdefault("source", SOURCE)
    fields.setdefault("licence", CAIRN_LICENCE)
    fields.setdefault("language", "en")
    grades = sorted({c.grade_low for c in aligned if c.grade_low is not None})
    fields.setdefault("grade_low", grades[0] if grades else None)
    fields.setdefault("grade_high", grades[-1] if grades else None)
    upsert_library_content(f"demo:{identifier}", competencies=aligned, **fields)


def _add_cluster_activities(clusters: dict[str, dict[str, Any]], standards: list[Competency]) -> None:
    """A reading and a teacher-led activity for each cluster of standards."""
    for cluster, a in clusters.items():
        aligned = _standards_under(cluster, standards)
        _add(
            f"reading:{cluster}",
            aligned,
            title=f"Reading: {a['reading_title']}",
            kind=Content.Kind.READING,
            body=a["reading"],
            estimated_minutes=a["minutes"][0],
            read_aloud=True,
            alt_text=True,
        )
        _add(
            f"offline:{cluster}",
            aligned,
            title=f"Teacher-led: {a['offline_title']}",
            kind=Content.Kind.OFFLINE,
            body=a["offline"],
            estimated_minutes=a["minutes"][1],
            read_aloud=True,
        )


def _add_grade_activities(
    videos: dict[str, list[str]], projects: dict[str, list[str]], standards: list[Competency]
) -> None:
    """A video and a project for each grade, aligned to every standard of the grade."""
    grade_of = {c.code: c.grade_low or 0 for c in standards}
    for grade, (title, url) in videos.items():
        aligned = [c for c in standards if grade_of[c.code] == int(grade)]
        _add(
            f"video:{grade}",
            aligned,
            title=title,
            kind=Content.Kind.VIDEO,
            url=url,
            estimated_minutes=10,
            captions=True,
            transcript=True,
            licence="CC BY-NC-SA 3.0 US",
            source="Khan Academy",
        )
    for grade, (title, body) in projects.items():
        aligned = [c for c in standards if grade_of[c.code] == int(grade)]
        _add(
            f"project:{grade}",
            aligned,
            title=title,
            kind=Content.Kind.PROJECT,
            body=body,
            estimated_minutes=180,
            read_aloud=True,
        )


def _add_interactives(interactives: list[list[Any]], by_code: dict[str, Competency]) -> None:
    """PhET simulations, each aligned to the standards it lists."""
    for title, url, codes, (low, high) in interactives:
        _add(
            f"interactive:{url.rsplit('/', 1)[-1]}",
            [by_code[c] for c in codes],
            title=title,
            kind=Content.Kind.INTERACTIVE,
            url=url,
            estimated_minutes=20,
            grade_low=low,
            grade_high=high,
            licence="CC BY 4.0",
            source="PhET Interactive Simulations, University of Colorado Boulder",
        )


def _add_practice(templates: list[dict[str, Any]], by_code: dict[str, Competency]) -> None:
    """A practice activity per standard, naming the item templates that generate its questions."""
    practice: dict[str, list[str]] = {}
    for raw in templates:
        for code in raw["competencies"]:
            practice.setdefault(code, []).append(raw["title"])
    for code, titles in practice.items():
        body = "<p>Generated practice with hints and worked solutions: " + "; ".join(titles) + ".</p>"
        _add(
            f"practice:{code}",
            [by_code[code]],
            title=f"Practice {code}: {titles[0]}",
            kind=Content.Kind.PRACTICE,
            body=body,
            estimated_minutes=15,
            read_aloud=True,
        )


def _codes() -> list[str]:
    with STANDARDS_CSV.open(encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


SUBMITTED = [
    (
        "mrivera",
        "demo:submitted:fraction-of-a-set",
        "Warm-up: fractions of a set",
        "<p>Put 12 counters in a cup. Take out one third of them. How many is that? Now take out two thirds. "
        "Explain to your partner how you split the counters into three equal groups and how many were in "
        "each group, then try the same with 15 counters and fifths.</p>",
        "3.NF.A.1",
    ),
    (
        "schen",
        "demo:submitted:ratio-comic",
        "Ratio comic strip",
        "<p>Draw a four-panel comic in which a character uses a ratio to solve a problem: mixing paint, "
        "sharing snacks or planning a trip. Write the ratio in each panel and show one table of equivalent "
        "ratios in the last panel.</p>",
        "6.RP.A.1",
    ),
]


def _seed_review_queue() -> None:
    """Two teacher submissions waiting in the review queue, when the demo district's teachers exist."""
    for username, identifier, title, body, code in SUBMITTED:
        author = User.objects.filter(username=username).first()
        if author is None or Content.objects.filter(identifier=identifier).exists():
            continue
        upsert_library_content(
            identifier,
            competencies=list(Competency.objects.filter(code=code)),
            status=Status.IN_REVIEW,
            title=title,
            kind=Content.Kind.OFFLINE,
            body=body,
            owner=author,
            district=home_district(author),
            source=author.display_name,
            licence=CAIRN_LICENCE,
            estimated_minutes=15,
            grade_low=int(code[0]),
            grade_high=int(code[0]),
            scope=Scope.LIBRARY,
        )
