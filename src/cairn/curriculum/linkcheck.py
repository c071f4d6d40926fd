"""Probe one external URL: HEAD first, GET when a server refuses HEAD; redirects followed by hand, at most 5.

A teacher saves the URL and Cairn fetches it from inside the school's network, so the probe must not become
a way to reach that network (server-side request forgery). Every hop's host is resolved and refused unless
all its addresses are public (not private, loopback, link-local, multicast, reserved or unspecified), and the
connection goes to the address that was checked, so a DNS answer cannot change between check and use.
Redirects are followed one at a time, at most ``MAX_REDIRECTS``, each checked the same way.
``LINKCHECK_ALLOW_LOOPBACK`` (off; tests only) lets loopback through so tests can use a local server.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

USER_AGENT = "CairnLinkCheck/1.0 (+https://github.com/cairn-learning/cairn)"
# Servers that refuse or mishandle HEAD answer these; a GET then tells the truth.
RETRY_WITH_GET = {400, 403, 405, 501}
MAX_REDIRECTS = 5
REFUSED = "refused: not a public address"


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    status: int | None
    final_url: str
    error: str
    elapsed_ms: int


class Refused(OSError):
    """The URL leads somewhere the checker must not go (a non-public address, a bad redirect)."""


def public_address(host: str, port: int) -> str:
    """The first address ``host`` resolves to, refusing the host if any of its addresses is not public."""
    allow_loopback = bool(getattr(settings, "LINKCHECK_ALLOW_LOOPBACK", False))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError("host not found") from exc
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not (ip.is_global and not ip.is_multicast) and not (allow_loopback and ip.is_loopback):
            raise Refused(REFUSED)
    if not addresses:
        raise OSError("host not found")
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with the certificate still verified for the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    """One request, no redirect followed: the status and the Location (absolute) or ""."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Refused("not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = public_address(parts.hostname, port)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPS(parts.hostname, port, address, timeout)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Host": parts.netloc.rsplit("@", 1)[-1]}
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        if method == "GET":
            response.read(1024)
        location = response.getheader("Location") or ""
        return response.status, urljoin(url, location) if location else ""
    finally:
        connection.close()


def _follow(url: str, method: str, timeout: float) -> tuple[int, str]:
    """Request ``url``, following up to MAX_REDIRECTS redirects, each hop checked again."""
    for _ in range(MAX_REDIRECTS + 1):
        status, location = _request(url, method, timeout)
        if not (300 <= status < 400 and location):
            return status, url
        url = location
    raise RedirectError("redirect loop or too many redirects")


class RedirectError(OSError):
    pass


def probe(url: str, timeout: float = 10.0) -> LinkResult:
    start = time.monotonic()

    def done(ok: bool, status: int | None, final: str, error: str = "") -> LinkResult:
        return LinkResult(ok, status, final, error, int((time.monotonic() - start) * 1000))

    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return done(False, None, url, "not an http(s) URL")
    try:
        status, final = _follow(url, "HEAD", timeout)
        if status in RETRY_WITH_GET:
            status, final = _follow(url, "GET", timeout)
    except TimeoutError:
        return done(False, None, url, f"timed out after {timeout:g} s")
    except (Refused, RedirectError) as exc:
        return done(False, None, url, str(exc))
    except (OSError, ValueError, http.client.HTTPException):
        return done(False, None, url, "unreachable")
    return done(200 <= status < 400, status, final, "" if status < 400 else f"HTTP {status}")
