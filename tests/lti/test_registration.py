"""Registering an LMS: ``cairn lti add-platform`` (run as a person would, on a fresh data folder) prints the
tool's URLs to paste into the LMS; the district admin's page does the same; the registration's rules; the
tool's keys and their rotation."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from cairn.core.errors import Conflict, Invalid
from cairn.lti import registration
from cairn.lti.dynamic_registration import PLATFORM_CONFIGURATION, TOOL_CONFIGURATION
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


class _RegisteringLms(BaseHTTPRequestHandler):
    """A platform's side of Dynamic Registration: its OpenID configuration and registration endpoint."""

    received: list[tuple[str, dict[str, object]]] = []

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._json(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/auth",
                "token_endpoint": f"{base}/token",
                "jwks_uri": f"{base}/jwks",
                "registration_endpoint": f"{base}/register",
                PLATFORM_CONFIGURATION: {"product_family_code": "moodle"},
            }
        )

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.headers.get("Authorization", ""), body))
        self._json({"client_id": "dyn-client-1", TOOL_CONFIGURATION: {"deployment_id": "dyn-dep-1"}})

    def _json(self, data: dict[str, object]) -> None:
        payload = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def test_dynamic_registration_from_the_district_link(world: World) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RegisteringLms)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = client_for(world.district_admin).get(
            reverse("lti-platforms", kwargs={"district_id": world.district.pk})
        )
        link = re.search(r"http://testserver/lti/register/[^<]+/", page.content.decode())
        assert link is not None
        query = urlencode(
            {"openid_configuration": f"{base}/.well-known/openid-configuration", "registration_token": "t1"}
        )
        answer = Client().get(f"{link.group(0)}?{query}")
        assert answer.status_code == 200 and "Cairn is registered" in answer.content.decode()
        assert f"frame-ancestors {base}" in answer["Content-Security-Policy"]
        platform = Platform.objects.get(registration__client_id="dyn-client-1")
        assert platform.district == world.district and platform.registration.issuer == base
        assert LtiDeployment.objects.get(registration=platform.registration).deployment_id == "dyn-dep-1"
        token, sent = _RegisteringLms.received[-1]
        assert token == "Bearer t1" and sent["initiate_login_uri"] == "http://testserver/lti/login/"
        assert sent["jwks_uri"] == "http://testserver/lti/jwks/"
        # A link that was tampered with registers nothing.
        forged = Client().get(link.group(0).replace("/register/", "/register/x") + "?" + query)
        assert forged.status_code == 400 and "not valid any more" in forged.content.decode()
    finally:
        server.shutdown()
        server.server_close()
