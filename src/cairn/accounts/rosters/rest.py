"""A OneRoster REST provider read as a ``RosterSource``: 1.1 (each request signed with OAuth 1.0a
HMAC-SHA1) or 1.2 (a bearer token from OAuth 2 client credentials), every collection paged with
``limit``/``offset`` until ``X-Total-Count`` (or a short page) says it is all there, 429 and 5xx retried
with backoff (a 429's ``Retry-After`` honoured).

``pull`` reads every collection before anything is applied and raises ``PullFailed`` when one cannot be
read whole after its retries: a partial roster is never applied (the last good one stays). Demographics are
optional (a provider may not grant that scope): refused, they are left out with a note. The JSON records
become rows keyed by OneRoster's CSV column names, the shape the writer (``apply.apply_roster``) reads; in
1.2 the roles nested in each user become the ``roles`` rows.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from oauthlib import oauth1

from cairn.accounts.rosters.source import ABSENT, BULK, RosterRow

#: Collections read, in the writer's order, with their endpoint and the key of the list in the answer.
COLLECTIONS = ("orgs", "academicSessions", "courses", "classes", "users", "enrollments", "demographics")
OPTIONAL = {"demographics"}
SCOPE_12 = (
    "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly "
    "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly"
)
MAX_BODY = 50 * 1024 * 1024  # one page; a provider's page of 1,000 users is well under 1 MB
MAX_RECORDS = 5_000_000  # per collection: a provider that ignores offset must not page forever


class PullFailed(Exception):
    """A collection could not be read whole (after retries): nothing may be applied."""


@dataclass
class Settings:
    """How the client talks to one provider (from ``RosterProvider``; tests shorten the waits)."""

    base_url: str
    version: str
    client_id: str
    client_secret: str
    token_url: str = ""
    page_size: int = 1000
    retries: int = 4
    backoff_s: float = 1.0
    max_wait_s: float = 60.0
    timeout_s: float = 30.0
    sleep: Callable[[float], None] = time.sleep


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Client:
    """GETs against the provider, authorised for its version, retried, paged."""

    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self._token = ""

    def collection(self, name: str) -> Iterator[dict[str, Any]]:
        """Every record of ``name``, page after page."""
        offset = 0
        while True:
            url = self._url(name, {"limit": self.s.page_size, "offset": offset})
            answer = self._get(url)
            if answer.status != 200:
                raise PullFailed(f"{name}: the provider answered {answer.status} at offset {offset}")
            try:
                records = json.loads(answer.body)[name]
            except (ValueError, KeyError, TypeError) as exc:
                raise PullFailed(f"{name}: not a OneRoster {name} answer at offset {offset}") from exc
            if not isinstance(records, list):
                raise PullFailed(f"{name}: '{name}' is not a list at offset {offset}")
            yield from (r for r in records if isinstance(r, dict))
            offset += len(records)
            if offset > MAX_RECORDS:
                raise PullFailed(f"{name}: over {MAX_RECORDS} records (is offset ignored?)")
            total = answer.headers.get("x-total-count", "")
            if not records or (total.isdigit() and offset >= int(total)):
                return
            if not total.isdigit() and len(records) < self.s.page_size and "next" not in _links(answer):
                return

    def _url(self, name: str, query: dict[str, Any]) -> str:
        return f"{self.s.base_url.rstrip('/')}/{name}?{urllib.parse.urlencode(query)}"

    def _get(self, url: str) -> _Answer:
        """One GET with retries on 429, 5xx and a dropped connection; a 401 in 1.2 gets a new token once."""
        renewed = False
        for attempt in range(self.s.retries + 1):
            answer = self._send(url)
            if answer.status == 401 and self.s.version == "1.2" and not renewed:
                self._token, renewed = "", True
                continue
            if answer.status != 429 and answer.status < 500:
                return answer
            if attempt < self.s.retries:
                self.s.sleep(self._wait(answer, attempt))
        return answer

    def _wait(self, answer: _Answer, attempt: int) -> float:
        after = answer.headers.get("retry-after", "")
        if after.isdigit():
            return min(float(after), self.s.max_wait_s)
        return min(self.s.backoff_s * 2**attempt, self.s.max_wait_s)

    def _send(self, url: str) -> _Answer:
        headers = {"Accept": "application/json", **self._authorisation(url)}
        request = urllib.request.Request(url, headers=headers, method="GET")
        return _open(request, self.s.timeout_s)

    def _authorisation(self, url: str) -> dict[str, str]:
        if self.s.version == "1.1":
            signer = oauth1.Client(
                self.s.client_id, client_secret=self.s.client_secret, signature_method=oauth1.SIGNATURE_HMAC
            )
            _, headers, _ = signer.sign(url, http_method="GET")
            return {"Authorization": headers["Authorization"]}
        if not self._token:
            self._token = self._fetch_token()
        return {"Authorization": f"Bearer {self._token}"}

    def _fetch_token(self) -> str:
        """OAuth 2 client credentials (RFC 6749 4.4): the client's id and secret as HTTP Basic."""
        if not self.s.token_url:
            raise PullFailed("OneRoster 1.2 needs the provider's token URL")
        quote = urllib.parse.quote  # RFC 6749 2.3.1: each form-encoded before the pair is joined
        pair = f"{quote(self.s.client_id, safe='')}:{quote(self.s.client_secret, safe='')}"
        body = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": SCOPE_12}).encode()
        request = urllib.request.Request(
            self.s.token_url,
            data=body,
            method="POST",
            headers={
                "Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        for attempt in range(self.s.retries + 1):
            answer = _open(request, self.s.timeout_s)
            if answer.status != 429 and answer.status < 500:
                break
            if attempt < self.s.retries:
                self.s.sleep(self._wait(answer, attempt))
        try:
            token = json.loads(answer.body)["access_token"] if answer.status == 200 else ""
        except (ValueError, KeyError, TypeError):
            token = ""
        if not token or not isinstance(token, str):
            raise PullFailed(f"the token endpoint answered {answer.status} without an access token")
        return token


def _open(request: urllib.request.Request, timeout: float) -> _Answer:
    """The answer, whatever its status; a connection that fails counts as a 503 (retried)."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _Answer(response.status, _lower(response.headers), response.read(MAX_BODY))
    except urllib.error.HTTPError as exc:
        return _Answer(exc.code, _lower(exc.headers), exc.read(MAX_BODY) if exc.fp else b"")
    except (urllib.error.URLError, OSError):
        return _Answer(503, {}, b"")


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()} if headers else {}


def _links(answer: _Answer) -> set[str]:
    """The rel names of a Link header (``<…>; rel="next"``)."""
    rels = set()
    for part in answer.headers.get("link", "").split(","):
        for param in part.split(";")[1:]:
            key, _, value = param.strip().partition("=")
            if key == "rel":
                rels.add(value.strip('"'))
    return rels


# ----------------------------------------------------------------------------------------- JSON → rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def _ref(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return str(value.get("sourcedId") or "") if isinstance(value, dict) else ""


def _refs(record: dict[str, Any], key: str) -> str:
    values = record.get(key) or []
    return ",".join(str(v.get("sourcedId") or "") for v in values if isinstance(v, dict))


def _common(record: dict[str, Any]) -> dict[str, str]:
    status = _text(record.get("status")).lower()
    return {
        "sourcedId": _text(record.get("sourcedId")),
        "status": "tobedeleted" if status in {"tobedeleted", "inactive"} else status,
        "dateLastModified": _text(record.get("dateLastModified")),
    }


def _fields(record: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    return {name: _text(record.get(name)) for name in names}


def org_row(r: dict[str, Any]) -> dict[str, str]:
    return {**_common(r), **_fields(r, ("name", "type", "identifier")), "parentSourcedId": _ref(r, "parent")}


def session_row(r: dict[str, Any]) -> dict[str, str]:
    row = {**_common(r), **_fields(r, ("title", "type", "startDate", "endDate", "schoolYear"))}
    return {**row, "parentSourcedId": _ref(r, "parent")}


def course_row(r: dict[str, Any]) -> dict[str, str]:
    row = {**_common(r), **_fields(r, ("title", "courseCode", "grades", "subjects"))}
    return {**row, "orgSourcedId": _ref(r, "org"), "schoolYearSourcedId": _ref(r, "schoolYear")}


def class_row(r: dict[str, Any]) -> dict[str, str]:
    row = {**_common(r), **_fields(r, ("title", "classCode", "classType", "location", "grades", "subjects"))}
    return {
        **row,
        "courseSourcedId": _ref(r, "course"),
        "schoolSourcedId": _ref(r, "school"),
        "termSourcedIds": _refs(r, "terms"),
    }


def user_row(r: dict[str, Any], version: str) -> dict[str, str]:
    names = ("enabledUser", "username", "givenName", "familyName", "middleName", "email", "grades")
    row = {**_common(r), **_fields(r, names), "agentSourcedIds": _refs(r, "agents")}
    row["preferredGivenName"] = _text(r.get("preferredFirstName") or r.get("preferredGivenName"))
    given = r.get("metadata")
    metadata: dict[str, Any] = given if isinstance(given, dict) else {}
    language = r.get("preferredLanguage") or metadata.get("language") or metadata.get("preferredLanguage")
    if language:  # read by cairn.accounts.rosters.people like a CSV's column
        row["preferredLanguage"] = _text(language)
    if version == "1.1":
        return {**row, "role": _text(r.get("role")), "orgSourcedIds": _refs(r, "orgs")}
    return {**row, "primaryOrgSourcedId": _ref(r, "primaryOrg")}


def role_rows(r: dict[str, Any]) -> list[dict[str, str]]:
    """1.2: the roles nested in a user, as roles.csv rows."""
    out = []
    for n, role in enumerate(r.get("roles") or []):
        if not isinstance(role, dict):
            continue
        fields = _fields(role, ("roleType", "role", "beginDate", "endDate"))
        out.append(
            {
                "sourcedId": f"{_text(r.get('sourcedId'))}-role-{n}",
                "status": _common(r)["status"],
                "userSourcedId": _text(r.get("sourcedId")),
                "orgSourcedId": _ref(role, "org"),
                **fields,
            }
        )
    return out


def enrollment_row(r: dict[str, Any]) -> dict[str, str]:
    row = {**_common(r), **_fields(r, ("role", "primary", "beginDate", "endDate"))}
    return {
        **row,
        "classSourcedId": _ref(r, "class"),
        "schoolSourcedId": _ref(r, "school"),
        "userSourcedId": _ref(r, "user"),
    }


def demographics_row(r: dict[str, Any]) -> dict[str, str]:
    return _common(r)


_CONVERT: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    "orgs": org_row,
    "academicSessions": session_row,
    "courses": course_row,
    "classes": class_row,
    "enrollments": enrollment_row,
    "demographics": demographics_row,
}


# ----------------------------------------------------------------------------------------- the source


@dataclass
class RestRoster:
    """A whole pulled roster, held until it is applied (it implements ``RosterSource``)."""

    name: str
    version: str
    collected: dict[str, list[RosterRow]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def mode(self, entity: str) -> str:
        return BULK if entity in self.collected else ABSENT

    def rows(self, entity: str) -> Iterator[RosterRow]:
        return iter(self.collected.get(entity, []))

    def total(self, entity: str) -> int | None:
        return len(self.collected[entity]) if entity in self.collected else None


def pull(settings: Settings) -> RestRoster:
    """Read every collection whole, or raise ``PullFailed`` (nothing is returned to apply)."""
    client = Client(settings)
    roster = RestRoster(name=f"sync {settings.base_url}", version=settings.version)
    for name in COLLECTIONS:
        try:
            records = list(client.collection(name))
        except PullFailed as failed:
            if name in OPTIONAL:
                roster.notes.append(f"{name}: not read ({failed}); it is optional")
                continue
            raise
        _collect(roster, name, records)
    return roster


def _collect(roster: RestRoster, name: str, records: list[dict[str, Any]]) -> None:
    if name == "users":
        roster.collected["users"] = [
            RosterRow("users", n, user_row(r, roster.version)) for n, r in enumerate(records, 1)
        ]
        if roster.version == "1.2":
            roles = [row for r in records for row in role_rows(r)]
            roster.collected["roles"] = [RosterRow("roles", n, row) for n, row in enumerate(roles, 1)]
        return
    convert = _CONVERT[name]
    roster.collected[name] = [RosterRow(name, n, convert(r)) for n, r in enumerate(records, 1)]
