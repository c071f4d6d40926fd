"""What every section page shares: the section resolved and checked, and the context each tab needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase

from cairn.accounts.access import person
from cairn.accounts.models import Section
from cairn.insights import access

View = Callable[..., HttpResponseBase]


def section_view(view: View) -> View:
    """Resolve ``section_id`` to a section the person may see (404 otherwise) and pass it on."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, section_id: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        section = access.section_for(person(request), section_id)
        return view(request, section, *args, **kwargs)

    return wrapped


def page_context(request: HttpRequest, section: Section, tab: str, **extra: Any) -> dict[str, Any]:
    return {
        "section": section,
        "tab": tab,
        "can_teach": access.can_teach(person(request), section),
        **extra,
    }
