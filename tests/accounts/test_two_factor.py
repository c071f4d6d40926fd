"""Two-step sign-in for staff: who must, the flow through the real forms, and what a half-signed-in session
can reach (nothing but the second step; the API ignores it, a token still works)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cairn.accounts import devices, two_factor
from cairn.accounts.models import SecuritySettings
from tests.conftest import PASSWORD, World, api_client_for, client_for

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, drift=drift):06d}"


def _password_step(client: Client, username: str) -> str:
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def test_who_must_use_two_steps(world: World) -> None:
    assert two_factor.required_for(world.district_admin)
    assert two_factor.required_for(world.platform_admin)
    for person in (world.teacher, world.leader, world.student, world.guardian):
        assert not two_factor.required_for(person)
    SecuritySettings.objects.create(district=world.district, require_staff_two_factor=True)
    assert two_factor.required_for(world.teacher)
    assert two_factor.required_for(world.leader)
    # Students and guardians never do, whatever the district sets.
    assert not two_factor.required_for(world.student)
    assert not two_factor.required_for(world.guardian)


def test_admin_without_a_device_is_led_to_set_one_up_and_gets_recovery_codes(world: World) -> None:
    client = Client()
    assert _password_step(client, world.district_admin.username) == "/"
    response = client.get("/district/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/setup/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"otpauth://totp/Cairn%3Adora_admin?secret=" in page.content
    assert b"data:image/svg+xml" in page.content  # the QR code, drawn offline
    device = TOTPDevice.objects.get(user=world.district_admin, confirmed=False)
    # A wrong code sets up nothing.
    wrong = client.post("/login/setup/", {"code": "000000" if _code(device) != "000000" else "111111"})
    assert b"doesn&#x27;t match" in wrong.content
    assert not TOTPDevice.objects.filter(user=world.district_admin, confirmed=True).exists()
    done = client.post("/login/setup/", {"code": _code(device), "next": "/district/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == devices.RECOVERY_CODE_COUNT
    assert all(code.encode() in done.content for code in codes)
    assert client.get("/district/").status_code == 200  # the session passed the second step


def test_admin_with_a_device_must_type_its_code(world: World) -> None:
    device = devices.install_app_device(user=world.district_admin, key_hex="ab" * 20)
    client = Client()
    _password_step(client, world.district_admin.username)
    response = client.get("/district/")
    assert response["Location"] == "/login/verify/?next=%2Fdistrict%2F"
    # The setup page is closed to someone who has an app already: no new secret for a password alone.
    assert client.get("/login/setup/").status_code == 409
    refused = client.post("/login/verify/", {"code": "12345", "next": "/district/"})
    assert refused.status_code == 200
    assert b"didn&#x27;t work" in refused.content
    assert client.get("/district/").status_code == 302
    # django-otp slows guessing after a failure: the right code is accepted once the short delay passed.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    ok = client.post("/login/verify/", {"code": _code(device), "next": "/district/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/district/"
    assert client.get("/district/").status_code == 200


def test_a_recovery_code_works_once(world: World) -> None:
    devices.install_app_device(user=world.district_admin, key_hex="cd" * 20)
    codes = devices.new_recovery_codes(user=world.district_admin)
    first = Client()
    _password_step(first, world.district_admin.username)
    assert first.post("/login/verify/", {"code": codes[0].upper(), "next": "/district/"}).status_code == 302
    assert first.get("/district/").status_code == 200
    second = Client()
    _password_step(second, world.district_admin.username)
    again = second.post("/login/verify/", {"code": codes[0], "next": "/district/"})
    assert again.status_code == 200  # used up
    assert StaticToken.objects.filter(device__user=world.district_admin).count() == len(codes) - 1


def test_new_recovery_codes_replace_the_old_sheet(world: World) -> None:
    devices.install_app_device(user=world.district_admin, key_hex="ef" * 20)
    old = devices.new_recovery_codes(user=world.district_admin)
    client = client_for(world.district_admin)
    status = client.get("/account/two-step/")
    assert b"<strong>10</strong> unused recovery codes" in status.content
    response = client.post("/account/two-step/recovery-codes/")
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    stored = set(
        StaticToken.objects.filter(device__user=world.district_admin).values_list("token", flat=True)
    )
    assert stored == set(new)


def test_the_staff_api_ignores_a_half_signed_in_session_but_a_token_works(world: World) -> None:
    devices.install_app_device(user=world.district_admin, key_hex="12" * 20)
    client = Client()
    _password_step(client, world.district_admin.username)
    assert client.get(f"/api/v1/students/{world.student.pk}").status_code == 401
    token_client = api_client_for(world.district_admin)
    assert token_client.get(f"/api/v1/students/{world.student.pk}").status_code == 200
    # The test helper's session counts as verified.
    assert client_for(world.district_admin).get(f"/api/v1/students/{world.student.pk}").status_code == 200


def test_district_setting_brings_teachers_to_the_second_step(world: World) -> None:
    SecuritySettings.objects.create(district=world.district, require_staff_two_factor=True)
    client = Client()
    _password_step(client, world.teacher.username)
    assert client.get("/teacher/")["Location"].startswith("/login/setup/")
    # A student of the same district signs in with the password alone.
    student = Client()
    _password_step(student, world.student.username)
    assert student.get("/student/").status_code == 200


def test_logout_stays_open_between_the_steps(world: World) -> None:
    client = Client()
    _password_step(client, world.district_admin.username)
    assert client.post("/logout/").status_code == 302
    assert client.get("/district/")["Location"].startswith("/login/")


def test_the_admin_site_signs_in_through_cairns_form(world: World) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"
