"""A small LMS for the LTI tests, on ``lti1p3platform`` (an independent implementation of the platform side):
it starts logins at Cairn, signs launch tokens with its own key, and serves its key set over HTTP on loopback,
where Cairn fetches it as it would a real LMS's.

Use: ``lms = Lms.start()`` (a fixture does it), ``lms.register(district)``, then ``launch(client, lms, ...)``.
"""

from __future__ import annotations

import html
import json
import threading
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from django.test import Client
from django.test.client import RequestFactory
from jwcrypto.jwk import JWK
from lti1p3platform.framework.django.request import DjangoRequest
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration

from cairn.accounts.models import District
from cairn.lti import registration as tool_registration
from cairn.lti.models import Platform

TOOL = "http://testserver"
ISSUER = "https://lms.example.org"
CLIENT_ID = "cairn-client-1"
DEPLOYMENT_ID = "deployment-1"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LIS = "https://purl.imsglobal.org/spec/lti/claim/lis"

_KEYS: dict[str, JWK] = {}


def rsa_key(name: str) -> JWK:
    """One RSA key per name for the whole test run (making one takes a noticeable moment)."""
    if name not in _KEYS:
        _KEYS[name] = JWK.generate(kty="RSA", size=2048)
    return _KEYS[name]


def pem(key: JWK, private: bool) -> str:
    return key.export_to_pem(private_key=private, password=None).decode()


class _Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: t.Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        return self._registration  # type: ignore[return-value]


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, t.Any], **kwargs: t.Any) -> dict[str, t.Any]:
        return launch_data


class _KeySetHandler(BaseHTTPRequestHandler):
    """The LMS's web side: its key set, and for the browser test a course page framing Cairn and the
    authorization endpoint that answers Cairn's login with the signed launch, posted by a form."""

    lms: Lms | None = None

    def do_GET(self) -> None:
        assert self.lms is not None
        path, _, query = self.path.partition("?")
        if path == "/jwks":
            self._send("application/json", json.dumps({"keys": self.lms.registration.get_jwks()}))
        elif path == "/course":
            url = html.escape(self.lms.login_url(self.lms.browser_user))
            frame = f'<iframe title="Cairn" src="{url}" width="1000" height="700"></iframe>'
            self._send("text/html", f"<!doctype html><title>LMS course</title><h1>Math 5</h1>{frame}")
        elif path == "/auth":
            params = dict(parse_qsl(query))
            form = self.lms.launch_form(params, user_id=params["login_hint"], roles=self.lms.browser_roles)
            fields = "".join(
                f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in form.items()
            )
            action = html.escape(params["redirect_uri"])
            self._send(
                "text/html",
                f'<!doctype html><form method="post" action="{action}">{fields}</form>'
                "<script>document.forms[0].submit()</script>",
            )
        else:
            self.send_error(404)

    def _send(self, content_type: str, body: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: t.Any) -> None:
        pass


class Lms:
    """One LMS: its registration (as lti1p3platform keeps it) and its key set served on loopback."""

    def __init__(
        self,
        server: ThreadingHTTPServer,
        *,
        tool: str = TOOL,
        issuer: str = ISSUER,
        client_id: str = CLIENT_ID,
    ) -> None:
        self.server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        self.browser_user, self.browser_roles = "lms-browser-1", [LEARNER]
        key = rsa_key("platform")
        self.registration = (
            Registration()
            .set_iss(issuer)
            .set_client_id(client_id)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_oidc_login_url(f"{tool}/lti/login/")
            .set_launch_url(f"{tool}/lti/launch/")
            .set_platform_public_key(pem(key, private=False))
            .set_platform_private_key(pem(key, private=True))
        )
        server.RequestHandlerClass = type("Handler", (_KeySetHandler,), {"lms": self})

    @classmethod
    def start(cls, tool: str = TOOL) -> Lms:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _KeySetHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return cls(server, tool=tool)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def register(self, district: District) -> Platform:
        return tool_registration.add_platform(
            district=district,
            name="Test LMS",
            issuer=t.cast(str, self.registration.get_iss()),
            client_id=t.cast(str, self.registration.get_client_id()),
            deployment_id=DEPLOYMENT_ID,
            auth_url=f"{self.base}/auth",
            token_url=f"{self.base}/token",
            keyset_url=f"{self.base}/jwks",
        )

    def login_url(self, user_id: str, hint: str = "resource-1") -> str:
        login = _Login(None, _Config(registration=self.registration))
        login.set_lti_message_hint(hint=hint)
        return t.cast(str, login.initiate_login(user_id))

    def launch_form(
        self,
        auth_params: dict[str, str],
        *,
        user_id: str,
        roles: list[str],
        context_id: str | None = "course-1",
        email: str | None = None,
        lis: dict[str, str] | None = None,
        expires_in: int = 300,
        extra: dict[str, t.Any] | None = None,
    ) -> dict[str, str]:
        """The id_token and state the platform posts back, as its answer to Cairn's authorization request."""
        request = DjangoRequest(RequestFactory().get("/auth", auth_params))
        message = _Launch(request, _Config(registration=self.registration))
        message.set_user_data(user_id, roles, full_name="Sam Lee", email_address=email)
        message.set_resource_link_claim("resource-1", title="Fractions practice")
        message.set_launch_presentation_claim("iframe", return_url=f"{self.base}/courses/1/return")
        if context_id is not None:
            message.set_launch_context_claim(context_id, context_title="Math 5", context_label="M5")
        claims: dict[str, t.Any] = {"given_name": "Sam", "family_name": "Lee"}
        if lis:
            claims[LIS] = lis
        message.set_extra_claims({**claims, **(extra or {})})
        message.set_id_token_expiration(expires_in)
        form = message.lti_launch()
        return {"id_token": form["id_token"], "state": form["state"]}


def start_login(client: Client, lms: Lms, user_id: str, *, secure: bool = False) -> dict[str, str]:
    """Cairn's login initiation through its cookie check: the authorization request's parameters."""
    url = lms.login_url(user_id)
    check = client.get(url, secure=secure)
    assert check.status_code == 200 and b"Open Cairn in a new tab" in check.content
    answer = client.get(url + "&lti1p3_new_window=1", secure=secure)
    assert answer.status_code == 302, answer.content
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{lms.base}/auth"
    return dict(parse_qsl(location.query))


def launch(
    client: Client, lms: Lms, *, user_id: str, roles: list[str], secure: bool = False, **claims: t.Any
) -> t.Any:
    """A whole launch: login initiation, the platform's signed answer, the POST to Cairn's launch URL
    (``secure``: over https, where pylti1p3 also keys its state by a session cookie of its own)."""
    params = start_login(client, lms, user_id, secure=secure)
    form = lms.launch_form(params, user_id=user_id, roles=roles, **claims)
    return client.post("/lti/launch/", form, secure=secure)
