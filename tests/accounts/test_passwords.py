"""Password reset by email, through a real SMTP server on loopback: the mail arrives, its link works once,
and the new password revokes the person's API tokens."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.test import Client, override_settings

from cairn.accounts import services
from tests.conftest import World

pytestmark = pytest.mark.django_db


class _Inbox(MessageHandler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def handle_message(self, message: Message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port (the controller can't start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _body(message: Message) -> str:
    if isinstance(message, bytes):  # pragma: no cover - aiosmtpd hands a parsed message
        message = message_from_bytes(message)
    payload = message.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else str(message.get_payload())


def test_reset_mail_arrives_and_its_link_works_once(world: World, smtp: tuple[_Inbox, int]) -> None:
    inbox, port = smtp
    teacher = world.teacher
    teacher.email = "tess@example.org"
    teacher.save(update_fields=["email"])
    token = services.create_api_token(teacher, "laptop")
    backend = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=backend, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port):
        client = Client()
        assert client.get("/password-reset/").status_code == 200
        response = client.post("/password-reset/", {"email": "tess@example.org"})
        assert response.status_code == 302
        assert response["Location"] == "/password-reset/sent/"
        # An address nobody uses gets the same answer and no mail.
        assert (
            client.post("/password-reset/", {"email": "nobody@example.org"})["Location"]
            == response["Location"]
        )
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "tess@example.org"
    assert mail["Subject"] == "Reset your Cairn password"
    link = re.search(r"http://testserver(/password-reset/[^/\s]+/[^/\s]+/)", _body(mail))
    assert link is not None
    # Django moves the token into the session and redirects to a URL without it.
    opened = client.get(link.group(1))
    assert opened.status_code == 302
    form_url = opened["Location"]
    assert client.get(form_url).context["validlink"]
    done = client.post(
        form_url, {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/password-reset/done/"
    teacher.refresh_from_db()
    assert teacher.check_password("brand-new-passphrase")
    # The token made before the reset is dead.
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get(f"/api/v1/students/{world.student.pk}").status_code == 401
    # The link works once.
    again = Client()
    reopened = again.get(link.group(1), follow=True)
    assert reopened.context["validlink"] is False
    assert b"no longer works" in reopened.content
    # The new password signs in.
    assert (
        Client()
        .post("/login/", {"username": teacher.username, "password": "brand-new-passphrase"})
        .status_code
        == 302
    )


def test_reset_refuses_a_weak_password(world: World) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(world.teacher.pk))
    client = Client()
    form_url = client.get(f"/password-reset/{uid}/{default_token_generator.make_token(world.teacher)}/")[
        "Location"
    ]
    response = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert b"too short" in response.content
