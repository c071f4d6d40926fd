"""The LMS's service side for the LTI Advantage tests, on loopback: the token endpoint, line items and scores
(AGS) and course membership (NRPS), each answered by ``lti1p3platform``'s own handlers (token checks, scopes,
the line-item container media types), over the small in-memory gradebook of :class:`Gradebook`.

It takes over the key-set server of ``tests.lti.platform.Lms``, so every URL the registration names
(``/jwks``, ``/token``) and the service URLs the launches carry are on the same loopback address.
"""

from __future__ import annotations

import json
import typing as t
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from lti1p3platform.ags import LtiAgs
from lti1p3platform.deep_linking import LtiDeepLinking
from lti1p3platform.exceptions import LtiException
from lti1p3platform.lineitem import TLineItem
from lti1p3platform.membership import Context
from lti1p3platform.nrps import LtiNrps
from lti1p3platform.request import Request, TRequest
from lti1p3platform.response import Response
from lti1p3platform.score import TScore, UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
    TPage,
)

from tests.lti.platform import Lms, _Config

COURSE = "/courses/1"
DL_REQUEST = {"https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiDeepLinkingRequest"}


@dataclass
class Gradebook:
    """What the LMS holds: its line items, the scores posted to them, the course's members."""

    lineitems: dict[str, dict[str, t.Any]] = field(default_factory=dict)
    scores: list[dict[str, t.Any]] = field(default_factory=list)
    members: list[dict[str, t.Any]] = field(default_factory=list)
    fail_scores: int = 0  # answer this many score posts with a 503 first (an LMS having a bad minute)


class _Request(Request):
    def build_metadata(self, request: t.Any) -> TRequest:
        body, url = request.body, urlsplit(request.path)
        kind = request.headers.get("Content-Type", "")
        return {
            "method": request.command,
            "form_data": dict(parse_qsl(body.decode())) if "form" in kind else {},
            "json": json.loads(body) if body and "json" in kind else None,
            "get_data": dict(parse_qsl(url.query)),
            "headers": dict(request.headers),
            "content_type": kind,
            "path": url.path,
        }


class _Ags(AssignmentsGradesService):
    book: Gradebook
    base: str

    def find_lineitems(self, page: int = 1, limit: int | None = None, **_: t.Any) -> TPage:  # type: ignore[override]
        return {"content": list(self.book.lineitems.values()), "has_next": False, "next": None}

    def find_lineitem(self, line_item_id: str) -> TLineItem:
        return t.cast(TLineItem, self.book.lineitems[line_item_id])

    def create_lineitem(self, lineitem: TLineItem) -> TLineItem:
        number = str(len(self.book.lineitems) + 1)
        created = {**lineitem, "id": f"{self.base}{COURSE}/lineitems/{number}"}
        self.book.lineitems[number] = created
        return t.cast(TLineItem, created)

    def update_lineitem(self, lineitem: TLineItem) -> TLineItem:
        return lineitem

    def delete_lineitem(self, line_item_id: str) -> None:
        self.book.lineitems.pop(line_item_id, None)

    def update_score(self, line_item_id: str, score: TScore) -> UpdateScoreStatus:
        self.book.scores.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def get_results(
        self, line_item_id: str, page: int = 1, limit: int | None = None, user_id: str | None = None
    ) -> TPage:
        return {"content": [], "has_next": False, "next": None}


class _Nrps(NamesRoleProvisioningService):
    book: Gradebook

    def get_member_data_page(self, page: int = 1, limit: int | None = None, **_: t.Any) -> TPage:  # type: ignore[override]
        return {"content": [dict(m) for m in self.book.members], "has_next": False, "next": None}

    def get_context_by_id(self) -> Context:
        return Context(id="course-1", label="M5", title="Math 5")


class Services:
    """Start with ``Services(lms)``: the LMS's URLs for launches (:meth:`ags_claims`, :meth:`dl_claims`)."""

    def __init__(self, lms: Lms, tool_jwks: dict[str, t.Any]) -> None:
        self.lms, self.book = lms, Gradebook()
        lms.registration.set_tool_key_set(tool_jwks)  # what the LMS checks Cairn's signatures with
        lms.server.RequestHandlerClass = type("Handler", (_Handler,), {"services": self})

    @property
    def lineitems_url(self) -> str:
        return f"{self.lms.base}{COURSE}/lineitems"

    @property
    def members_url(self) -> str:
        return f"{self.lms.base}{COURSE}/members"

    def ags_claims(self) -> dict[str, t.Any]:
        return {
            **LtiAgs(self.lineitems_url, allow_creating_lineitems=True).get_lti_ags_launch_claim(),
            **LtiNrps(self.members_url).get_lti_nrps_launch_claim(),
        }

    def dl_claims(self) -> dict[str, t.Any]:
        settings = LtiDeepLinking(f"{self.lms.base}{COURSE}/deep-link-return")
        return {**DL_REQUEST, **settings.get_lti_deep_linking_launch_claim(title="Add Cairn")}

    def content_items(self, jwt: str) -> list[dict[str, t.Any]]:
        """The deep-linking answer as the LMS reads it: signature checked against Cairn's key set."""
        return self.lms_config().validate_deeplinking_resp({"JWT": jwt})

    def lms_config(self) -> _Config:
        return _Config(registration=self.lms.registration)

    def answer(self, handler: _Handler) -> tuple[int, t.Any, dict[str, str]]:
        """One request to the LMS: (status, JSON body, headers)."""
        request, path = _Request(handler), urlsplit(handler.path).path
        config = self.lms_config()
        if path == "/jwks":
            return 200, config.get_jwks(), {}
        if path == "/token":
            return 200, config.get_access_token(request.form_data), {}
        if path == self.members_url.removeprefix(self.lms.base):
            nrps = _Nrps(request, config, self.members_url)
            nrps.book = self.book
            return _wrap(nrps.handle_get_members())
        ags = _Ags(request, config, self.lineitems_url)
        ags.book, ags.base = self.book, self.lms.base
        if path.endswith("/scores"):
            if self.book.fail_scores > 0:
                self.book.fail_scores -= 1
                return 503, {"error": "try later"}, {}
            return _wrap(ags.handle_update_score(path.split("/")[-2]))
        if handler.command == "POST":
            return _wrap(ags.handle_create_lineitem())
        return _wrap(ags.handle_get_lineitems())


def _wrap(response: Response) -> tuple[int, t.Any, dict[str, str]]:
    """lti1p3platform's Response as HTTP (its Django wrapper's rules: a page's content is the body)."""
    if not 200 <= response.code < 300:
        return response.code, {"error": response.message}, {}
    result = response.result
    data = result["content"] if isinstance(result, dict) and "content" in result else result
    return response.code, data, {"Content-Type": response.media_type}


class _Handler(BaseHTTPRequestHandler):
    services: Services
    body = b""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        try:
            status, data, headers = self.services.answer(self)
        except LtiException as exc:  # a bad token or assertion: the LMS says no
            status, data, headers = 401, {"error": str(exc)}, {}
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _serve

    def log_message(self, *args: t.Any) -> None:
        pass
