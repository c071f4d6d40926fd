"""Read aloud, for a student whose plan says so: a button (never by itself) reads the question and its choices
with the browser's speech synthesis, in the page's language. Nothing in Cairn is stubbed: the test wraps
``speechSynthesis.speak`` with a recorder before the page loads (headless Chromium may have no voices)."""

from __future__ import annotations

from typing import Any

import pytest

from cairn.learning.models import LearnerProfile
from tests.browser.accessibility import axe_violations
from tests.conftest import World, login
from tests.learning.conftest import Unit, unit  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
RECORDER = """
window.__spoken = [];
if (window.speechSynthesis) {
  const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
  window.speechSynthesis.speak = (utterance) => {
    window.__spoken.push({text: utterance.text, lang: utterance.lang});
    try { speak(utterance); } catch (e) { /* no voices: still recorded */ }
  };
}
"""


def test_the_read_aloud_button_speaks_the_question_in_english_and_in_spanish(
    world: World,
    unit: Unit,  # noqa: F811
    browser_page: Any,
    live_server: Any,
) -> None:
    from playwright.sync_api import expect

    LearnerProfile.objects.create(
        student=world.student, accommodations=["read_aloud"], accommodations_source="IEP"
    )
    page = browser_page
    page.add_init_script(RECORDER)
    login(page, live_server.url, world.student.username)

    page.goto(f"{live_server.url}/learn/practice/{unit.a.pk}/")
    expect(page.get_by_role("heading", name="What is half of 8?")).to_be_visible()
    button = page.locator("[data-read-aloud]")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__spoken") == []  # it never starts by itself
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and "What is half of 8?" in spoken[0]["text"]
    assert spoken[0]["lang"].startswith("en")
    assert axe_violations(page, ALL_IMPACTS) == []

    world.student.language = "es"
    world.student.save(update_fields=["language"])
    page.goto(f"{live_server.url}/learn/practice/{unit.d.pk}/")  # a choice question: its choices are read too
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator("[data-read-aloud]").click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1
    assert (
        "Which is bigger?" in spoken[0]["text"] and "1/2" in spoken[0]["text"] and "1/3" in spoken[0]["text"]
    )
    assert spoken[0]["lang"] == "es"

    # The profile pages themselves pass axe (every impact): the student's part, then the teacher's whole one.
    page.goto(f"{live_server.url}/learn/me/profile/")
    expect(page.locator("form.profile-form")).to_be_visible()
    assert axe_violations(page, ALL_IMPACTS) == []
    page.context.clear_cookies()
    login(page, live_server.url, world.teacher.username)
    page.goto(f"{live_server.url}/learn/students/{world.student.pk}/profile/")
    expect(page.locator("form.profile-form")).to_be_visible()
    assert axe_violations(page, ALL_IMPACTS) == []
