"""Fixtures shared by every test package: a small world holding every role, and a real browser."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cairn.accounts import devices, services, two_factor
from cairn.accounts.models import District, Enrolment, Role, School, Section, User
from cairn.engine import items as item_engine
from cairn.learning.models import ServedItem
from cairn.learning.services.questions import item_instance

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls from that
# thread unless told the loop is not serving requests (it isn't: live_server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(
    os.environ.get("CAIRN_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts")
)
PASSWORD = "correct-horse-battery"


@dataclass
class World:
    """Two districts; district one has two schools. Each name says what the person may see."""

    district: District
    other_district: District
    school: School
    sister_school: School
    far_school: School
    section: Section  # taught now by `teacher`, holds `student` and `classmate`
    sister_section: Section  # same school, taught by `colleague`, holds `schoolmate`
    far_section: Section  # other district, holds `stranger`
    student: User
    classmate: User
    schoolmate: User
    sister_student: User  # in the sister school
    stranger: User
    former_student: User  # enrolment in `section` ended last month
    teacher: User
    colleague: User
    former_teacher: User  # taught `section` until last month
    guardian: User  # guardian of `student` only
    leader: User  # school leader of `school`
    district_admin: User  # admin of `district`
    platform_admin: User


# Who in the World may see whom, as the access rules say (both ways: a rule is only tested if the people it
# keeps out are tested too). viewer -> (students they may see, students they may not)
STUDENT_RULES = {
    "student": ({"student"}, {"classmate", "schoolmate", "stranger"}),
    "guardian": ({"student"}, {"classmate", "schoolmate", "stranger"}),
    "teacher": ({"student", "classmate"}, {"schoolmate", "former_student", "sister_student", "stranger"}),
    "former_teacher": (set(), {"student", "classmate", "former_student"}),
    "colleague": ({"schoolmate"}, {"student", "classmate"}),
    "leader": ({"student", "classmate", "schoolmate", "former_student"}, {"sister_student", "stranger"}),
    "district_admin": ({"student", "schoolmate", "sister_student"}, {"stranger"}),
    "platform_admin": ({"student", "schoolmate", "sister_student", "stranger"}, set()),
}
# viewer -> (sections whose roster they may see, sections they may not)
SECTION_RULES = {
    "student": (set(), {"section"}),
    "guardian": (set(), {"section"}),
    "teacher": ({"section"}, {"sister_section", "far_section"}),
    "former_teacher": (set(), {"section"}),
    "leader": ({"section", "sister_section"}, {"far_section"}),
    "district_admin": ({"section", "sister_section"}, {"far_section"}),
    "platform_admin": ({"section", "sister_section", "far_section"}, set()),
}


def access_cases(rules: dict[str, tuple[set[str], set[str]]]) -> list[tuple[str, str, bool]]:
    """(viewer, target, allowed) for every pair a rules table names, to parametrize a test over both ways."""
    return [(v, t, True) for v, (yes, _) in rules.items() for t in sorted(yes)] + [
        (v, t, False) for v, (_, no) in rules.items() for t in sorted(no)
    ]


def _person(username: str, role: Role, **scope: object) -> User:
    first, _, last = username.partition("_")
    return services.create_person(
        username=username,
        first_name=first.title(),
        last_name=(last or "Test").title(),
        role=role,
        password=PASSWORD,
        **scope,  # type: ignore[arg-type]
    )


@pytest.fixture
def world(db: None) -> World:
    today = dt.date.today()
    start, end = today - dt.timedelta(days=60), today + dt.timedelta(days=120)
    district = District.objects.create(name="North District", slug="north")
    other_district = District.objects.create(name="South District", slug="south")
    school = School.objects.create(district=district, name="Oak Elementary", code="OAK")
    sister_school = School.objects.create(district=district, name="Pine Middle", code="PINE")
    far_school = School.objects.create(district=other_district, name="Cedar High", code="CEDAR")

    def section(school: School, code: str) -> Section:
        return Section.objects.create(
            school=school, name=f"Math {code}", code=code, grade="5", term_start=start, term_end=end
        )

    sec, sister_sec, far_sec = section(school, "M5A"), section(school, "M5B"), section(far_school, "M9A")
    pine_sec = section(sister_school, "M6A")

    def student(name: str, school: School, sec: Section, ended: bool = False) -> User:
        user = _person(name, Role.STUDENT, school=school)
        services.enrol(
            user, sec, Enrolment.Kind.STUDENT, start, today - dt.timedelta(days=30) if ended else None
        )
        return user

    def teacher(name: str, school: School, sec: Section, ended: bool = False) -> User:
        user = _person(name, Role.TEACHER, school=school)
        services.enrol(
            user, sec, Enrolment.Kind.TEACHER, start, today - dt.timedelta(days=30) if ended else None
        )
        return user

    w = World(
        district=district,
        other_district=other_district,
        school=school,
        sister_school=sister_school,
        far_school=far_school,
        section=sec,
        sister_section=sister_sec,
        far_section=far_sec,
        student=student("ana_lopez", school, sec),
        classmate=student("ben_kim", school, sec),
        schoolmate=student("cara_singh", school, sister_sec),
        sister_student=student("dev_patel", sister_school, pine_sec),
        stranger=student("eli_north", far_school, far_sec),
        former_student=student("fay_gone", school, sec, ended=True),
        teacher=teacher("tess_teacher", school, sec),
        colleague=teacher("carl_colleague", school, sister_sec),
        former_teacher=teacher("fred_former", school, sec, ended=True),
        guardian=_person("gina_guardian", Role.GUARDIAN),
        leader=_person("lee_leader", Role.SCHOOL_LEADER, school=school),
        district_admin=_person("dora_admin", Role.DISTRICT_ADMIN, district=district),
        platform_admin=_person("pat_platform", Role.PLATFORM_ADMIN),
    )
    services.link_guardian(w.guardian, w.student)
    return w


def client_for(user: User, *, csrf_checks: bool = False) -> Client:
    """A test client logged in as `user` through a session, as a person in a browser is.

    `csrf_checks=True` makes it refuse writes without a CSRF token, as a real browser session would; tests
    skip the check by default, like Django's own test client."""
    client = Client(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    pass_second_factor(client, user)
    return client


# The authenticator secret every test person who needs a second sign-in step gets (cairn.accounts.two_factor).
TEST_TOTP_KEY = b"cairn-tests-totp-key".hex()


def second_factor_device(user: User) -> TOTPDevice | None:
    """``user``'s authenticator (made with TEST_TOTP_KEY if missing) when they must sign in in two steps."""
    if not two_factor.required_for(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or devices.install_app_device(user=user, key_hex=TEST_TOTP_KEY)


def pass_second_factor(client: Client, user: User) -> None:
    """THE helper that passes the second sign-in step for a signed-in test client, as django_otp.login
    does after a right code: the session names the device it was verified with. Nothing for people who
    don't need one."""
    device = second_factor_device(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def api_client_for(user: User) -> Client:
    """A client that calls the API as an outside system does: a fresh bearer token of `user`'s, no session,
    and CSRF enforced as a real server enforces it (a token client must be able to write without a cookie)."""
    token = services.create_api_token(user, "test")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})


def run_cairn(
    *args: str, data_dir: Path, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `cairn` command as a newcomer would: a separate process with a fresh data folder and none of
    the test settings (no DEBUG, no test database), so it finds out what a first install finds out. Its
    database is SQLite in `data_dir` unless `database_url` names another."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}
    }
    env["CAIRN_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "cairn", *args], env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


CHROMIUM = os.environ.get("CAIRN_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def browser_page(live_server: object) -> Iterator[object]:
    """A page in Debian's headless Chromium driven by Playwright. Skipped where Chromium is not installed,
    unless CAIRN_REQUIRE_BROWSER=1 (CI sets it), in which case its absence fails the test."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CAIRN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} and CAIRN_REQUIRE_BROWSER=1")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def login(page: object, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would, typing the authenticator's current code at the
    second step for staff who need one (see pass_second_factor for clients without a browser)."""
    device = second_factor_device(User.objects.get(username=username))
    page.goto(f"{base_url}/login/")  # type: ignore[attr-defined]
    page.get_by_label("Username").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    if device is not None:
        page.wait_for_url("**/login/verify/**")  # type: ignore[attr-defined]
        page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Continue").click()  # type: ignore[attr-defined]


def right_answer(served: ServedItem) -> str:
    """The right answer to a served question, as the student would give it: the first right choice's id,
    or the instance's answer text (a template's variant is the one the student sees)."""
    inst = item_instance(served)
    if isinstance(inst.spec, item_engine.ChoiceSpec):
        return sorted(inst.spec.correct)[0]
    return inst.answer_text


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Each test starts with no requests counted against the rate limits (cairn.core.throttles): they are
    kept in the cache, which outlives a test's rolled-back transaction, and people's ids repeat."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the test's thread (Django's LocaleMiddleware does not
    switch back); the next test's direct calls expect English."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_learner_model() -> Iterator[None]:
    """Each test loads the learner model and the prerequisite edges from its own database: the process
    keeps them for 30 s (cairn.learning.learner), and competency ids repeat between tests."""
    from cairn.learning import learner

    learner.reset()
    yield
    learner.reset()


@pytest.fixture(autouse=True, scope="session")
def _flush_past_audit_triggers() -> Iterator[None]:
    """Transactional tests (the browser's live server) empty every table between tests with Django's flush,
    which the audit trail's append-only triggers refuse; lift them for the flush alone, then put them back.
    Only the test suite does this: production has no way round the triggers but dropping them."""
    import importlib

    from django.db import connection
    from django.test import TransactionTestCase

    triggers = importlib.import_module("cairn.core.migrations.0002_audit_append_only")
    teardown = TransactionTestCase._fixture_teardown

    def flush_without_triggers(self: TransactionTestCase) -> None:
        with connection.cursor() as cursor:
            for statement in triggers.DOWN.get(connection.vendor, []):
                cursor.execute(statement)
        try:
            teardown(self)
        finally:
            with connection.cursor() as cursor:
                for statement in triggers.UP.get(connection.vendor, []):
                    cursor.execute(statement)

    TransactionTestCase._fixture_teardown = flush_without_triggers  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = teardown  # type: ignore[method-assign]
