"""Probe one external URL: HEAD first, GET when a server refuses HEAD; redirects followed, final URL kept."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

USER_AGENT = "CairnLinkCheck/1.0 (+https://github.com/cairn-learning/cairn)"
# Servers that refuse or mishandle HEAD answer these; a GET then tells the truth.
RETRY_WITH_GET = {400, 403, 405, 501}


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    status: int | None
    final_url: str
    error: str
    elapsed_ms: int


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return int(response.status), str(response.geturl())
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            # urllib raises a redirect status only once it gives up following: a loop or too many hops.
            raise RedirectError(f"redirect loop or too many redirects (HTTP {exc.code})") from exc
        return int(exc.code), str(exc.url or url)


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
        status, final = _request(url, "HEAD", timeout)
        if status in RETRY_WITH_GET:
            status, final = _request(url, "GET", timeout)
    except TimeoutError:
        return done(False, None, url, f"timed out after {timeout:g} s")
    except RedirectError as exc:
        return done(False, None, url, str(exc))
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return done(False, None, url, f"timed out after {timeout:g} s")
        return done(False, None, url, f"unreachable: {reason}")
    except (OSError, ValueError) as exc:
        return done(False, None, url, f"unreachable: {exc}")
    return done(200 <= status < 400, status, final, "" if status < 400 else f"HTTP {status}")
