"""Every role walks its pages in a real browser (issue 18 item 7; issue 14 part 6): in English at desktop
(1280x800) and phone (390x844) width, then in Spanish (the person's own language) at phone width, where long
Spanish words overflow first. On each page: nothing wider than the viewport, no axe violation at ANY impact
(WCAG 2.1 A/AA and axe's best-practice rules), html[lang] in the reader's language, and on a student's pages
no standards code in the visible text. Each role also meets a styled 404 with a way back and a styled 403
for a page outside its role. Screenshots go to test-artifacts/every_page/<role>_<page>_<size>.png.

One browser and one signed-in page per role: each page is loaded once per language and checked at its
sizes (a viewport change re-lays the page out, as turning a tablet does), and for width at 768 px too.
Problems are gathered and reported together, so that one run lists every page that needs work."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cairn.accounts.models import User
from cairn.curriculum.models import Competency
from cairn.insights.services.tiered import create_tiered_task
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

EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


@dataclass
class Lived(Classroom):
    """The class with a history, and a tiered task its students are assigned."""

    task_id: int = 0


Pages = Callable[[Lived], list[tuple[str, str]]]


def _student_pages(c: Classroom) -> list[tuple[str, str]]:
    return [
        ("home", "/student/"),
        ("path", "/learn/"),
        ("practice", f"/learn/practice/{c.unit.b.pk}/"),  # A is answered after the walk: B stays fresh
        ("activity", f"/learn/activity/{c.unit.video.pk}/"),
        ("goals", "/learn/goals/"),
        ("reflect", "/learn/reflect/"),
        ("profile", "/learn/me/profile/"),
        ("task", f"/teach/tasks/{c.task_id}/"),
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
        ("learner_profile", f"/learn/students/{student}/profile/"),
        ("groups", f"/teach/sections/{sec}/groups/"),
    ]


def _teacher_pages(c: Classroom) -> list[tuple[str, str]]:
    sec = c.world.section.pk
    return [
        ("home", "/teacher/"),
        *_class_pages(c),
        ("tiered", f"/teach/sections/{sec}/tiered/"),
        ("tiered_task", f"/teach/tiered/{c.task_id}/"),
        ("stations", f"/teach/sections/{sec}/stations/"),
        ("overrides", f"/teach/sections/{sec}/overrides/"),
        ("autonomy", f"/teach/sections/{sec}/autonomy/"),
        ("voice", f"/learn/voice/{sec}/"),
        ("rules", f"/learn/sections/{sec}/rules/"),
        ("diagnostic", f"/diagnostic/sections/{sec}/"),
        ("passwords", f"/sections/{sec}/passwords/"),
        ("library", "/curriculum/"),
        ("competencies", "/curriculum/competencies/"),
        ("competency", f"/curriculum/competencies/{c.unit.b.pk}/"),
        ("content", f"/curriculum/content/{c.unit.video.pk}/"),
        ("item", f"/curriculum/items/{c.unit.numeric.pk}/"),
        ("my_path", "/leaders/me/path/"),
        ("two_step", "/account/two-step/"),
    ]


def _leaders_pages(c: Classroom, *, district: bool) -> list[tuple[str, str]]:
    w = c.world
    where = f"districts/{w.district.pk}" if district else f"schools/{w.school.pk}"
    pages = [
        ("leaders", "/leaders/"),
        ("definition", "/leaders/definition/"),
        ("effect", f"/leaders/{where}/effect/"),
        ("equity", f"/leaders/{where}/equity/"),
        ("walkthroughs", "/leaders/walkthroughs/"),
        ("support", f"/leaders/{where}/support/"),
    ]
    if district:
        pages.append(("goals", f"/leaders/districts/{w.district.pk}/goals/"))
    return pages


def _leader_pages(c: Classroom) -> list[tuple[str, str]]:
    return [
        ("home", "/school/"),
        ("school", f"/schools/{c.world.school.pk}/"),
        *_class_pages(c),
        *_leaders_pages(c, district=False),
    ]


def _district_pages(c: Classroom) -> list[tuple[str, str]]:
    w = c.world
    return [
        ("home", "/district/"),
        ("school", f"/schools/{w.school.pk}/"),
        ("class", f"/teach/sections/{w.section.pk}/class/"),
        ("policy", f"/learn/districts/{w.district.pk}/policy/"),
        ("learner_model", f"/learn/districts/{w.district.pk}/learner-model/"),
        ("privacy", "/privacy/"),
        *_leaders_pages(c, district=True),
    ]


def _guardian_pages(c: Classroom) -> list[tuple[str, str]]:
    student = c.world.student.pk
    return [
        ("home", "/guardian/"),
        ("child", f"/students/{student}/"),
        ("family", f"/families/children/{student}/"),
        ("preferences", "/families/preferences/"),
    ]


# role -> (the World's person, their pages, a page outside their role that must answer 403)
ROLES: dict[str, tuple[str, Pages, Callable[[Lived], str]]] = {
    "student": ("student", _student_pages, lambda c: "/teacher/"),
    "teacher": ("teacher", _teacher_pages, lambda c: "/school/"),
    "school_leader": ("leader", _leader_pages, lambda c: "/district/"),
    "district_admin": ("district_admin", _district_pages, lambda c: "/platform/"),
    "guardian": ("guardian", _guardian_pages, lambda c: "/student/"),
}


def _lived_in(c: Classroom) -> Lived:
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
    task = create_tiered_task(
        c.world.teacher,
        c.world.section,
        competency_id=u.a.pk,
        title="Halves at three levels",
        support="Fold a paper strip in half and name each part.",
        core="Find half of 8, 12 and 20 and draw each.",
        extend="Find half of 15 and explain what happens.",
    )
    return Lived(c.world, c.unit, c.students, c.lesson, task_id=task.pk)


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


def _check(
    page: Any, role: str, name: str, student: bool, problems: list[str], shots: Path, lang: str = "en"
) -> None:
    """Check the page as loaded: in English at tablet (width only), desktop and phone; in Spanish at phone."""
    sizes = SIZES if lang == "en" else {"phone": SIZES["phone"]}
    if lang == "en":
        page.set_viewport_size(TABLET)
        wide = _too_wide(page)
        if wide:
            problems.append(f"{role} {name} at tablet is wider than the screen: {wide}")
    html_lang = page.get_attribute("html", "lang") or ""
    if html_lang.split("-")[0] != lang:
        problems.append(f"{role} {name} ({lang}): html lang is {html_lang!r}")
    for size, viewport in sizes.items():
        page.set_viewport_size(viewport)
        where = f"{role} {name} at {size} ({lang})"
        wide = _too_wide(page)
        if wide:
            problems.append(f"{where} is wider than the screen: {wide}")
        for v in axe_violations(page, impacts=EVERY_IMPACT, best_practice=True):
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            problems.append(f"{where}: axe {v['id']} ({v['impact']}) at {targets}")
        if student:
            codes = sorted(set(STANDARD_CODE.findall(page.inner_text("body"))))
            if codes:
                problems.append(f"{where} shows standards codes to a student: {codes}")
        page.screenshot(path=str(shots / f"{role}_{name}_{size}_{lang}.png"), full_page=True)


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


def _walk(page: Any, base: str, role: str, c: Lived, problems: list[str], shots: Path, lang: str) -> None:
    _person, pages, _forbidden = ROLES[role]
    for name, path in pages(c):
        response = page.goto(base + path)
        if response is None or response.status != 200:
            problems.append(f"{role} {name} ({path}, {lang}) answered {response and response.status}")
            continue
        _check(page, role, name, role == "student", problems, shots, lang)


def _dead_ends(page: Any, base: str, role: str, c: Lived, problems: list[str], shots: Path) -> None:
    """A missing page and a page outside the role are styled, say so, and offer a way back."""
    dead_ends = [
        ("404", "/no-such-page/", 404, "We can't find that page"),
        ("403", ROLES[role][2](c), 403, "This page isn't open to you"),
    ]
    if role == "student":  # a locked competency's practice page says why in the student's words
        locked = f"/learn/practice/{c.unit.c.pk}/"
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


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_a_role_in_english_and_spanish(
    role: str,
    classroom: Classroom,  # noqa: F811
    browser_page: Any,
    live_server: Any,
    artifacts_dir: Path,
) -> None:
    person = getattr(classroom.world, ROLES[role][0])
    lived = _lived_in(classroom)
    shots = artifacts_dir / "every_page"
    shots.mkdir(exist_ok=True)
    page, base = browser_page, live_server.url
    login(page, base, person.username)
    problems: list[str] = []
    _walk(page, base, role, lived, problems, shots, "en")
    _after_a_click(page, base, role, lived, problems, shots)
    _dead_ends(page, base, role, lived, problems, shots)
    # The same person reads Cairn in Spanish: their own language wins over the browser's after sign-in.
    User.objects.filter(pk=person.pk).update(language="es")
    _walk(page, base, role, lived, problems, shots, "es")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_sign_in_page_in_both_languages(browser_page: Any, live_server: Any, artifacts_dir: Path) -> None:
    """Signed out: the sign-in page speaks the browser's language (Accept-Language), fits a phone and has
    no axe violation in either language."""
    shots = artifacts_dir / "every_page"
    shots.mkdir(exist_ok=True)
    problems: list[str] = []
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    _check(page, "signed_out", "login", False, problems, shots)
    context = page.context.browser.new_context(locale="es-ES", viewport=SIZES["phone"])
    try:
        spanish = context.new_page()
        spanish.goto(f"{live_server.url}/login/")
        if spanish.get_by_role("button", name="Iniciar sesión").count() != 1:
            problems.append("the Spanish sign-in page has no 'Iniciar sesión' button")
        _check(spanish, "signed_out", "login", False, problems, shots, "es")
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
