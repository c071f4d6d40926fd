"""The content library in a real browser: a teacher filters the library and opens what they found; a
reviewer works the review queue and approves a colleague's submission. Every page passes axe-core's WCAG 2.1
AA checks with no serious or critical violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cairn.curriculum import vetting
from cairn.curriculum.models import ContentNotice, Review, Status
from tests.browser.accessibility import assert_accessible
from tests.conftest import World, login
from tests.curriculum.conftest import Library, make_library

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shelf(world: World) -> Library:
    return make_library(world)


def test_teacher_filters_the_library_and_opens_a_result(
    world: World, shelf: Library, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.teacher.username)
    page.get_by_role("navigation", name="Your pages").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", name="Content library", level=1)).to_be_visible()
    results = page.get_by_role("table").locator("tbody tr")
    expect(results).to_have_count(6)
    assert_accessible(page, "library search")

    search = page.get_by_role("search", name="Filter the library")
    search.get_by_label("Standard").fill("4.NF")
    search.get_by_label("Kind").select_option(label="Reading")
    search.get_by_label("Read-aloud friendly").check()
    search.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="1 result", level=2)).to_be_visible()
    expect(results).to_have_count(1)
    row = results.first
    expect(row).to_contain_text("Fraction strips reading")
    expect(row).to_contain_text("4.NF.A.1")
    expect(row).to_contain_text("Read-aloud friendly")
    expect(row).to_contain_text("Approved")
    for absent in ("Video en español", "Colleague warm-up", "Colleague own activity"):
        expect(page.get_by_text(absent)).to_have_count(0)
    # The filters stay filled in, so the teacher can refine the search.
    expect(search.get_by_label("Standard")).to_have_value("4.NF")
    page.screenshot(path=str(artifacts_dir / "library_search.png"), full_page=True)
    assert_accessible(page, "library search results")

    row.get_by_role("link", name="Fraction strips reading").click()
    expect(page.get_by_role("heading", name="Fraction strips reading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="In my sections")).to_be_visible()
    assert_accessible(page, "content page")

    page.get_by_role("link", name="4.NF.A.1").first.click()
    expect(page.get_by_role("heading", name="4.NF.A.1", level=1)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "library_competency.png"), full_page=True)
    assert_accessible(page, "competency page")


def test_bad_filters_are_shown_next_to_their_fields(
    world: World, shelf: Library, browser_page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.teacher.username)
    page.goto(f"{live_server.url}/curriculum/?max_reading_level=99")
    expect(page.get_by_role("alert")).to_contain_text("Some filters are not valid")
    expect(page.get_by_label("Reading level at most")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "library search with errors")


def test_reviewer_approves_a_submission_from_the_queue(
    world: World, shelf: Library, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.district_admin.username)
    page.get_by_role("navigation", name="Your pages").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    queue = page.get_by_role("table").locator("tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text("Colleague warm-up")
    expect(queue.first).to_contain_text(world.colleague.display_name)
    page.screenshot(path=str(artifacts_dir / "library_review_queue.png"), full_page=True)
    assert_accessible(page, "review queue")

    queue.first.get_by_role("link", name="Review Colleague warm-up").click()
    expect(page.get_by_role("heading", name="Review: Colleague warm-up", level=1)).to_be_visible()
    assert_accessible(page, "review form")
    for question in vetting.QUESTIONS:
        page.get_by_role("group", name=question.text).get_by_label("Meets").check()
    page.get_by_label("Comment").fill("Clear, accurate and ready for every class.")
    page.get_by_role("group", name="Decision").get_by_label("Approve").check()
    page.screenshot(path=str(artifacts_dir / "library_review_form.png"), full_page=True)
    page.get_by_role("button", name="Record the review").click()

    expect(page).to_have_url(f"{live_server.url}/curriculum/review/")
    expect(page.get_by_role("status")).to_contain_text("Colleague warm-up")
    expect(page.get_by_text("Nothing is waiting.")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "library_review_done.png"), full_page=True)
    assert_accessible(page, "review queue after approving")

    shelf.in_review.refresh_from_db()
    assert shelf.in_review.status == Status.APPROVED
    review = Review.objects.get(content=shelf.in_review)
    assert review.reviewer == world.district_admin
    assert review.decision == "approve"
    assert {a["rating"] for a in review.answers.values()} == {"meets"}
    assert ContentNotice.objects.filter(recipient=world.colleague, content=shelf.in_review).exists()


def test_a_refused_approval_explains_itself(
    world: World, shelf: Library, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.district_admin.username)
    page.goto(f"{live_server.url}/curriculum/review/content/{shelf.in_review.pk}/")
    for question in vetting.QUESTIONS:
        rating = "Partly" if question.key == "licence" else "Meets"
        page.get_by_role("group", name=question.text).get_by_label(rating).check()
    page.get_by_role("group", name="Decision").get_by_label("Approve").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert")).to_contain_text("licence: must meet the bar to approve")
    assert_accessible(page, "review form with errors")
    shelf.in_review.refresh_from_db()
    assert shelf.in_review.status == Status.IN_REVIEW
    assert not Review.objects.filter(content=shelf.in_review).exists()


def test_teacher_adds_content_uses_it_and_shares_it(
    world: World, shelf: Library, browser_page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server.url, world.teacher.username)
    page.get_by_role("link", name="Add your own content").click()
    expect(page.get_by_role("heading", name="Add your own content", level=1)).to_be_visible()
    assert_accessible(page, "add content form")
    page.get_by_label("Title").fill("Fraction pizza party")
    page.get_by_label("Kind").select_option(label="Offline / teacher-led activity")
    page.get_by_label("Text (HTML allowed; it is cleaned)").fill(
        "<p>Share a paper pizza in fourths.</p><script>alert('x')</script>"
    )
    page.get_by_label("Aligned standards").select_option(label="4.NF.A.1")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("heading", name="Fraction pizza party", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Saved as a draft")
    expect(page.get_by_text("Share a paper pizza in fourths.")).to_be_visible()
    assert "<script" not in page.locator("section.body").inner_html()
    page.get_by_role("button", name="Use in my sections").click()
    expect(page.get_by_role("status")).to_contain_text("Approved for your own sections.")
    page.get_by_role("button", name="Submit for library review").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted for library review")
    expect(page.get_by_text("Waiting for a reviewer.")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "library_own_content.png"), full_page=True)
    assert_accessible(page, "own content page")
