"""A student's voice in the browser: the student asks their teacher from their home, the teacher finds the
question on Today in the student's words, replies, and the student reads the reply on their home — with no
accessibility violations of any impact on the pages on the way."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.accessibility import axe_violations
from tests.conftest import World, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def _accessible(page: Any, what: str) -> None:
    found = axe_violations(page, ALL_IMPACTS)
    assert not found, f"{what}: " + "; ".join(f"{v['id']}: {v['help']}" for v in found)


def test_student_asks_teacher_replies_student_reads(
    world: World, browser_page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.student.username)
    page.goto(f"{live_server.url}/student/")
    _accessible(page, "student home")
    page.get_by_role("textbox", name="What do you want to ask or tell your teacher?").fill(
        "I don't get how to compare 3/4 and 2/3."
    )
    page.get_by_role("button", name="Send to my teacher").click()
    expect(page.get_by_text("Your teacher will see your message")).to_be_visible()

    page.context.clear_cookies()
    login(page, live_server.url, world.teacher.username)
    page.goto(f"{live_server.url}/teach/sections/{world.section.pk}/today/")
    action = page.get_by_role("listitem").filter(has_text="Ana Lopez asked")
    expect(action).to_contain_text("I don't get how to compare 3/4 and 2/3.")
    action.get_by_role("link", name="Reply").click()
    _accessible(page, "reply page")
    page.get_by_label("Your reply").fill("Draw both as bars of the same length. Come see me after lunch.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent to Ana Lopez.")).to_be_visible()
    _accessible(page, "class voice inbox")
    page.goto(f"{live_server.url}/teach/sections/{world.section.pk}/today/")
    expect(page.get_by_text("Ana Lopez asked")).to_have_count(0)

    page.context.clear_cookies()
    login(page, live_server.url, world.student.username)
    page.wait_for_url("**/student/")  # their home, where the reply is shown (and so read)
    replies = page.get_by_role("region", name="Ask my teacher")
    expect(replies).to_contain_text("Draw both as bars of the same length.")
    expect(replies.get_by_text("New", exact=True)).to_be_visible()
