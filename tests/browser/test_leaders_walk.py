"""A principal and a district admin walk the leaders' pages on the leaders' demo data (issue 13, "Done
when"): the definition, the goals on or off track with reasons, effect sizes with intervals, survey scales,
fidelity (the walkthroughs' look-fors and the small-groups goal), the gaps between student groups (a
group under 10 shows "fewer than 10"), and the PDF report downloaded. axe finds no violation at all, of
any impact, on each page visited."""

from __future__ import annotations

from typing import Any

import pytest

from cairn.surveys.models import SurveyWindow
from tests.browser.accessibility import axe_violations
from tests.conftest import World, login
from tests.leaders.test_reports import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")
EFFECT = {"baseline": "State Math||Spring baseline", "outcome": "State Math||Winter interim"}


def _visit(page: Any, url: str, *texts: str) -> list[str]:
    """Open ``url``; the problems found: texts missing from the page and axe's violations."""
    page.goto(url)
    body = page.content()
    problems = [f"{url}: no {text!r}" for text in texts if text not in body]
    for v in axe_violations(page, impacts=EVERY_IMPACT):
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        problems.append(f"{url}: axe {v['id']} ({v['impact']}) at {targets}")
    return problems


def _download_pdf(page: Any, name: str) -> bytes:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("link", name=name).click()
    with open(info.value.path(), "rb") as pdf:
        return pdf.read()


def _query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode({**params, "comparison": "not_in_program"})


def test_principal_walks_the_leaders_pages(world: World, browser_page: Any, live_server: Any) -> None:
    seed(world)
    page, base, school = browser_page, live_server.url, world.school
    login(page, base, world.leader.username)
    window = SurveyWindow.objects.filter(survey__district=world.district, name="Spring (post)").first()
    assert window is not None
    problems = _visit(page, f"{base}/leaders/", f"Goals at {school.name}", "Off track", "Projected")
    problems += _visit(page, f"{base}/leaders/definition/", "Learning that fits each child.")
    problems += _visit(
        page,
        f"{base}/leaders/schools/{school.pk}/effect/{_query(EFFECT)}",
        "Hedges",
        "95% interval",
        "not a randomized trial",
    )
    problems += _visit(page, f"{base}/surveys/windows/{window.pk}/results/", "alpha")
    problems += _visit(page, f"{base}/leaders/walkthroughs/", "look-fors")
    problems += _visit(
        page, f"{base}/leaders/schools/{school.pk}/equity/", "English learners", "fewer than 10"
    )
    page.goto(f"{base}/leaders/schools/{school.pk}/")
    assert _download_pdf(page, "Report (PDF)").startswith(b"%PDF")
    assert not problems, "\n".join(problems)


def test_district_admin_walks_the_leaders_pages(world: World, browser_page: Any, live_server: Any) -> None:
    seed(world)
    page, base, district = browser_page, live_server.url, world.district
    login(page, base, world.district_admin.username)
    problems = _visit(
        page, f"{base}/leaders/", f"Goals of {district.name}", "Off track", "Projected", "This week"
    )
    problems += _visit(page, f"{base}/leaders/definition/", "Learning that fits each child.")
    problems += _visit(
        page,
        f"{base}/leaders/districts/{district.pk}/effect/{_query(EFFECT)}",
        "Hedges",
        "95% interval",
        "not a randomized trial",
    )
    problems += _visit(page, f"{base}/surveys/results/", "Spring (post)")
    problems += _visit(page, f"{base}/leaders/walkthroughs/", "look-fors")
    problems += _visit(
        page, f"{base}/leaders/districts/{district.pk}/equity/", "Free or reduced lunch", "fewer than 10"
    )
    page.goto(f"{base}/leaders/districts/{district.pk}/")
    assert _download_pdf(page, "Report (PDF)").startswith(b"%PDF")
    assert not problems, "\n".join(problems)
