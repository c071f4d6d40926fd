"""No dead ends, in a real browser at desktop and phone widths: a teacher prints sign-in cards, a lost
student meets a styled 404 with a way back, a principal walks from home to a class's Today (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible
from tests.conftest import World, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page: Any, what: str) -> None:
    """Nothing in the page's own content (main) runs past the viewport; the site's top bar is
    test_every_page's to check."""
    wide = page.evaluate(
        "(w) => [...document.querySelectorAll('main, main *')]"
        ".filter(e => e.getBoundingClientRect().right > w)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        ".slice(0, 8)",
        page.viewport_size["width"],
    )
    assert not wide, f"{what} is wider than the phone: {wide}"


def test_a_teacher_prints_sign_in_cards_for_a_student(
    world: World, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.teacher.username)
    page.goto(f"{live_server.url}/sections/{world.section.pk}/")
    page.get_by_role("link", name="Passwords and sign-in cards").click()
    page.get_by_label(world.student.display_name).check()
    page.get_by_role("button", name="New passwords for the chosen students").click()
    cards = page.get_by_role("list", name="Sign-in cards").get_by_role("listitem")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(world.student.username)
    assert_accessible(page, "sign-in cards")
    page.screenshot(path=str(artifacts_dir / "sign_in_cards.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()  # on paper: the cards only
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    _fits(page, "the sign-in cards page")


def test_a_lost_student_finds_the_way_back_and_a_principal_finds_the_class(
    world: World, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server.url, world.student.username)
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", name="We can't find that page")).to_be_visible()
    _fits(page, "the 404 page")
    assert_accessible(page, "the 404 page")
    page.screenshot(path=str(artifacts_dir / "error_404_phone.png"), full_page=True)
    page.get_by_role("link", name="Your home page").click()
    expect(page).to_have_url(f"{live_server.url}/student/")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, world.leader.username)
    page.get_by_role("link", name="Today").first.click()
    expect(page).to_have_url(f"{live_server.url}/teach/sections/{world.section.pk}/today/")
    page.screenshot(path=str(artifacts_dir / "principal_to_today.png"), full_page=True)
