"""A guardian reads their child's family page in a real browser: from the guardian home, signed in, and
from the digest's signed link in Spanish with no sign-in; axe finds no WCAG 2.1 A/AA violation of any
impact on the family page and the email settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cairn.families import links
from tests.browser.accessibility import axe_violations
from tests.conftest import World, login
from tests.families.conftest import FAMILY_TEXT, week  # noqa: F401
from tests.learning.conftest import unit  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")
SPANISH_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def _no_violations(page: Any, what: str) -> None:
    found = axe_violations(page, EVERY_IMPACT)
    assert not found, f"{what}: " + "; ".join(f"{v['id']}: {v['help']}" for v in found)


def test_a_guardian_reads_the_family_page_signed_in_and_from_the_email_link(
    world: World,
    week: dt.date,  # noqa: F811
    browser_page: Any,
    live_server: Any,
) -> None:
    page = browser_page
    login(page, live_server.url, world.guardian.username)
    page.goto(f"{live_server.url}/guardian/")
    page.get_by_role("link", name=world.student.display_name).click()
    page.wait_for_url(f"**/families/children/{world.student.pk}/")
    assert "I can measure with a ruler" in page.content() and FAMILY_TEXT in page.content()
    _no_violations(page, "family page")
    page.get_by_role("link", name="The weekly email: how often, or not at all").click()
    page.get_by_label("Every two weeks").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/families/preferences/")
    _no_violations(page, "email settings")

    world.guardian.language = "es"
    world.guardian.save()
    page.context.clear_cookies()  # signed out: the link alone opens the page
    page.goto(f"{live_server.url}/families/link/{links.family_token(world.guardian.pk, world.student.pk)}/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert any(f" de {month} de " in page.content() for month in SPANISH_MONTHS)  # the note's date
    assert "Great focus on fractions!" in page.content()
    _no_violations(page, "family page from the email, in Spanish")
