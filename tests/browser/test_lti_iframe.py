"""An LMS course page (another site: 127.0.0.1 framing Cairn on localhost) launches Cairn in an iframe: the
login's cookie check, the platform's authorization answer, the signed launch posted into the frame, and the
learner's path inside the frame, kept signed in by SameSite=None cookies. Then the same with a browser that
blocks third-party cookies: a clear page offering Cairn in a new tab."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM, World
from tests.lti.platform import Lms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course_lms(world: World, live_server: Any) -> Iterator[Lms]:
    lms = Lms.start(tool=live_server.url)
    lms.register(world.district)
    yield lms
    lms.stop()


@pytest.fixture
def chromium() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw.chromium


def test_a_learner_opens_cairn_inside_the_lms_course_page(
    course_lms: Lms, browser_page: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    # Playwright's context blocks ordinary third-party cookies (as Chromium now does by default); Cairn's
    # are partitioned (CHIPS), so they are kept for Cairn inside this LMS.
    page = browser_page
    page.goto(f"{course_lms.base}/course")
    frame = page.frame_locator("iframe[title=Cairn]")
    expect(frame.get_by_role("heading", level=1).first).not_to_have_text("Opening Cairn…", timeout=20000)
    cairn = next(f for f in page.frames if f.url.startswith("http://localhost"))
    assert cairn.url.endswith("/learn/"), cairn.url
    # The session cookie goes with the frame's next requests.
    me = cairn.evaluate("fetch('/api/v1/me').then(r => r.json())")
    assert me["username"].startswith("lti-north-")
    page.screenshot(path=str(artifacts_dir / "lti_iframe_path.png"), full_page=True)


def test_a_browser_that_keeps_no_cookies_in_the_frame_is_offered_a_new_tab(
    course_lms: Lms, chromium: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    # A profile blocking cookies (as a browser blocking all third-party cookies does in the frame).
    (tmp_path / "profile" / "Default").mkdir(parents=True)
    settings = {"profile": {"default_content_setting_values": {"cookies": 2}}}
    (tmp_path / "profile" / "Default" / "Preferences").write_text(json.dumps(settings))
    context = chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu"],
    )
    try:
        page = context.new_page()
        page.goto(f"{course_lms.base}/course")
        frame = page.frame_locator("iframe[title=Cairn]")
        expect(frame.get_by_role("alert")).to_contain_text("blocks Cairn's cookies", timeout=20000)
        link = frame.get_by_role("link", name="Open Cairn in a new tab")
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("href", re.compile(r"/lti/login/\?.*lti1p3_new_window=1"))
        page.screenshot(path=str(artifacts_dir / "lti_iframe_cookies_blocked.png"), full_page=True)
    finally:
        context.close()
