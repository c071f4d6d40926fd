"""Reading a form post's values. A value that isn't what the field takes is ``Invalid`` naming the field,
which the error middleware flashes on the page the form came from."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _

from cairn.core.errors import Invalid


def ints(request: HttpRequest, name: str) -> list[int]:
    try:
        return [int(v) for v in request.POST.getlist(name) if v.strip()]
    except ValueError as exc:
        raise Invalid(_("%(name)s: whole numbers only.") % {"name": name}, field=name) from exc


def int_or_none(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise Invalid(_("%(name)s: a whole number.") % {"name": name}, field=name) from exc


def date_or_none(request: HttpRequest, name: str) -> dt.date | None:
    value = request.POST.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(_("%(name)s: a date like 2026-11-24.") % {"name": name}, field=name) from exc
