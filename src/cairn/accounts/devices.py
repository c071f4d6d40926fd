"""Second-step devices: an authenticator app (TOTP) and a sheet of one-time recovery codes.

A person sets up one authenticator app; it counts once they type a code it shows (so a mistyped secret
can't lock them out). Recovery codes are made then, shown once, and can be made anew (the old ones stop
working), for the day the phone is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cairn.accounts.models import User
from cairn.core.errors import Conflict, Invalid

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


@dataclass(frozen=True)
class TwoFactorStatus:
    has_app: bool
    recovery_codes_left: int


def status_of(user: User) -> TwoFactorStatus:
    return TwoFactorStatus(
        has_app=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        recovery_codes_left=StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    )


def pending_app_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (made on the first visit, kept across reloads so
    the secret the person already scanned stays the one that counts). Refused once an app is confirmed."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Conflict(_("An authenticator app is already set up for this account."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_app_device(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; returns it and fresh recovery codes."""
    device = pending_app_device(user=user)
    if not device.verify_token(code.strip().replace(" ", "")):
        raise Invalid(
            _("That code doesn't match. Check the time on your phone and type the newest code."), field="code"
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, new_recovery_codes(user=user)


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """A new sheet of recovery codes; the previous sheet stops working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def install_app_device(*, user: User, key_hex: str) -> TOTPDevice:
    """A confirmed authenticator with a known secret, replacing any other: for the demo's published admin
    logins and the tests, never for a real person (whose secret must be random and shown only to them)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key_hex, confirmed=True)
