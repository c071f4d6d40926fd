"""Editing content and questions, their history, and reviewing a new version (how versions work:
``cairn.curriculum.versions``). Thin, as the library's other pages: who may see the thing is the library's
rule (``selectors.content_detail``/``item_detail``: a 404 otherwise), who may edit or decide is
``versions``, writes are ``services.versions``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cairn.accounts.access import person
from cairn.accounts.models import User
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.curriculum import selectors, versions
from cairn.curriculum.forms import ContentEditForm, ItemEditForm, ItemVersionReviewForm, VersionReviewForm
from cairn.curriculum.models import Content, ContentVersion, Item, ItemVersion, VersionStatus
from cairn.curriculum.services import versions as version_services
from cairn.curriculum.views import reviewers_only, staff_only

PENDING = gettext_lazy(
    "Saved as version %(number)s, waiting for review. Students keep version %(live)s until it is approved."
)


def _content(user: User, content_id: int) -> Content:
    content = selectors.content_detail(user, content_id)
    if content is None:
        raise Http404(_("No such content."))
    return content


def _item(user: User, item_id: int) -> Item:
    item = selectors.item_detail(user, item_id)
    if item is None:
        raise Http404(_("No such question."))
    return item


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200  # a valid POST has redirected


def _saved(request: HttpRequest, version: ContentVersion | ItemVersion | None, live: int) -> None:
    if version is None:
        messages.success(request, _("Saved."))
    elif version.status == VersionStatus.APPROVED:
        messages.success(
            request, _("Saved: version %(number)s is live in your sections.") % {"number": version.number}
        )
    else:
        messages.success(request, PENDING % {"number": version.number, "live": live})


@staff_only
def content_edit(request: HttpRequest, content_id: int) -> HttpResponse:
    user = person(request)
    content = _content(user, content_id)
    if not versions.can_edit(user, content):
        raise PermissionDenied(_("Only its author or a reviewer of its district may edit it."))
    initial = ContentEditForm.initial_from(versions.editable_data(user, content))
    form = ContentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = version_services.edit_content(
                user, content, form.content_input(), summary=form.cleaned_data.get("summary") or ""
            )
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            _saved(request, version, content.version)
            return redirect("library-content", content.pk)
    context = {"form": form, "thing": content, "title": content.title, "back": "library-content"}
    return render(
        request, "curriculum/edit_form.html", context, status=400 if request.method == "POST" else 200
    )


@staff_only
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = person(request)
    item = _item(user, item_id)
    if not versions.can_edit(user, item) or item.kind == Item.Kind.TEMPLATE:
        raise PermissionDenied(
            "Only its author or a reviewer of its district may edit it (templates: import)."
        )
    form = ItemEditForm(
        request.POST or None, initial=ItemEditForm.initial_from(versions.editable_data(user, item))
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = version_services.edit_item(
                user,
                item,
                stem=form.cleaned_data["stem"],
                spec=form.cleaned_data["spec"],
                competency_ids=[c.pk for c in form.cleaned_data["competencies"]],
                hints=form.hint_list(),
                solution=form.solution_list(),
                title=form.cleaned_data.get("title") or "",
                summary=form.cleaned_data.get("summary") or "",
            )
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            _saved(request, version, item.version)
            return redirect("library-item", item.pk)
    context = {"form": form, "thing": item, "title": str(item), "back": "library-item"}
    return render(
        request, "curriculum/edit_form.html", context, status=400 if request.method == "POST" else 200
    )


@staff_only
def content_history(request: HttpRequest, content_id: int) -> HttpResponse:
    content = _content(person(request), content_id)
    context = {"thing": content, "title": content.title, "back": "library-content"}
    return render(request, "curriculum/history.html", {**context, "entries": versions.history(content)})


@staff_only
def item_history(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item(person(request), item_id)
    context = {"thing": item, "title": str(item), "back": "library-item"}
    return render(request, "curriculum/history.html", {**context, "entries": versions.history(item)})


@reviewers_only
def review_content_version(request: HttpRequest, version_id: int) -> HttpResponse:
    user = person(request)
    version = versions.content_version_for_review(user, version_id)
    if version is None:
        raise Http404(_("This version is not waiting for your review."))
    form = VersionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version_services.review_content_version(
                user, version, form.cleaned_data["decision"], form.answers(), form.cleaned_data["comment"]
            )
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s of “%(title)s”: decision recorded.")
                % {"number": version.number, "title": version.content.title},
            )
            return redirect("library-review")
    context = {"version": version, "thing": version.content, "form": form, "back": "library-content"}
    context["changes"] = versions.proposed_changes(version)
    return render(request, "curriculum/version_review.html", context, status=_status(request))


@reviewers_only
def review_item_version(request: HttpRequest, version_id: int) -> HttpResponse:
    user = person(request)
    version = versions.item_version_for_review(user, version_id)
    if version is None:
        raise Http404(_("This version is not waiting for your review."))
    form = ItemVersionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version_services.review_item_version(
            user, version, form.cleaned_data["decision"], form.cleaned_data["comment"]
        )
        messages.success(
            request,
            _("Version %(number)s of “%(title)s”: decision recorded.")
            % {"number": version.number, "title": version.item},
        )
        return redirect("library-review")
    context = {"version": version, "thing": version.item, "form": form, "back": "library-item"}
    context["changes"] = versions.proposed_changes(version)
    return render(request, "curriculum/version_review.html", context, status=_status(request))
