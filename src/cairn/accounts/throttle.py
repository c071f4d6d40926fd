"""The sign-in throttle: slows guessing without letting anyone lock a person out.

A lockout after N failures per username and address lets a classmate on the school's shared address lock a
student out on purpose, and never slows one guess at each of many accounts. Instead:

- **per account**: the first ``CAIRN_SIGNIN_FREE_FAILURES`` failed passwords for a username cost nothing;
  after that, each try must wait a delay after the last failure that doubles with every further failure
  (5 s, 10 s, 20 s, ...) up to ``CAIRN_SIGNIN_MAX_DELAY_SECONDS``. A try made too early is refused with the
  wait, before the password is checked, and is not counted, so a person who waits the short delay gets in
  with the right password whoever failed before them. A success clears the username's failures.
- **per address**: an address with more than ``CAIRN_SIGNIN_ADDRESS_FAILURES`` failures in 15 minutes, over
  all usernames (password spraying), waits until the oldest of them is 15 minutes old.

No server thread sleeps: the form answers at once with "wait N seconds". Failures are rows of
``SignInFailure`` so every server process sees the same counts.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone

from cairn.accounts.models import SignInFailure

ADDRESS_WINDOW = dt.timedelta(minutes=15)
# Failures older than this no longer slow the account (the delay has long run out by then anyway).
ACCOUNT_WINDOW = dt.timedelta(hours=1)
FIRST_DELAY_SECONDS = 5


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def account_delay_seconds(failures: int) -> int:
    """How long after the last failure the next try must wait, given the failures counted so far."""
    extra = failures - settings.CAIRN_SIGNIN_FREE_FAILURES
    if extra < 0:
        return 0
    return min(FIRST_DELAY_SECONDS * 2 ** min(extra, 20), settings.CAIRN_SIGNIN_MAX_DELAY_SECONDS)


def wait_seconds(*, username: str, address: str | None, now: dt.datetime | None = None) -> int:
    """Seconds this sign-in try must still wait (0: go ahead and check the password)."""
    now = now or timezone.now()
    waits = [0]
    recent = SignInFailure.objects.filter(username=_key(username), at__gt=now - ACCOUNT_WINDOW)
    failures = recent.count()
    delay = account_delay_seconds(failures - 1) if failures else 0
    if delay:
        last = recent.order_by("-at").values_list("at", flat=True).first()
        if last is not None:
            waits.append(math.ceil(((last + dt.timedelta(seconds=delay)) - now).total_seconds()))
    if address:
        from_address = SignInFailure.objects.filter(address=address, at__gt=now - ADDRESS_WINDOW)
        limit = settings.CAIRN_SIGNIN_ADDRESS_FAILURES
        if from_address.count() > limit:
            # It waits until enough of its failures are older than the window to bring it back to the limit.
            times = list(from_address.order_by("-at").values_list("at", flat=True)[limit : limit + 1])
            if times:
                waits.append(math.ceil(((times[0] + ADDRESS_WINDOW) - now).total_seconds()))
    return max(max(waits), 0)


def record_failure(*, username: str, address: str | None) -> None:
    """Count a failed password; rows older than a day are pruned here, since nothing reads them."""
    now = timezone.now()
    SignInFailure.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()
    SignInFailure.objects.create(username=_key(username), address=address or None, at=now)


def record_success(*, username: str) -> None:
    """The right password: earlier failures for the account no longer slow it (the address's still count)."""
    SignInFailure.objects.filter(username=_key(username), address__isnull=True).delete()
    SignInFailure.objects.filter(username=_key(username)).update(username="")
