"""The district and school reports: a tagged PDF naming the schools, and a CSV with the goals, the effect
with its interval, fidelity, survey scales and the equity gaps (small groups suppressed); downloaded by the
same people who see the homes."""

from __future__ import annotations

import csv
import io
import re
import time
import zlib

import pytest

from cairn.accounts import services as accounts
from cairn.accounts.models import Role
from cairn.leaders.demo import seed_demo_leaders
from cairn.leaders.models import ProgramSchool
from cairn.surveys.demo import seed_demo_surveys
from tests.conftest import World, client_for


def seed(world: World) -> World:
    """The leaders' demo on the World: 12 more students per school, Oak in the program."""
    for school in (world.school, world.sister_school):
        for k in range(12):
            accounts.create_person(
                username=f"{school.code.lower()}{k}",
                first_name="S",
                last_name=str(k),
                role=Role.STUDENT,
                school=school,
            )
    ProgramSchool.objects.create(school=world.school, since=world.section.term_start)
    seed_demo_leaders(world.district)
    seed_demo_surveys(world.district)
    return world


@pytest.fixture
def seeded(world: World) -> World:
    return seed(world)


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: the outline (one entry per heading), the metadata and the tags."""
    found = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(found)


def test_district_pdf_is_tagged_and_names_every_school(seeded: World) -> None:
    url = f"/leaders/districts/{seeded.district.pk}/report.pdf"
    began = time.perf_counter()
    response = client_for(seeded.district_admin).get(url)
    took = time.perf_counter() - began
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert b"/StructTreeRoot" in text and b"pdfuaid" in text  # tagged, PDF/UA-1
    for name in (seeded.school.name, seeded.sister_school.name, "Evidence of effect", "Equity"):
        assert name.encode() in text, name
    print(f"district report PDF: {took:.2f} s, {len(pdf)} bytes")


def test_csv_has_goals_effect_fidelity_surveys_and_suppressed_gaps(seeded: World) -> None:
    url = f"/leaders/districts/{seeded.district.pk}/report.csv"
    response = client_for(seeded.district_admin).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["section", "school", "item", "group", "value", "n", "low", "high", "note"]
    sections = {r["section"] for r in rows}
    assert {"goal", "effect", "fidelity", "survey scale", "equity", "equity gap"} <= sections
    goals = [r for r in rows if r["section"] == "goal"]
    assert {r["school"] for r in goals} == {"Whole district", seeded.school.name, seeded.sister_school.name}
    [g] = [r for r in rows if r["item"] == "Hedges' g on growth"]
    assert float(g["low"]) < float(g["value"]) < float(g["high"]) and "not a randomized trial" in g["note"]
    suppressed = [r for r in rows if r["section"] == "equity" and r["note"] == "fewer than 10"]
    assert suppressed and all(r["value"] == "" and int(r["n"]) < 10 for r in suppressed)
    shown = [r for r in rows if r["section"] == "equity" and r["value"]]
    assert shown and all(int(r["n"]) >= 10 for r in shown)
    assert any(r["note"].startswith("alpha") for r in rows if r["section"] == "survey scale")


# viewer, report, status: the same people as the homes
WHO = [
    ("district_admin", "district", 200),
    ("district_admin", "school", 200),
    ("leader", "school", 200),
    ("leader", "district", 403),  # the district's report is for its admins
    ("leader", "sister", 404),
    ("teacher", "school", 403),
    ("student", "school", 403),
    ("guardian", "school", 403),
]


def test_who_may_download(world: World) -> None:
    path = {
        "district": f"/leaders/districts/{world.district.pk}/report.csv",
        "school": f"/leaders/schools/{world.school.pk}/report.csv",
        "sister": f"/leaders/schools/{world.sister_school.pk}/report.csv",
    }
    found = [(v, w, client_for(getattr(world, v)).get(path[w]).status_code) for v, w, _ in WHO]
    assert found == WHO
