"""LTI Dynamic Registration (IMS LTI Dynamic Registration 1.0): the LMS registers Cairn by itself.

The district admin's LMS page shows a registration link for their district (signed, valid a week, so the
LMS's admin needs no Cairn account). The LMS opens it with ``openid_configuration`` and
``registration_token``; Cairn reads the platform's configuration (its issuer must be where the configuration
lives), sends its own (login, launch and key URLs, the messages it takes, the scopes it asks for) to the
platform's registration endpoint, and registers the client id and deployment id it gets back for the
district, as ``cairn lti add-platform`` would.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from cairn.accounts.models import District
from cairn.core.errors import Invalid
from cairn.lti.models import Platform
from cairn.lti.registration import add_platform, check_url, tool_urls

SALT = "cairn.lti.dynamic-registration"
LINK_DAYS = 7
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
)


def registration_link(district: District, base_url: str) -> str:
    """The link to paste into the LMS's "register by URL" (valid LINK_DAYS days)."""
    token = signing.dumps(district.pk, salt=SALT)
    return base_url.rstrip("/") + reverse("lti-register", kwargs={"token": token})


def _district(token: str) -> District:
    try:
        district_id = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 3600)
    except signing.BadSignature as exc:
        raise Invalid(_("This registration link is not valid any more; copy a new one from Cairn.")) from exc
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        raise Invalid(_("This registration link's district is gone."))
    return district


def _tool_configuration(base_url: str) -> dict[str, Any]:
    urls = tool_urls(base_url)
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls.login,
        "redirect_uris": [urls.launch],
        "client_name": "Cairn",
        "jwks_uri": urls.jwks,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(urls.launch).netloc,
            "target_link_uri": urls.launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": urls.launch},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": urls.launch},
            ],
        },
    }


def _json(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 400:
        raise Invalid(f"The LMS refused {what} (HTTP {response.status_code}).")
    try:
        data = response.json()
    except ValueError as exc:
        raise Invalid(f"The LMS's {what} is not JSON.") from exc
    if not isinstance(data, dict):
        raise Invalid(f"The LMS's {what} is not a JSON object.")
    return data


def register(*, token: str, openid_configuration: str, registration_token: str, base_url: str) -> Platform:
    """Register the LMS that opened the registration link (see the module's docstring)."""
    district = _district(token)
    config_url = check_url(openid_configuration, "openid_configuration")
    auth = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    try:
        config = _json(requests.get(config_url, headers=auth, timeout=10), "configuration")
        issuer = str(config.get("issuer") or "")
        if not issuer or not config_url.startswith(issuer.rstrip("/")):
            raise Invalid(_("The LMS's configuration names an issuer other than its own address."))
        endpoint = check_url(str(config.get("registration_endpoint") or ""), "registration_endpoint")
        answer = _json(
            requests.post(endpoint, json=_tool_configuration(base_url), headers=auth, timeout=10),
            "registration",
        )
    except requests.RequestException as exc:
        raise Invalid(_("Cairn could not reach the LMS to register.")) from exc
    deployment_id = str((answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id") or "")
    if not answer.get("client_id") or not deployment_id:
        raise Invalid(
            _("The LMS gave no client id or deployment id; register it with cairn lti add-platform.")
        )
    product = (config.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code") or urlsplit(issuer).netloc
    return add_platform(
        district=district,
        name=str(product)[:255],
        issuer=issuer,
        client_id=str(answer["client_id"]),
        deployment_id=deployment_id,
        auth_url=str(config.get("authorization_endpoint") or ""),
        token_url=str(config.get("token_endpoint") or ""),
        keyset_url=str(config.get("jwks_uri") or ""),
    )
