"""Sharing with other districts and adopting what they share, from a content's or a question's page (the
rules are in cairn.curriculum.ownership; the writes in services.adoption)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.curriculum import selectors
from cairn.curriculum.models import Content, Item
from cairn.curriculum.services import adoption
from cairn.curriculum.views import staff_only


def _thing(request: HttpRequest, kind: str, pk: int) -> Content | Item:
    user = person(request)
    if kind not in ("content", "items"):
        raise Http404(_("No such page."))
    found = selectors.content_detail(user, pk) if kind == "content" else selectors.item_detail(user, pk)
    if found is None:
        raise Http404("No such content." if kind == "content" else "No such question.")
    return found


def _back(kind: str, pk: int) -> HttpResponse:
    return redirect("library-content" if kind == "content" else "library-item", pk)


@staff_only
@require_POST
def adopt(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One click: the person's district uses another district's shared, approved content or question."""
    thing = _thing(request, kind, pk)
    done = adoption.adopt(user=person(request), thing=thing)
    messages.success(
        request, _("Adopted for %(district)s: its students get it now.") % {"district": done.district.name}
    )
    return _back(kind, pk)


@staff_only
@require_POST
def unadopt(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    adoption.unadopt(user=person(request), thing=_thing(request, kind, pk))
    messages.success(request, _("No longer used in your district."))
    return _back(kind, pk)


@staff_only
@require_POST
def share(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    shared = request.POST.get("shared") == "1"
    adoption.set_shared(user=person(request), thing=_thing(request, kind, pk), shared=shared)
    done = (
        _("Shared: other districts may adopt it.") if shared else _("No longer offered to other districts.")
    )
    messages.success(request, done)
    return _back(kind, pk)
