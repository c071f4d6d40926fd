from __future__ import annotations

import datetime as dt

import pytest

from cairn.accounts.demo import DEMO_PASSWORD, demo_logins, seed_demo_district
from cairn.accounts.models import Enrolment, GuardianLink, Role, RoleAssignment, School, Section, User


def _snapshot() -> list[tuple[str, str, str]]:
    return list(User.objects.order_by("username").values_list("username", "first_name", "last_name"))


@pytest.mark.django_db
def test_demo_district_has_the_promised_shape() -> None:
    district = seed_demo_district(today=dt.date(2026, 11, 22))
    assert School.objects.filter(district=district).count() == 2
    assert Section.objects.count() == 6
    assert RoleAssignment.objects.filter(role=Role.TEACHER).count() == 4
    students = User.objects.filter(role_assignments__role=Role.STUDENT)
    assert students.count() == 150
    assert GuardianLink.objects.count() == 150
    # Every student is in exactly one current section, and every section has a current teacher.
    current = Enrolment.objects.current(dt.date(2026, 11, 22))
    assert current.filter(kind="student").values("user").distinct().count() == 150
    assert current.filter(kind="teacher").values("section").distinct().count() == 6
    # Realistic, distinct names rather than "Student 17".
    names = {(s.first_name, s.last_name) for s in students}
    assert len(names) == 150
    assert all(first.isalpha() and last.isalpha() for first, last in names)


@pytest.mark.django_db
def test_demo_seed_is_deterministic_and_idempotent() -> None:
    seed_demo_district(today=dt.date(2026, 11, 22))
    first = _snapshot()
    seed_demo_district(today=dt.date(2026, 11, 22))  # a second run changes nothing
    assert _snapshot() == first
    User.objects.all().delete()
    Section.objects.all().delete()
    School.objects.all().delete()
    from cairn.accounts.models import District

    District.objects.all().delete()
    seed_demo_district(today=dt.date(2026, 11, 22))
    assert _snapshot() == first


@pytest.mark.django_db
def test_demo_logins_work_with_the_printed_password(client) -> None:  # type: ignore[no-untyped-def]
    seed_demo_district()
    logins = demo_logins()
    assert {login.role for login in logins} >= {
        "Teacher",
        "Student",
        "Guardian",
        "School leader",
        "District admin",
    }
    teacher = next(login for login in logins if login.role == "Teacher")
    response = client.post("/login/", {"username": teacher.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/teacher/").content.decode()
    assert "Grade 4 Math A" in page
    assert "25 students" in page


@pytest.mark.django_db
def test_the_demo_admin_signs_in_with_the_published_secret(client) -> None:  # type: ignore[no-untyped-def]
    import base64
    from io import StringIO

    from django.core.management import call_command

    from cairn.accounts.demo import DEMO_TOTP_SECRET

    assert DEMO_TOTP_SECRET == "MNQWS4TOFVSGK3LPFV2G65DQFUZDAMRW"  # as README's demo logins say
    assert base64.b32decode(DEMO_TOTP_SECRET) == b"cairn-demo-totp-2026"
    seed_demo_district()
    response = client.post("/login/", {"username": "admin.maple", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/district/")["Location"] == "/login/verify/?next=%2Fdistrict%2F"
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    assert client.post("/login/verify/", {"code": code, "next": "/district/"})["Location"] == "/district/"
    assert client.get("/district/").status_code == 200
