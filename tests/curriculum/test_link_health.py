"""Link health against a real HTTP server on loopback: working, missing, failing, redirected, looping, slow
and HEAD-refusing links; the task records each check, flags broken content and tells its owner once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from cairn.curriculum.linkcheck import probe
from cairn.curriculum.models import Content, ContentNotice, LinkCheck, Status
from cairn.curriculum.services.content import (
    ContentInput,
    create_content,
    retire_content,
    upsert_library_content,
)
from cairn.curriculum.tasks import check_links
from tests.conftest import World

TIMEOUT = 0.5


class Handler(BaseHTTPRequestHandler):
    def _answer(self, with_body: bool) -> None:
        path = self.path
        if path == "/slow":
            time.sleep(TIMEOUT * 4)
        if path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        code, location = {
            "/ok": (200, ""),
            "/slow": (200, ""),
            "/no-head": (200, ""),
            "/gone": (404, ""),
            "/boom": (500, ""),
            "/moved": (301, "/ok"),
            "/loop": (302, "/loop"),
        }.get(path, (404, ""))
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        body = b"hello" if code == 200 else b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_probe_tells_working_from_broken(server: str) -> None:
    ok = probe(f"{server}/ok", timeout=TIMEOUT)
    assert (ok.ok, ok.status, ok.error) == (True, 200, "")
    moved = probe(f"{server}/moved", timeout=TIMEOUT)
    assert (moved.ok, moved.status, moved.final_url) == (True, 200, f"{server}/ok")
    no_head = probe(f"{server}/no-head", timeout=TIMEOUT)  # HEAD refused: GET tells the truth
    assert (no_head.ok, no_head.status) == (True, 200)
    gone = probe(f"{server}/gone", timeout=TIMEOUT)
    assert (gone.ok, gone.status, gone.error) == (False, 404, "HTTP 404")
    boom = probe(f"{server}/boom", timeout=TIMEOUT)
    assert (boom.ok, boom.status) == (False, 500)
    loop = probe(f"{server}/loop", timeout=TIMEOUT)
    assert not loop.ok
    assert "redirect" in loop.error
    slow = probe(f"{server}/slow", timeout=TIMEOUT)
    assert not slow.ok
    assert slow.status is None
    assert slow.error == f"timed out after {TIMEOUT:g} s"
    refused = probe("http://127.0.0.1:9/", timeout=TIMEOUT)  # the discard port: nobody listens
    assert not refused.ok
    assert refused.error.startswith("unreachable")
    assert probe("javascript:alert(1)").error == "not an http(s) URL"


@pytest.mark.django_db
def test_the_task_records_flags_and_tells_the_owner_once(world: World, server: str) -> None:
    def own(title: str, path: str) -> Content:
        return create_content(world.teacher, ContentInput(title=title, kind="video", url=f"{server}{path}"))

    working, gone, slow = own("Working", "/ok"), own("Gone", "/gone"), own("Slow", "/slow")
    retired = own("Retired", "/boom")
    retire_content(world.teacher, retired)
    upsert_library_content("t:text-only", competencies=[], title="No link", kind="reading", body="<p>x</p>")

    counts = check_links(timeout=TIMEOUT)
    assert counts == {"checked": 3, "ok": 1, "broken": 2}
    statuses = dict(Content.objects.values_list("title", "link_status"))
    assert statuses == {
        "Working": "ok",
        "Gone": "broken",
        "Slow": "broken",
        "Retired": "unchecked",
        "No link": "",
    }
    check = LinkCheck.objects.get(content=gone)
    assert (check.status_code, check.ok, check.error) == (404, False, "HTTP 404")
    notices = sorted(ContentNotice.objects.filter(recipient=world.teacher).values_list("message", flat=True))
    assert notices == [
        f"The link of “Gone” is broken (HTTP 404): {server}/gone",
        f"The link of “Slow” is broken (timed out after {TIMEOUT:g} s): {server}/slow",
    ]
    assert not ContentNotice.objects.exclude(recipient=world.teacher).exists()

    # A second night: still broken, checked again, but the owner is not told twice.
    check_links(timeout=TIMEOUT)
    assert LinkCheck.objects.filter(content=gone).count() == 2
    assert ContentNotice.objects.count() == 2

    # The owner fixes the link; the next check marks it working.
    Content.objects.filter(pk=gone.pk).update(url=f"{server}/moved")
    assert check_links([gone.pk], timeout=TIMEOUT) == {"checked": 1, "ok": 1, "broken": 0}
    gone.refresh_from_db()
    assert gone.link_status == Content.LinkStatus.OK
    assert gone.link_checked_at is not None
    assert LinkCheck.objects.filter(content=gone).first().final_url == f"{server}/ok"  # type: ignore[union-attr]
    working.refresh_from_db()
    slow.refresh_from_db()
    assert working.status == Status.DRAFT
    assert slow.link_status == Content.LinkStatus.BROKEN


@pytest.mark.django_db
def test_the_management_command_reports_counts(world: World, server: str) -> None:
    content = create_content(world.teacher, ContentInput(title="Boom", kind="video", url=f"{server}/boom"))
    out = StringIO()
    call_command("check_links", "--timeout", str(TIMEOUT), "--content", str(content.pk), stdout=out)
    assert out.getvalue().strip() == "Checked 1 link(s): 0 working, 1 broken."
    content.refresh_from_db()
    assert content.link_status == Content.LinkStatus.BROKEN
