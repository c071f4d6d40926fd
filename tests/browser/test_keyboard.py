"""A student's whole loop with the keyboard alone (issue 14 part 6): sign in, skip to the content, reach the
choice board, choose a practice, answer, get feedback, go back to the path and send a reflection. Only
`page.keyboard` moves and acts (Tab, Shift+Tab, Enter, Space, arrows); at each stop the focused element shows
a visible focus ring (an outline or a box shadow) and is reached within a few Tabs."""

from __future__ import annotations

from typing import Any

import pytest

from cairn.agency.models import Reflection
from cairn.curriculum.models import Competency
from cairn.learning.models import Attempt
from tests.conftest import PASSWORD, World
from tests.learning.conftest import Unit, unit  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the focused element is: its tag, accessible-ish name and whether a focus ring shows.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  const name = (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || e.innerText || e.value || '').trim();
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: name, ring: ring,
          practice: !!e.closest('.kind-practice')};
}"""


def _tab_to(page: Any, wanted: Any, what: str, most: int, key: str = "Tab") -> dict[str, Any]:
    """Press Tab until the focused element is `wanted`; fail when it takes more than `most` presses or
    when any element on the way has no visible focus ring."""
    for _ in range(most):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["ring"], f"no visible focus on {focused} on the way to {what}"
        if wanted(focused):
            return focused  # type: ignore[no-any-return]
    raise AssertionError(f"{what} not reached in {most} presses of {key}")


def _named(text: str) -> Any:
    return lambda f: text in f["name"]


def test_a_student_learns_and_reflects_with_the_keyboard_alone(
    world: World,
    unit: Unit,  # noqa: F811
    browser_page: Any,
    live_server: Any,
) -> None:
    Competency.objects.filter(pk=unit.a.pk).update(student_statement="I can split 8 in half.")
    page = browser_page
    page.goto(f"{live_server.url}/login/")

    # Sign in: the username field has the focus; type, Tab, type, Enter.
    assert page.evaluate(FOCUSED)["name"] == "Username"
    page.keyboard.type(world.student.username)
    _tab_to(page, _named("Password"), "the password field", 1)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/student/")

    # The first Tab is the skip link; Enter on it moves past the navigation into the main content.
    _tab_to(page, _named("Skip to content"), "the skip link", 1)
    page.keyboard.press("Enter")
    page.wait_for_url("**/student/#main")
    first_in_main = _tab_to(page, lambda f: True, "the first control in the content", 1)
    assert page.evaluate("() => !!document.activeElement.closest('main')"), first_in_main

    # The board is on the path: reach "My path" from the top (Shift+Tab back into the navigation).
    _tab_to(page, _named("My path"), "the link to my path", 25, key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")
    start = _tab_to(page, lambda f: f["practice"] and f["tag"] == "button", "a practice on the board", 25)
    assert start["name"].startswith("Start:"), start
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/practice/**")

    # The answer field has the focus; Enter checks the answer and the feedback comes in place.
    assert page.evaluate(FOCUSED)["name"] == "Your answer"
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.get_by_role("status").wait_for()
    assert "Right" in page.get_by_role("status").inner_text()
    assert Attempt.objects.filter(student=world.student, correct=True).count() == 1

    # From the feedback back to the path, then to the reflection.
    _tab_to(page, _named("Back to my path"), "the way back to the path", 6)
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")
    _tab_to(page, _named("Reflect on today"), "the reflection link", 25)
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/reflect/")

    # The feelings are radio buttons: Tab into the group, arrows choose, Space confirms.
    _tab_to(page, lambda f: f["type"] == "radio", "the feelings", 25)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    _tab_to(page, lambda f: f["tag"] == "textarea", "the first note", 1)
    page.keyboard.type("Halves of even numbers.")
    _tab_to(page, _named("Send my reflection"), "the send button", 4)
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")  # sent: back on the path
    reflection = Reflection.objects.get(student=world.student)
    assert reflection.learned == "Halves of even numbers."
