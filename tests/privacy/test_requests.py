"""A family's request, by role: a district admin of the student's district logs, approves and fulfils it;
another district's admin, a teacher and a student may not. An erasure needs a second admin; an export is
downloadable for seven days, then the nightly task deletes it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from cairn.accounts.models import Role, User
from cairn.accounts.services import create_person
from cairn.core.models import AuditEvent
from cairn.privacy.models import PrivacyRequest, RetentionPolicy
from cairn.privacy.services.retention import delete_expired_exports
from tests.conftest import PASSWORD, World, client_for
from tests.privacy.conftest import EMAIL, FIRST, LAST, History, tables_containing


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.PRIVACY_EXPORT_DIR = tmp_path / "exports"  # type: ignore[attr-defined]


def _log(client: object, username: str, kind: str = "export", requester: str = "Mother, by letter") -> object:
    data = {
        "username": username,
        "kind": kind,
        "requester": requester,
        "asked_on": dt.date.today().isoformat(),
        "next": "/privacy/",
    }
    return client.post("/privacy/requests/new/", data)  # type: ignore[attr-defined]


def test_district_admin_logs_approves_fulfils_and_downloads_an_export(history: History, world: World) -> None:
    client = client_for(world.district_admin)
    assert _log(client, world.student.username).status_code == 302
    request = PrivacyRequest.objects.get()
    assert (request.district, request.student, request.status) == (world.district, world.student, "logged")
    assert client.post(f"/privacy/requests/{request.pk}/approve/").status_code == 302
    assert client.post(f"/privacy/requests/{request.pk}/fulfil/").status_code == 302
    request.refresh_from_db()
    assert request.status == "fulfilled" and request.export_expires_at is not None
    assert request.export_expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    response = client.get(f"/privacy/requests/{request.pk}/download/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert any(name.endswith("README.txt") for name in archive.namelist())
    page = client.get("/privacy/").content.decode()
    assert "Download" in page and FIRST in page
    steps = [
        (e.action, e.detail["step"], e.student_id, e.actor_id)
        for e in AuditEvent.objects.filter(detail__has_key="step").order_by("pk")
    ]
    me, student = world.district_admin.pk, world.student.pk
    assert steps == [
        ("privacy_request", "request_logged", student, me),
        ("privacy_request", "request_approved", student, me),
        ("exported", "export", student, me),
        ("privacy_request", "request_fulfilled", student, me),
        ("exported", "export_downloaded", student, me),
    ]


def test_the_download_expires_and_the_nightly_task_deletes_it(history: History, world: World) -> None:
    client = client_for(world.district_admin)
    _log(client, world.student.username)
    request = PrivacyRequest.objects.get()
    client.post(f"/privacy/requests/{request.pk}/approve/")
    client.post(f"/privacy/requests/{request.pk}/fulfil/")
    request.refresh_from_db()
    path = Path(request.export_file)
    assert path.exists()
    PrivacyRequest.objects.filter(pk=request.pk).update(
        export_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(f"/privacy/requests/{request.pk}/download/").status_code == 409
    assert delete_expired_exports() == 1
    assert not path.exists()


def test_an_erasure_needs_a_second_admin(history: History, world: World) -> None:
    second = create_person(
        username="dan_second",
        first_name="Dan",
        last_name="Second",
        role=Role.DISTRICT_ADMIN,
        district=world.district,
        password=PASSWORD,
    )
    first_admin = client_for(world.district_admin)
    _log(first_admin, world.student.username, kind="erasure", requester=f"Mrs {LAST}, by email {EMAIL}")
    request = PrivacyRequest.objects.get()
    assert first_admin.post(f"/privacy/requests/{request.pk}/approve/").status_code == 302  # refused, flashed
    request.refresh_from_db()
    assert request.status == "logged"
    other = client_for(second)
    other.post(f"/privacy/requests/{request.pk}/approve/")
    first_admin.post(f"/privacy/requests/{request.pk}/fulfil/")
    request.refresh_from_db()
    assert request.status == "fulfilled" and request.requester == ""
    stand_in = User.objects.get(pk=world.student.pk)
    assert stand_in.username.startswith("erased-")
    for needle in (world.student.username, FIRST, LAST, EMAIL):
        assert tables_containing(needle) == [], needle
    # A new request about the erased student is refused, naming why.
    response = _log(first_admin, world.student.username)
    assert PrivacyRequest.objects.count() == 1
    assert response.url == "/privacy/"  # type: ignore[attr-defined]
    assert "was erased" in first_admin.get("/privacy/").content.decode()


@pytest.mark.parametrize("who", ["teacher", "student", "leader"])
def test_other_roles_may_not_handle_requests(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get("/privacy/").status_code == 403
    _log(client, world.student.username)
    assert not PrivacyRequest.objects.exists()


def test_another_districts_admin_sees_neither_the_student_nor_the_request(world: World) -> None:
    south_admin = create_person(
        username="sam_south",
        first_name="Sam",
        last_name="South",
        role=Role.DISTRICT_ADMIN,
        district=world.other_district,
        password=PASSWORD,
    )
    south = client_for(south_admin)
    _log(south, world.student.username)
    assert not PrivacyRequest.objects.exists()  # not their district's student
    _log(client_for(world.district_admin), world.student.username)
    request = PrivacyRequest.objects.get()
    assert world.student.display_name not in south.get("/privacy/").content.decode()
    assert south.post(f"/privacy/requests/{request.pk}/approve/").status_code == 302
    request.refresh_from_db()
    assert request.status == "logged"
    assert south.get(f"/privacy/requests/{request.pk}/download/").status_code == 404


def test_district_admin_sets_retention_and_finds_the_page_from_home(world: World) -> None:
    client = client_for(world.district_admin)
    assert "/privacy/" in client.get("/district/").content.decode()
    client.post(f"/privacy/retention/{world.district.pk}/", {"keep_days": "200"})
    assert RetentionPolicy.objects.get(district=world.district).keep_days == 200
    client.post(f"/privacy/retention/{world.other_district.pk}/", {"keep_days": "100"})
    assert not RetentionPolicy.objects.filter(district=world.other_district).exists()
    client.post(f"/privacy/retention/{world.district.pk}/", {"keep_days": "5"})
    assert RetentionPolicy.objects.get(district=world.district).keep_days == 200
