"""Every role walks its main pages in a real browser at desktop (1280x800) and phone (390x844) width
(issue 18 item 7 and its "Done when"). On each page: nothing wider than the viewport, no serious or critical
axe violations, and on a student's pages no standards code in the visible text. Each role also meets a
styled 404 with a way back and a styled 403 for a page outside its role. Screenshots go to
test-artifacts/every_page/<role>_<page>_<size>.png.

One browser and one signed-in page per role: each page is loaded once and checked at both sizes (a
viewport change re-lays the page out, as turning a tablet does), and for width at 768 px too. Problems
are gathered and reported together, so that one run lists every page that needs work."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cairn.curriculum.models import Competency
from cairn.learning.models import Progress
from tests.browser.accessibility import axe_violations
from tests.conftest import login
from tests.insights.conftest import Classroom, classroom, progress  # noqa: F401  (the fixture)
from tests.learning.conftest import unit  # noqa: F401  (the fixture classroom builds on)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
TABLET = {"width": 768, "height": 1024}  # checked for width only: its layout is the desktop's or the phone's
STANDARD_CODE = re.compile(r"\b\d\.[A-Z]{2,3}\.[A-Z]\.\d")
# A realistic standard: long statements are what push narrow layouts wide.
LONG_STATEMENT = (
    "Explain why a fraction a/b is equivalent to a fraction (n × a)/(n × b) by using visual fraction "
    "models, with attention to how the number and size of the parts differ even though the two fractions "
    "themselves are the same size; use this principle to recognize and generate equivalent fractions."
)

Pages = Callable[[Classroom], list[tuple[str, str]]]


def _student_pages(c: Classroom) -> list[tuple[str, str]]:
    return [
        ("home", "/student/"),
        ("path", "/learn/"),
        ("practice", f"/learn/practice/{c.unit.a.pk}/"),
        ("activity", f"/learn/activity/{c.unit.video.pk}/"),
        ("goals", "/learn/goals/"),
        ("reflect", "/learn/reflect/"),
        ("diagnostic", "/diagnostic/"),
        ("account", "/account/"),
    ]


def _class_pages(c: Classroom) -> list[tuple[str, str]]:
    sec, student = c.world.section.pk, c.world.student.pk
    return [
        ("section", f"/sections/{sec}/"),
        ("today", f"/teach/sections/{sec}/today/"),
        ("class", f"/teach/sections/{sec}/class/"),
        ("student", f"/teach/sections/{sec}/students/{student}/"),
        ("groups", f"/teach/sections/{sec}/groups/"),
    ]


def _teacher_pages(c: Classroom) -> list[tuple[str, str]]:
    sec = c.world.section.pk
    return [
        ("home", "/teacher/"),
        *_class_pages(c),
        ("tiered", f"/teach/sections/{sec}/tiered/"),
        ("stations", f"/teach/sections/{sec}/stations/"),
        ("overrides", f"/teach/sections/{sec}/overrides/"),
        ("rules", f"/learn/sections/{sec}/rules/"),
        ("diagnostic", f"/diagnostic/sections/{sec}/"),
        ("passwords", f"/sections/{sec}/passwords/"),
        ("library", "/curriculum/"),
        ("competencies", "/curriculum/competencies/"),
        ("competency", f"/curriculum/competencies/{c.unit.b.pk}/"),
        ("content", f"/curriculum/content/{c.unit.video.pk}/"),
        ("two_step", "/account/two-step/"),
    ]


def _leader_pages(c: Classroom) -> list[tuple[str, str]]:
    return [("home", "/school/"), ("school", f"/schools/{c.world.school.pk}/"), *_class_pages(c)]


def _district_pages(c: Classroom) -> list[tuple[str, str]]:
    w = c.world
    return [
        ("home", "/district/"),
        ("school", f"/schools/{w.school.pk}/"),
        ("class", f"/teach/sections/{w.section.pk}/class/"),
        ("policy", f"/learn/districts/{w.district.pk}/policy/"),
        ("learner_model", f"/learn/districts/{w.district.pk}/learner-model/"),
        ("privacy", "/privacy/"),
    ]


def _guardian_pages(c: Classroom) -> list[tuple[str, str]]:
    return [("home", "/guardian/"), ("child", f"/students/{c.world.student.pk}/")]


# role -> (the World's person, their pages, a page outside their role that must answer 403)
ROLES: dict[str, tuple[str, Pages, Callable[[Classroom], str]]] = {
    "student": ("student", _student_pages, lambda c: "/teacher/"),
    "teacher": ("teacher", _teacher_pages, lambda c: "/school/"),
    "school_leader": ("leader", _leader_pages, lambda c: "/district/"),
    "district_admin": ("district_admin", _district_pages, lambda c: "/platform/"),
    "guardian": ("guardian", _guardian_pages, lambda c: "/student/"),
}


def _lived_in(c: Classroom) -> None:
    """Give the class a history so that pages show their tables, charts and lists, not empty states."""
    u, s = c.unit, c.students
    Competency.objects.filter(pk=u.a.pk).update(student_statement="I can find half of a number.")
    Competency.objects.filter(pk=u.b.pk).update(
        statement=LONG_STATEMENT, student_statement="I can show why two fractions name the same amount."
    )
    Competency.objects.filter(pk=u.c.pk).update(
        student_statement="I can add fractions with unlike denominators."
    )
    Competency.objects.filter(pk=u.d.pk).update(student_statement="I can measure and convert lengths.")
    progress(s[0], u.a, Progress.Status.MASTERED, mastery=0.97, attempts=6)
    progress(s[0], u.b, mastery=0.55, attempts=4)
    progress(s[1], u.a, mastery=0.25, attempts=14, spinning=True)
    progress(s[2], u.a, mastery=0.3, attempts=11, spinning=True)
    for student in s[3:]:
        progress(student, u.d, mastery=0.45)


def _too_wide(page: Any) -> list[str]:
    """The elements that run past the viewport's right edge, when the document is wider than it."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => {
          const bar = document.querySelector('.topbar');
          if (bar && bar.scrollWidth > bar.clientWidth)  // the top bar's own content must fit it too
            return [`the top bar's content is ${bar.scrollWidth - bar.clientWidth} px wider than the bar`];
          if (document.documentElement.scrollWidth <= window.innerWidth) return [];
          const w = window.innerWidth;
          const wide = [...document.body.querySelectorAll('*')].filter(e => {
            const r = e.getBoundingClientRect();
            if (r.right <= w + 0.5) return false;
            for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
              const o = getComputedStyle(p).overflowX;
              if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;  // scrolls in its own box
            }
            return true;
          });
          return [`scrollWidth ${document.documentElement.scrollWidth} > ${w}`].concat(
            wide.slice(0, 6).map(e => `${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className}`
              + ` right=${Math.round(e.getBoundingClientRect().right)}`));
        }"""
    )


def _check(page: Any, role: str, name: str, student: bool, problems: list[str], shots: Path) -> None:
    page.set_viewport_size(TABLET)
    wide = _too_wide(page)
    if wide:
        problems.append(f"{role} {name} at tablet is wider than the screen: {wide}")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        where = f"{role} {name} at {size}"
        wide = _too_wide(page)
        if wide:
            problems.append(f"{where} is wider than the screen: {wide}")
        for v in axe_violations(page):
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            problems.append(f"{where}: axe {v['id']} ({v['impact']}) at {targets}")
        if student:
            codes = sorted(set(STANDARD_CODE.findall(page.inner_text("body"))))
            if codes:
                problems.append(f"{where} shows standards codes to a student: {codes}")
        page.screenshot(path=str(shots / f"{role}_{name}_{size}.png"), full_page=True)


def _after_a_click(page: Any, base: str, role: str, c: Classroom, problems: list[str], shots: Path) -> None:
    """Pages that only exist after an action: a student's feedback with a worked solution, and the small
    group a teacher pulls from Today."""
    from playwright.sync_api import expect

    if role == "student":
        page.goto(f"{base}/learn/practice/{c.unit.a.pk}/")
        for wrong in ("5", "6"):  # two misses bring the worked solution
            page.get_by_label("Your answer").fill(wrong)
            page.get_by_role("button", name="Check my answer").click()
            expect(page.get_by_role("status")).to_be_visible()
        expect(page.get_by_role("list", name="Worked solution")).to_be_visible()
        _check(page, role, "feedback", True, problems, shots)
    elif role == "teacher":
        page.goto(f"{base}/teach/sections/{c.world.section.pk}/today/")
        page.get_by_role("button", name=re.compile(r"^Pull the \d+ as a group")).first.click()
        expect(page.get_by_role("table", name="Members")).to_be_visible()
        _check(page, role, "new_group", False, problems, shots)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_a_role_fits_a_phone_and_a_desktop(
    role: str,
    classroom: Classroom,  # noqa: F811
    browser_page: Any,
    live_server: Any,
    artifacts_dir: Path,
) -> None:
    person, pages, forbidden = ROLES[role]
    _lived_in(classroom)
    shots = artifacts_dir / "every_page"
    shots.mkdir(exist_ok=True)
    page, base = browser_page, live_server.url
    login(page, base, getattr(classroom.world, person).username)
    problems: list[str] = []
    for name, path in pages(classroom):
        response = page.goto(base + path)
        if response is None or response.status != 200:
            problems.append(f"{role} {name} ({path}) answered {response and response.status}")
            continue
        _check(page, role, name, role == "student", problems, shots)
    _after_a_click(page, base, role, classroom, problems, shots)

    # Dead ends: a missing page and a page outside the role are styled, say so, and offer a way back.
    dead_ends = [
        ("404", "/no-such-page/", 404, "We can't find that page"),
        ("403", forbidden(classroom), 403, "This page isn't open to you"),
    ]
    if role == "student":  # a locked competency's practice page says why in the student's words
        locked = f"/learn/practice/{classroom.unit.c.pk}/"
        dead_ends.append(("locked", locked, 403, "Opens when you can show why two fractions"))
    for name, path, status, heading in dead_ends:
        response = page.goto(base + path)
        if response is None or response.status != status:
            problems.append(f"{role} {path} answered {response and response.status}, not {status}")
            continue
        text = page.inner_text("body")
        if heading not in text or "Your home page" not in text or "Traceback" in text or "URLconf" in text:
            problems.append(f"{role} {path}: not the styled {status} page with a way back: {text[:200]!r}")
        _check(page, role, name, role == "student", problems, shots)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
