"""API tokens expire, are listed and revoked by their owner (page and command), and die with the password."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from cairn.accounts import services
from cairn.accounts.models import ApiToken
from tests.conftest import PASSWORD, World, client_for

pytestmark = pytest.mark.django_db


def _api(token: str) -> Client:
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})


def _works(token: str, world: World) -> bool:
    return _api(token).get(f"/api/v1/students/{world.student.pk}").status_code == 200


def test_a_token_expires_after_90_days_by_default(world: World) -> None:
    token = services.create_api_token(world.teacher, "gradebook sync")
    row = ApiToken.objects.get(user=world.teacher)
    assert abs(row.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    assert _works(token, world)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _api(token).get(f"/api/v1/students/{world.student.pk}").status_code == 401


def test_a_token_life_is_bounded(world: World) -> None:
    from cairn.core.errors import Invalid

    with pytest.raises(Invalid):
        services.create_api_token(world.teacher, "forever", days=10_000)


def test_the_owner_lists_and_revokes_tokens_on_a_page(world: World) -> None:
    keep = services.create_api_token(world.teacher, "laptop")
    drop = services.create_api_token(world.teacher, "old script")
    services.create_api_token(world.colleague, "colleague's")
    client = client_for(world.teacher, csrf_checks=True)
    page = client.get("/account/tokens/")
    assert page.status_code == 200
    assert b"laptop" in page.content and b"old script" in page.content
    assert b"colleague&#x27;s" not in page.content
    dropped = ApiToken.objects.get(user=world.teacher, name="old script")
    # Without the CSRF token the revoke is refused.
    assert client.post(f"/account/tokens/{dropped.pk}/revoke/").status_code == 403
    client.get("/account/tokens/")
    response = client.post(
        f"/account/tokens/{dropped.pk}/revoke/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert response.status_code == 302
    assert not _works(drop, world)
    assert _works(keep, world)
    assert b"revoked" in client.get("/account/tokens/").content


def test_nobody_revokes_someone_elses_token(world: World) -> None:
    theirs = services.create_api_token(world.colleague, "theirs")
    row = ApiToken.objects.get(user=world.colleague)
    client_for(world.teacher).post(f"/account/tokens/{row.pk}/revoke/")
    assert _api(theirs).get(f"/api/v1/students/{world.schoolmate.pk}").status_code == 200
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


def test_revoke_command_by_name_and_all(world: World) -> None:
    ci = services.create_api_token(world.teacher, "ci")
    sync = services.create_api_token(world.teacher, "sync")
    out = StringIO()
    call_command("revoke_api_tokens", world.teacher.username, "--name", "ci", stdout=out)
    assert "Revoked 1 token" in out.getvalue()
    assert not _works(ci, world) and _works(sync, world)
    call_command("revoke_api_tokens", world.teacher.username, "--all", stdout=StringIO())
    assert not _works(sync, world)
    with pytest.raises(CommandError, match="nothing was revoked"):
        call_command("revoke_api_tokens", world.teacher.username, "--all", stdout=StringIO())
    with pytest.raises(CommandError, match="No person"):
        call_command("revoke_api_tokens", "nobody", "--all", stdout=StringIO())


def test_changing_the_password_revokes_every_token(world: World) -> None:
    token = services.create_api_token(world.teacher, "laptop")
    client = client_for(world.teacher)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/password/done/"
    assert not _works(token, world)
    # The person stays signed in with the new password, and it is the one that works now.
    assert client.get("/teacher/").status_code == 200
    world.teacher.refresh_from_db()
    assert world.teacher.check_password("a-new-long-passphrase")


def test_a_wrong_old_password_changes_nothing(world: World) -> None:
    token = services.create_api_token(world.teacher, "laptop")
    response = client_for(world.teacher).post(
        "/account/password/",
        {
            "old_password": "not it",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 200
    assert _works(token, world)
