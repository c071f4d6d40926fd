"""A principal records a walkthrough on a phone (390 px wide): one column, no sideways scrolling, look-fors
big enough to tap, and the visit in the list after saving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cairn.leaders.models import Walkthrough
from tests.conftest import World, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_walkthrough_form_fits_a_phone_and_saves(
    world: World, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, world.leader.username)
    page.goto(f"{live_server.url}/leaders/walkthroughs/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    heights = page.locator("label.look").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44  # touch targets
    page.screenshot(path=str(artifacts_dir / "walkthrough_phone.png"), full_page=True)
    page.get_by_label("The teacher is working with a small group.").check()
    page.get_by_role("button", name="Save the walkthrough").click()
    page.wait_for_url("**/leaders/walkthroughs/")
    assert Walkthrough.objects.get().marks.filter(seen=True).count() == 1
    assert "1 of" in page.content()
