"""Link health against a real HTTP server on loopback: working, missing, failing, redirected, looping, slow
and HEAD-refusing links; the task records each check, flags content broken only when a second probe fails
too, takes it off students' boards and tells its owner and the teachers who used it, once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

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
    seen: dict[str, int] = {}  # requests per path, for "/flaky" (fails the first time only)

    def _answer(self, with_body: bool) -> None:
        path = self.path
        Handler.seen[path] = Handler.seen.get(path, 0) + 1
        if path == "/flaky":
            path = "/boom" if Handler.seen[path] == 1 else "/ok"
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
            "/to-metadata": (302, "http://169.254.169.254/latest/meta-data/"),
            "/to-private": (307, "http://10.1.2.3/"),
        }.get(path, (404, ""))
        if path.startswith("/chain/"):
            hops = int(path.rsplit("/", 1)[1])
            code, location = (302, f"/chain/{hops - 1}") if hops else (200, "")
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
def server(settings: Any) -> Iterator[str]:
    settings.LINKCHECK_ALLOW_LOOPBACK = True  # the test server is on loopback, which the checker refuses
    settings.LINKCHECK_RETRY_AFTER_S = 0  # the second probe of a failed link at once
    Handler.seen = {}
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
    assert refused.error == "unreachable"
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
    assert LinkCheck.objects.filter(content=gone).count() == 2  # failed once: probed again before "broken"
    check = LinkCheck.objects.filter(content=gone).first()
    assert check is not None
    assert (check.status_code, check.ok, check.error) == (404, False, "HTTP 404")
    notices = sorted(ContentNotice.objects.filter(recipient=world.teacher).values_list("message", flat=True))
    assert notices == [  # only "broken": never what the server answered
        f"The link of “Gone” is broken: {server}/gone",
        f"The link of “Slow” is broken: {server}/slow",
    ]
    assert not ContentNotice.objects.exclude(recipient=world.teacher).exists()

    # A second night: still broken, checked again (once: it failed before), but the owner is not told twice.
    check_links(timeout=TIMEOUT)
    assert LinkCheck.objects.filter(content=gone).count() == 3
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


# ------------------------------------------------------------------- no probing the school's own network


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://[::1]:9/",
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
        "http://240.0.0.1/",  # reserved
        "http://100.64.0.1/",  # carrier-grade NAT: shared, not public
        "http://[::ffff:10.0.0.1]/",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused_without_a_request(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("the checker tried to connect")

    monkeypatch.setattr("socket.create_connection", no_connection)
    monkeypatch.setattr("socket.socket.connect", no_connection)
    result = probe(url, timeout=TIMEOUT)
    assert (result.ok, result.status, result.error) == (False, None, "refused: not a public address")


def test_a_redirect_to_a_private_address_is_refused(server: str, settings: Any) -> None:
    # A public page that redirects inward: the loopback server stands for it, the hop is checked again.
    assert probe(f"{server}/to-metadata", timeout=TIMEOUT).error == "refused: not a public address"
    assert probe(f"{server}/to-private", timeout=TIMEOUT).error == "refused: not a public address"
    settings.LINKCHECK_ALLOW_LOOPBACK = False
    assert probe(f"{server}/ok", timeout=TIMEOUT).error == "refused: not a public address"


def test_redirects_are_capped(server: str) -> None:
    assert probe(f"{server}/chain/3", timeout=TIMEOUT).ok  # three hops: fine
    too_many = probe(f"{server}/chain/9", timeout=TIMEOUT)
    assert (too_many.ok, too_many.error) == (False, "redirect loop or too many redirects")


@pytest.mark.django_db
def test_one_failure_is_only_suspect_and_a_broken_link_leaves_every_board(world: World, server: str) -> None:
    from cairn.curriculum.access import content_for_student
    from cairn.learning.models import ActivityChoice

    def library(title: str, path: str) -> Content:
        content, _ = upsert_library_content(
            f"t:{title}",
            competencies=[],
            title=title,
            kind="video",
            url=f"{server}{path}",
            owner=world.colleague,
        )
        return content

    flaky, dead = library("Flaky", "/flaky"), library("Dead", "/boom")
    ActivityChoice.objects.create(
        student=world.student, offered=[], chosen=f"content:{dead.pk}", chosen_kind="video"
    )
    everyone = (world.student, world.schoolmate, world.stranger)
    assert all(content_for_student(s).filter(pk=dead.pk).exists() for s in everyone)

    assert check_links(timeout=TIMEOUT) == {"checked": 2, "ok": 1, "broken": 1}
    flaky.refresh_from_db()
    assert flaky.link_status == Content.LinkStatus.OK  # one failure, then working: never broken, nobody told
    assert [c.ok for c in LinkCheck.objects.filter(content=flaky).order_by("pk")] == [False, True]
    assert not ContentNotice.objects.filter(content=flaky).exists()
    # Broken: off the board of every section, and its owner and the teacher whose student used it are told.
    assert not any(content_for_student(s).filter(pk=dead.pk).exists() for s in everyone)
    told = set(ContentNotice.objects.filter(content=dead).values_list("recipient__username", flat=True))
    assert told == {"carl_colleague", "tess_teacher"}

    # Fixed: the next check finds it working and it is back on the boards.
    Content.objects.filter(pk=dead.pk).update(url=f"{server}/ok")
    check_links([dead.pk], timeout=TIMEOUT)
    assert all(content_for_student(s).filter(pk=dead.pk).exists() for s in everyone)
