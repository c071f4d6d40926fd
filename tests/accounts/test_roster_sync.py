"""The nightly roster sync against a fake OneRoster REST provider on loopback (the 1.2 rostering API's JSON
shapes, an OAuth 2 token endpoint, paging with limit/offset and X-Total-Count, a 429 then success, a 500
forever), and a 1.1 provider that checks each request's OAuth 1.0a signature. Never the internet."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.management import call_command
from oauthlib.oauth1.rfc5849 import signature

from cairn.accounts.models import District, Enrolment, RosterImport, RosterProvider, User
from cairn.accounts.rosters import rest, sync

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
CLIENT_ID, SECRET, TOKEN = "cairn-sync", "s3cret/with+odd=chars", "tok-42"


def _ref(sid: str, kind: str) -> dict[str, str]:
    return {"href": f"/{kind}s/{sid}", "sourcedId": sid, "type": kind}


def _user(sid: str, role: str, given: str, *, agents: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "sourcedId": sid,
        "status": "active",
        "dateLastModified": "2026-09-01T00:00:00.000Z",
        "enabledUser": True,
        "username": sid,
        "givenName": given,
        "familyName": "Rest",
        "email": "",
        "grades": ["04"] if role == "student" else [],
        "agents": [_ref(a, "user") for a in agents],
        "primaryOrg": _ref("s1", "org"),
        "roles": [{"roleType": "primary", "role": role, "org": _ref("s1", "org")}],
    }


def _enrol(sid: str, user: str, role: str) -> dict[str, Any]:
    return {
        "sourcedId": sid,
        "status": "active",
        "role": role,
        "primary": False,
        "class": _ref("k1", "class"),
        "school": _ref("s1", "org"),
        "user": _ref(user, "user"),
    }


def roster_json() -> dict[str, list[dict[str, Any]]]:
    """A district, a school, a term, a course and its class, a teacher and five students, enrolments."""
    start, end = (TODAY - dt.timedelta(days=30)).isoformat(), (TODAY + dt.timedelta(days=200)).isoformat()
    students = [f"u-s{n}" for n in range(1, 6)]
    return {
        "orgs": [
            {"sourcedId": "d1", "status": "active", "name": "Lakeside", "type": "district"},
            {
                "sourcedId": "s1",
                "status": "active",
                "name": "North",
                "type": "school",
                "identifier": "N1",
                "parent": _ref("d1", "org"),
            },
        ],
        "academicSessions": [
            {
                "sourcedId": "t1",
                "status": "active",
                "title": "Year",
                "type": "schoolYear",
                "startDate": start,
                "endDate": end,
                "schoolYear": "2027",
            },
        ],
        "courses": [
            {
                "sourcedId": "c1",
                "status": "active",
                "title": "Math 4",
                "courseCode": "M4",
                "grades": ["04"],
                "subjects": ["Math"],
                "org": _ref("s1", "org"),
                "schoolYear": _ref("t1", "academicSession"),
            },
        ],
        "classes": [
            {
                "sourcedId": "k1",
                "status": "active",
                "title": "Math 4A",
                "classCode": "M4A",
                "grades": ["04"],
                "course": _ref("c1", "course"),
                "school": _ref("s1", "org"),
                "terms": [_ref("t1", "academicSession")],
            },
        ],
        "users": [_user("u-t1", "teacher", "Tess")] + [_user(s, "student", s[-2:]) for s in students],
        "enrollments": [_enrol("e-t1", "u-t1", "teacher")]
        + [_enrol(f"e-{s}", s, "student") for s in students],
    }


@dataclass
class Fake:
    """What the fake provider serves and what it saw."""

    version: str = "1.2"
    data: dict[str, list[dict[str, Any]]] = field(default_factory=roster_json)
    fail_first: dict[str, list[int]] = field(default_factory=dict)  # collection -> statuses served first
    fail_always: dict[str, int] = field(default_factory=dict)
    tokens_issued: int = 0
    seen: list[tuple[str, int]] = field(default_factory=list)  # (collection, offset) served
    bad_signatures: int = 0


def _verify_oauth1(uri: str, authorization: str) -> bool:
    """Recompute the HMAC-SHA1 signature from the request, as a OneRoster 1.1 provider does."""
    headers = {"Authorization": authorization}
    given = dict(signature.collect_parameters(headers=headers, exclude_oauth_signature=False))
    params = signature.collect_parameters(uri_query=urlsplit(uri).query, headers=headers)
    base = signature.signature_base_string(
        "GET", signature.base_string_uri(uri), signature.normalize_parameters(params)
    )
    ok_client = given.get("oauth_consumer_key") == CLIENT_ID
    client = SimpleNamespace(client_secret=SECRET, resource_owner_secret="")
    expected = signature.sign_hmac_sha1_with_client(base, client)
    return ok_client and hmac.compare_digest(expected, given["oauth_signature"])


def _handler(fake: Fake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(raw)

        def do_POST(self) -> None:
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            if self.path != "/token" or form.get("grant_type") != ["client_credentials"]:
                return self._answer(400, {"error": "unsupported_grant_type"})
            scheme, _, encoded = self.headers.get("Authorization", "").partition(" ")
            given = base64.b64decode(encoded).decode().split(":") if scheme == "Basic" else []
            if [unquote(part) for part in given] != [CLIENT_ID, SECRET]:  # RFC 6749 2.3.1: form-encoded
                return self._answer(401, {"error": "invalid_client"})
            fake.tokens_issued += 1
            return self._answer(200, {"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600})

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            name = parts.path.rsplit("/", 1)[-1]
            if not self._authorised():
                return self._answer(401, {"imsx_codeMajor": "failure"})
            if fake.fail_first.get(name):
                status = fake.fail_first[name].pop(0)
                return self._answer(status, {}, {"Retry-After": "0"} if status == 429 else {})
            if name in fake.fail_always:
                return self._answer(fake.fail_always[name], {})
            if name not in fake.data:
                return self._answer(404, {"imsx_codeMajor": "failure"})
            query = parse_qs(parts.query)
            limit, offset = int(query["limit"][0]), int(query["offset"][0])
            fake.seen.append((name, offset))
            records = fake.data[name]
            page = {name: records[offset : offset + limit]}
            return self._answer(200, page, {"X-Total-Count": str(len(records))})

        def _authorised(self) -> bool:
            auth = self.headers.get("Authorization", "")
            if fake.version == "1.2":
                return auth == f"Bearer {TOKEN}"
            uri = f"http://{self.headers['Host']}{self.path}"
            ok = auth.startswith("OAuth ") and _verify_oauth1(uri, auth)
            fake.bad_signatures += 0 if ok else 1
            return ok

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@pytest.fixture
def fake() -> Iterator[tuple[Fake, str]]:
    state = Fake()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _provider(host: str, version: str = "1.2", secret: str = SECRET) -> RosterProvider:
    district = District.objects.create(name="Lakeside", slug="lakeside")
    path = "/ims/oneroster/rostering/v1p2" if version == "1.2" else "/ims/oneroster/v1p1"
    return RosterProvider.objects.create(
        district=district,
        base_url=host + path,
        version=version,
        client_id=CLIENT_ID,
        client_secret=secret,
        token_url=host + "/token" if version == "1.2" else "",
    )


def _quick(sleeps: list[float]) -> Any:
    def make(provider: RosterProvider) -> rest.Settings:
        return sync.settings_for(provider, page_size=2, backoff_s=0.5, sleep=sleeps.append)

    return make


def test_a_1_2_sync_pages_retries_a_429_and_applies_the_roster(fake: tuple[Fake, str]) -> None:
    state, host = fake
    provider = _provider(host)
    state.fail_first = {"users": [429]}
    sleeps: list[float] = []
    report = sync.sync_provider(provider, make_settings=_quick(sleeps))
    assert not report.refused, report.reason
    assert state.tokens_issued == 1
    assert [o for n, o in state.seen if n == "users"] == [0, 2, 4]  # 6 users, 2 a page
    assert sleeps == [0.0]  # the 429's Retry-After
    assert User.objects.filter(sourced_id__startswith="u-s").count() == 5
    assert Enrolment.objects.filter(section__sourced_id="k1").count() == 6
    provider.refresh_from_db()
    assert provider.last_success_at is not None
    assert provider.last_error == ""
    assert RosterImport.objects.get().status == RosterImport.Status.DONE
    assert any("demographics" in note for note in report.notes)  # optional, not served here


def test_a_pull_failing_after_its_retries_applies_nothing(fake: tuple[Fake, str]) -> None:
    state, host = fake
    provider = _provider(host)
    assert not sync.sync_provider(provider, make_settings=_quick([])).refused
    first_success = RosterProvider.objects.get().last_success_at
    state.data["users"].append(_user("u-s9", "student", "New"))
    state.data["users"][1]["givenName"] = "Renamed"
    state.fail_always = {"enrollments": 500}
    sleeps: list[float] = []
    report = sync.sync_provider(provider, make_settings=_quick(sleeps))
    assert report.refused
    assert "partial pull, nothing applied" in report.reason
    assert "enrollments: the provider answered 500" in report.reason
    assert sleeps == [0.5, 1.0, 2.0, 4.0]  # backoff, then given up
    assert not User.objects.filter(sourced_id="u-s9").exists()  # the last good roster stays
    assert not User.objects.filter(first_name="Renamed").exists()
    provider.refresh_from_db()
    assert provider.last_success_at == first_success
    assert "500" in provider.last_error
    assert RosterImport.objects.order_by("-pk").first().status == RosterImport.Status.FAILED  # type: ignore[union-attr]


def test_a_1_1_provider_checks_every_signature(fake: tuple[Fake, str]) -> None:
    state, host = fake
    state.version = "1.1"
    for user in state.data["users"]:  # 1.1 users carry their role and orgs
        user["role"] = user.pop("roles")[0]["role"]
        user["orgs"] = [user.pop("primaryOrg")]
    provider = _provider(host, version="1.1")
    report = sync.sync_provider(provider, make_settings=_quick([]))
    assert not report.refused, report.reason
    assert state.bad_signatures == 0
    assert User.objects.filter(sourced_id="u-t1").exists()
    provider.client_secret = "wrong"
    provider.save()
    refused = sync.sync_provider(provider, make_settings=_quick([]))
    assert refused.refused
    assert "orgs: the provider answered 401" in refused.reason
    assert state.bad_signatures > 0


def test_the_command_prints_the_json_last_line(fake: tuple[Fake, str]) -> None:
    state, host = fake
    _provider(host)
    state.fail_first = {"orgs": [429]}
    out = io.StringIO()
    call_command("sync_roster", "--district", "lakeside", "--dry-run", stdout=out)
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert last["refused"] is False
    assert last["users"]["created"] == 6
    assert not User.objects.filter(sourced_id__startswith="u-").exists()  # a dry run
