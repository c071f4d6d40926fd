"""Every launch Cairn must refuse gets a 4xx page that says why, and signs nobody in: a bad signature, an
expired token, a wrong audience, an unknown deployment, a replayed token (in the same browser, or in another
that has just started its own login), a state that does not match, an issuer nobody registered."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import jwt
import pytest
from django.test import Client
from lti_tool.models import LtiDeployment

from cairn.lti.models import LtiIdentity
from tests.conftest import World
from tests.lti.platform import LEARNER, Lms, pem, rsa_key, start_login

DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"


@pytest.fixture
def lms(world: World) -> Iterator[Lms]:
    platform = Lms.start()
    platform.register(world.district)
    yield platform
    platform.stop()


def _form(client: Client, lms: Lms, **claims: object) -> dict[str, str]:
    return lms.launch_form(
        start_login(client, lms, "lms-student-9"), user_id="lms-student-9", roles=[LEARNER], **claims
    )  # type: ignore[arg-type]


def _refused(client: Client, form: dict[str, str], words: str, status: int = 403) -> None:
    response = client.post("/lti/launch/", form)
    assert response.status_code == status, response.content[:500]
    page = response.content.decode()
    assert words in page and f"Error {status}" in page
    assert client.get("/api/v1/me").status_code == 401
    assert not LtiIdentity.objects.filter(subject="lms-student-9").exists()


def test_a_token_signed_by_another_key_is_refused(lms: Lms) -> None:
    client = Client()
    form = _form(client, lms)
    header = json.loads(base64.urlsafe_b64decode(form["id_token"].split(".")[0] + "=="))
    claims = jwt.decode(form["id_token"], options={"verify_signature": False})
    forged = jwt.encode(claims, pem(rsa_key("attacker"), private=True), algorithm="RS256", headers=header)
    _refused(client, {**form, "id_token": forged}, "not signed by the LMS it names")


def test_an_expired_or_undated_token_is_refused(lms: Lms) -> None:
    client = Client()
    _refused(client, _form(client, lms, expires_in=-120), "has expired")
    _refused(client, _form(client, lms, expires_in=0), "could not be checked")  # no exp: never expires


def test_a_token_for_another_audience_is_refused(lms: Lms) -> None:
    client = Client()
    form = _form(client, lms, extra={"aud": "another-tool", "azp": "another-tool"})
    _refused(client, form, "not registered with Cairn")


def test_an_unknown_deployment_is_refused_and_not_recorded(lms: Lms) -> None:
    client = Client()
    form = _form(client, lms, extra={DEPLOYMENT_CLAIM: "deployment-nobody-registered"})
    _refused(client, form, "deployment not registered with Cairn")
    assert not LtiDeployment.objects.filter(deployment_id="deployment-nobody-registered").exists()


def test_a_state_that_does_not_match_is_refused(lms: Lms) -> None:
    client = Client()
    form = _form(client, lms)
    _refused(client, {**form, "state": "state-made-up"}, "did not start in this browser")


def test_a_replayed_token_is_refused_in_the_same_browser_and_in_another(lms: Lms) -> None:
    victim = Client()
    form = _form(victim, lms)
    assert victim.post("/lti/launch/", form).status_code == 302
    # The same token again, in the same browser.
    response = victim.post("/lti/launch/", form)
    assert response.status_code == 403 and "already used" in response.content.decode()
    # Another browser that has just started its own login (so it holds a state cookie and a nonce of its
    # own) posts the captured token, with the captured state and then with its own.
    LtiIdentity.objects.all().delete()
    attacker = Client()
    own_state = start_login(attacker, lms, "lms-student-9")["state"]
    _refused(attacker, form, "already used")
    _refused(attacker, {**form, "state": own_state}, "not issued for this browser")


def test_a_captured_token_is_refused_in_a_browser_that_did_not_start_its_login(lms: Lms) -> None:
    form = _form(Client(), lms)
    _refused(Client(), form, "did not start in this browser")


def test_a_login_from_an_unregistered_lms_is_refused(world: World, lms: Lms) -> None:
    url = lms.login_url("lms-student-9").replace("lms.example.org", "evil.example.org")
    response = Client().get(url + "&lti1p3_new_window=1")
    assert response.status_code == 403 and "not registered with Cairn" in response.content.decode()
    assert Client().post("/lti/launch/", {}).status_code == 400
