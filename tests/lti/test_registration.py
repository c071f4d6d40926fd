"""Registering an LMS: ``cairn lti add-platform`` (run as a person would, on a fresh data folder) prints the
tool's URLs to paste into the LMS; the district admin's page does the same; the registration's rules; the
tool's keys and their rotation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from cairn.core.errors import Conflict, Invalid
from cairn.lti import registration
from cairn.lti.models import Platform
from tests.conftest import World, client_for, run_cairn

PLATFORM = {
    "name": "District Canvas",
    "issuer": "https://canvas.example.org",
    "client_id": "10000000000042",
    "deployment_id": "7:abc",
    "auth_url": "https://sso.example.org/api/lti/authorize_redirect",
    "token_url": "https://sso.example.org/login/oauth2/token",
    "keyset_url": "https://sso.example.org/api/lti/security/jwks",
}


def test_cairn_lti_add_platform_registers_and_prints_the_tools_urls(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cairn("manage", "migrate", "-v", "0", data_dir=data).returncode == 0
    made = run_cairn(
        "manage",
        "shell",
        "-c",
        "from cairn.accounts.models import District; District.objects.create(name='North', slug='north')",
        data_dir=data,
    )
    assert made.returncode == 0, made.stderr
    args = [f"--{k.replace('_', '-')}={v}" for k, v in PLATFORM.items()]
    added = run_cairn("lti", "add-platform", *args, "--base-url=https://cairn.example.org", data_dir=data)
    assert added.returncode == 0, added.stderr
    assert "Registered District Canvas for North" in added.stdout
    assert "OIDC login initiation URL: https://cairn.example.org/lti/login/" in added.stdout
    assert "Target link URI / redirect URI: https://cairn.example.org/lti/launch/" in added.stdout
    assert "Public keyset (JWKS) URL: https://cairn.example.org/lti/jwks/" in added.stdout
    refused = run_cairn(
        "lti", "add-platform", *args[:-1], "--keyset-url=http://sso.example.org/jwks", data_dir=data
    )
    assert refused.returncode == 1 and "must use https" in refused.stderr
    rotated = run_cairn("lti", "rotate-keys", data_dir=data)
    assert rotated.returncode == 0 and "0 older key(s) retired" in rotated.stdout, rotated.stderr


def test_registration_rules_and_key_rotation(world: World) -> None:
    platform = registration.add_platform(district=world.district, **PLATFORM)
    assert LtiDeployment.objects.get(registration=platform.registration).is_active
    assert registration.frame_origins_for(platform) == [
        "https://canvas.example.org",
        "https://sso.example.org",
    ]
    # A second deployment of the same LMS joins its registration; another district may not claim it.
    registration.add_platform(district=world.district, **{**PLATFORM, "deployment_id": "8:def"})
    assert LtiRegistration.objects.count() == 1 and LtiDeployment.objects.count() == 2
    with pytest.raises(Conflict):
        registration.add_platform(district=world.other_district, **PLATFORM)
    with pytest.raises(Invalid):
        registration.add_platform(district=world.district, **{**PLATFORM, "auth_url": "javascript:alert(1)"})
    # Rotation: a new key signs; the old one stays published for the grace period, then leaves the set.
    first = Key.objects.get()
    key, retired = registration.rotate_keys(retire_after_days=7)
    assert retired == 0 and Key.objects.active().count() == 2
    Key.objects.filter(pk=first.pk).update(datetime_created=timezone.now() - dt.timedelta(days=8))
    _, retired = registration.rotate_keys(retire_after_days=7)
    kids = {k["kid"] for k in Client().get(reverse("lti-jwks")).json()["keys"]}
    assert retired == 1 and str(key) in kids and str(first) not in kids


def test_the_district_admins_page_registers_an_lms_and_shows_the_urls(world: World) -> None:
    url = reverse("lti-platforms", kwargs={"district_id": world.district.pk})
    admin = client_for(world.district_admin)
    page = admin.get(url)
    assert page.status_code == 200 and "/lti/login/" in page.content.decode()
    response = admin.post(url, {**PLATFORM, "frame_origins": "https://district.instructure.com"})
    assert response.status_code == 302
    platform = Platform.objects.get(district=world.district)
    assert "https://district.instructure.com" in registration.frame_origins_for(platform)
    assert "District Canvas" in admin.get(url).content.decode()
    # Another district's admin and a teacher may not.
    assert client_for(world.teacher).get(url).status_code == 403
    other = reverse("lti-platforms", kwargs={"district_id": world.other_district.pk})
    assert admin.get(other).status_code in {403, 404}
