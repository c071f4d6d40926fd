"""The weekly digest over a real SMTP server on loopback: one email per guardian in their language, a
signed link that opens the child's page without a password (and no longer once expired), one-click
opt-out, one digest per guardian and week."""

from __future__ import annotations

import datetime as dt
import re
import time
from email.message import Message

import pytest
from django.core import signing
from django.test import Client, override_settings

from cairn.accounts import services as accounts
from cairn.accounts.models import Role
from cairn.families import links, tasks
from cairn.families.models import DigestPreference, DigestSent
from tests.conftest import World
from tests.families.conftest import Smtp

pytestmark = pytest.mark.django_db


def _parts(message: Message) -> tuple[str, str]:
    text = html = ""
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            if part.get_content_type() == "text/plain":
                text = payload.decode()
            elif part.get_content_type() == "text/html":
                html = payload.decode()
    return text, html


def _send(smtp: Smtp, monday: dt.date) -> int:
    with override_settings(**smtp.settings()):
        return tasks.send_weekly_digests(week=monday.isoformat(), batch_size=1)


def test_the_digest_arrives_in_the_guardians_language_and_its_link_opens_the_page(
    world: World, week: dt.date, smtp: Smtp
) -> None:
    world.guardian.email, world.guardian.language = "gloria@example.org", "es"
    world.guardian.save()
    other = accounts.create_person(
        username="gus", email="gus@example.org", first_name="Gus", last_name="Lee", role=Role.GUARDIAN
    )
    accounts.link_guardian(other, world.classmate)  # English, the classmate's week: nothing of `student`
    assert _send(smtp, week) == 2  # two batches of one guardian
    by_address = {m["To"]: m for m in smtp.inbox.messages}
    assert set(by_address) == {"gloria@example.org", "gus@example.org"}

    spanish = by_address["gloria@example.org"]
    assert spanish["Content-Language"] == "es" and "List-Unsubscribe" in spanish
    text, html = _parts(spanish)
    assert '<html lang="es">' in html
    assert "Puedo partir un entero en partes iguales" in text  # the statement in Spanish
    assert "Great focus on fractions!" in text
    assert "I can measure with a ruler" not in text  # this week's, not last week's
    assert world.classmate.first_name not in text
    english_text, _ = _parts(by_address["gus@example.org"])
    assert "Great focus" not in english_text and "I can" not in english_text

    link = re.search(r"http://[^/]+(/families/link/[^/\s]+/)", text)
    assert link
    response = Client().get(link.group(1))  # no sign-in
    assert response.status_code == 200 and response["Referrer-Policy"] == "no-referrer"
    assert "Great focus on fractions!" in response.content.decode()
    assert '<html lang="es">' in response.content.decode()

    assert _send(smtp, week) == 2 and len(smtp.inbox.messages) == 2  # idempotent per guardian and week
    assert DigestSent.objects.filter(week_start=week).count() == 2


def test_an_expired_forged_or_unlinked_link_opens_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    weeks_ago = time.time() - 15 * 86400
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: weeks_ago)
        old = links.family_token(world.guardian.pk, world.student.pk)
    assert Client().get(f"/families/link/{old}/").status_code == 404
    fresh = links.family_token(world.guardian.pk, world.student.pk)
    assert Client().get(f"/families/link/{fresh}/").status_code == 200
    assert Client().get(f"/families/link/{fresh[:-2]}xx/").status_code == 404
    other = links.family_token(world.guardian.pk, world.classmate.pk)  # signed, but not their child
    assert Client().get(f"/families/link/{other}/").status_code == 404
    optout = links.opt_out_token(world.guardian.pk)  # a token for another purpose
    assert Client().get(f"/families/link/{optout}/").status_code == 404


def test_one_click_opt_out_and_fortnightly(world: World, week: dt.date, smtp: Smtp) -> None:
    world.guardian.email = "gloria@example.org"
    world.guardian.save()
    DigestPreference.objects.create(guardian=world.guardian, frequency="fortnightly")
    _send(smtp, week - dt.timedelta(weeks=1))
    _send(smtp, week)  # fortnightly: not the week after
    assert len(smtp.inbox.messages) == 1
    unsubscribe = smtp.inbox.messages[0]["List-Unsubscribe"].strip("<>")
    path = unsubscribe.split("localhost:8000", 1)[1]
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200  # a link scanner's GET changes nothing
    assert DigestPreference.objects.get(guardian=world.guardian).frequency == "fortnightly"
    assert client.post(path).status_code == 200  # the one click (also a mail client's RFC 8058 POST)
    assert DigestPreference.objects.get(guardian=world.guardian).frequency == "never"
    _send(smtp, week + dt.timedelta(weeks=1))
    assert len(smtp.inbox.messages) == 1
