"""The signed links of the digest email: one opens a child's family page, one opts the guardian out.

Why a read-only page and no sign-in: the family link shows the one child's family page as it is now, and
nothing else; it creates no session, so a forwarded or leaked email opens that page for at most
``FAMILY_LINK_DAYS`` days and never the guardian's account (their other children, their surveys, their
settings), and a link stops working at once when the guardian is unlinked from the child. A session flag
"limited to families pages" would be a real session that every other view must remember to refuse.

Both tokens are ``django.core.signing`` with their own salt (a token for one purpose is refused for the
other); the family link is timestamped and expires, the opt-out link does not (opting out is harmless and
must keep working from an old email).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from cairn.core.errors import NotFound

FAMILY_LINK_DAYS = 14
_FAMILY_SALT = "cairn.families.family-link"
_OPT_OUT_SALT = "cairn.families.opt-out"


@dataclass(frozen=True)
class FamilyLink:
    guardian_id: int
    child_id: int


def family_token(guardian_id: int, child_id: int) -> str:
    return signing.dumps([guardian_id, child_id], salt=_FAMILY_SALT, compress=False)


def read_family_token(token: str, *, max_age: dt.timedelta | None = None) -> FamilyLink:
    """The guardian and child a family link names; NotFound when it is forged, altered or expired."""
    try:
        guardian_id, child_id = signing.loads(
            token, salt=_FAMILY_SALT, max_age=max_age or dt.timedelta(days=FAMILY_LINK_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise NotFound(_("This link has expired. Sign in to Cairn to see the page.")) from exc
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise NotFound(_("This link is not valid.")) from exc
    return FamilyLink(int(guardian_id), int(child_id))


def opt_out_token(guardian_id: int) -> str:
    return signing.dumps(guardian_id, salt=_OPT_OUT_SALT)


def read_opt_out_token(token: str) -> int:
    try:
        return int(signing.loads(token, salt=_OPT_OUT_SALT))
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise NotFound(_("This link is not valid.")) from exc


def absolute(path: str) -> str:
    return f"{settings.CAIRN_BASE_URL}{path}"


def family_url(guardian_id: int, child_id: int) -> str:
    return absolute(reverse("families-link", args=[family_token(guardian_id, child_id)]))


def opt_out_url(guardian_id: int) -> str:
    return absolute(reverse("families-opt-out", args=[opt_out_token(guardian_id)]))
