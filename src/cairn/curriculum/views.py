"""The library pages: search, content, competencies with their prerequisite graph, authoring, the review
queue and notices. Thin: who may do what is in cairn.curriculum.access, reads in selectors, writes in
services; a view only turns a request into those calls. A service's refusal becomes a page (or a flash
message after a form post) in ``cairn.core.middleware``; only views that show the refusal beside a
form's fields catch it, to re-render the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.accounts.models import User
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.curriculum import access, selectors, versions
from cairn.curriculum.forms import (
    ContentForm,
    ItemForm,
    ItemReviewForm,
    LibrarySearchForm,
    ReviewForm,
    SectionChoiceForm,
    StudentStatementForm,
)
from cairn.curriculum.models import Content, Review, Status
from cairn.curriculum.services import competencies as competency_services
from cairn.curriculum.services import content as content_services
from cairn.curriculum.services import items as item_services
from cairn.curriculum.services import notices as notice_services
from cairn.curriculum.services import review as review_services
from cairn.curriculum.services import sections as section_services

PAGE_SIZE = 20
# What a reviewer's decision did, said of content (its author is told) and of a question.
VERDICTS = {
    Review.Decision.APPROVE: gettext_lazy(
        "“%(title)s” is approved for the library. Its author has been told."
    ),
    Review.Decision.CHANGES: gettext_lazy(
        "“%(title)s” is sent back to its author for changes. Its author has been told."
    ),
    Review.Decision.REJECT: gettext_lazy("“%(title)s” is retired. Its author has been told."),
}
ITEM_VERDICTS = {
    Review.Decision.APPROVE: gettext_lazy("Question “%(title)s” is approved for the library."),
    Review.Decision.CHANGES: gettext_lazy("Question “%(title)s” is sent back to its author for changes."),
    Review.Decision.REJECT: gettext_lazy("Question “%(title)s” is retired."),
}

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    """The library is for teachers and school staff; students and guardians get a 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_staff(person(request)):
            raise PermissionDenied(_("The content library is for teachers and school staff."))
        return view(request, *args, **kwargs)

    return wrapped


def reviewers_only(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_review(person(request)):
            raise PermissionDenied(_("The review queue is for content reviewers."))
        return view(request, *args, **kwargs)

    return wrapped


def _visible_content_or_404(user: User, content_id: int) -> Content:
    content = selectors.content_detail(user, content_id)
    if content is None:
        raise Http404(_("No such content."))  # the same answer as for content that doesn't exist
    return content


# ----------------------------------------------------------------------------------------- search


@staff_only
def library(request: HttpRequest) -> HttpResponse:
    user = person(request)
    form = LibrarySearchForm(request.GET or None)
    searched = form.is_bound
    if searched and not form.is_valid():
        page = None
    else:
        found = selectors.search_content(user, form.filters() if searched else selectors.ContentFilters())
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "notices": list(selectors.unread_notices(user)[:20]),
        "can_author": access.can_author(user),
        "can_review": access.can_review(user),
    }
    return render(request, "curriculum/library.html", context, status=400 if page is None else 200)


@staff_only
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    notice_services.mark_notices_read(person(request))
    messages.success(request, _("Notices marked as read."))
    return redirect("library")


# ----------------------------------------------------------------------------------------- content


@staff_only
def content_detail(request: HttpRequest, content_id: int) -> HttpResponse:
    user = person(request)
    content = _visible_content_or_404(user, content_id)
    choices = selectors.section_choices(user, content) if content.status == Status.APPROVED else []
    context = {
        "content": content,
        "reviews": selectors.reviews_with_answers(content),
        "adopted_by": selectors.adopted_by(user, content),
        "checks": selectors.recent_link_checks(content),
        "choices": choices,
        "candidates": list(selectors.replacement_candidates(user, content)) if choices else [],
        **asdict(access.content_actions(user, content)),
        "can_edit": versions.can_edit(user, content),
        "open_version": versions.open_version(content),
    }
    return render(request, "curriculum/content_detail.html", context)


@staff_only
def content_new(request: HttpRequest) -> HttpResponse:
    user = person(request)
    if not access.can_author(user):
        raise PermissionDenied(_("Only teachers and administrators add content."))
    form = ContentForm(request.POST or None)
    form.fields["competencies"].queryset = selectors.alignable_competencies(user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            content = content_services.create_content(user, form.content_input())
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Saved as a draft. Use it in your own sections now, or submit it for library review to "
                    "share it with every teacher."
                ),
            )
            return redirect("library-content", content.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "curriculum/content_form.html", {"form": form}, status=status)


def _content_action(
    request: HttpRequest, content_id: int, act: Callable[[User, Content], object], done: str
) -> HttpResponse:
    user = person(request)
    content = _visible_content_or_404(user, content_id)
    act(user, content)
    messages.success(request, done)
    return redirect("library-content", content.pk)


@staff_only
@require_POST
def content_submit(request: HttpRequest, content_id: int) -> HttpResponse:
    return _content_action(
        request,
        content_id,
        content_services.submit_for_review,
        "Submitted for library review. A reviewer will look at it; you'll get a notice with the decision.",
    )


@staff_only
@require_POST
def content_use(request: HttpRequest, content_id: int) -> HttpResponse:
    return _content_action(
        request, content_id, content_services.use_in_my_sections, _("Approved for your own sections.")
    )


@staff_only
@require_POST
def content_retire(request: HttpRequest, content_id: int) -> HttpResponse:
    return _content_action(
        request, content_id, content_services.retire_content, _("Retired: no student sees it now.")
    )


@staff_only
@require_POST
def content_sections(request: HttpRequest, content_id: int) -> HttpResponse:
    """Hide the content in one of the teacher's sections, show another in its place, or show it again."""
    user = person(request)
    content = _visible_content_or_404(user, content_id)
    form = SectionChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a section and what to do."))
        return redirect("library-content", content.pk)
    section = selectors.taught_section(user, form.cleaned_data["section"])
    if section is None:
        raise PermissionDenied(_("Only the section's teacher may change what it sees."))
    action = form.cleaned_data["action"]
    if action == "clear":
        section_services.clear_section_choice(user, section, content)
        messages.success(
            request,
            _("%(section)s sees “%(title)s” again.") % {"section": section.name, "title": content.title},
        )
        return redirect("library-content", content.pk)
    replacement_id = form.cleaned_data.get("replacement")
    replacement = None if replacement_id is None else selectors.content_by_id(user, replacement_id)
    section_services.choose_for_section(user, section, content, action, replacement)
    if replacement is None:
        messages.success(request, _("Hidden in %(section)s.") % {"section": section.name})
    else:
        messages.success(
            request,
            _("%(section)s sees “%(title)s” instead.")
            % {"section": section.name, "title": replacement.title},
        )
    return redirect("library-content", content.pk)


# ----------------------------------------------------------------------------------------- competencies


@staff_only
def competency_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "curriculum/competency_list.html",
        {"competencies": selectors.browse_competencies(q, person(request)), "q": q},
    )


@staff_only
def competency_detail(request: HttpRequest, competency_id: int) -> HttpResponse:
    user = person(request)
    competency = selectors.competency_for(user, competency_id)
    if competency is None:
        raise Http404(_("No such competency."))  # another district's own framework, or none
    form = StudentStatementForm(
        request.POST or None, initial={"student_statement": competency.student_statement}
    )
    if request.method == "POST" and form.is_valid():
        try:
            competency_services.set_student_statement(
                user, competency=competency, text=form.cleaned_data["student_statement"]
            )
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved: students now read the new statement."))
            return redirect("library-competency", competency.pk)
    drawing = selectors.prerequisite_graph(competency)
    context = {
        "statement_form": form,
        "can_edit_statement": access.can_author(user),
        "competency": competency,
        "graph": drawing,
        "before": drawing.ordered("prerequisite"),
        "direct": drawing.ordered("prerequisite", direct_only=True),
        "after": drawing.ordered("next"),
        "content": selectors.content_for_competency(user, competency),
        "items": selectors.items_for(user, competency),
        "crosswalks": selectors.crosswalks(competency, user),
    }
    status = 400 if request.method == "POST" else 200  # a valid POST has redirected
    return render(request, "curriculum/competency_detail.html", context, status=status)


# ----------------------------------------------------------------------------------------- items


@staff_only
def item_new(request: HttpRequest) -> HttpResponse:
    user = person(request)
    if not access.can_author(user):
        raise PermissionDenied(_("Only teachers and administrators add questions."))
    form = ItemForm(request.POST or None, initial=_initial_competencies(request))
    form.fields["competencies"].queryset = selectors.alignable_competencies(user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            item = item_services.create_item(
                user,
                stem=form.cleaned_data["stem"],
                spec=form.cleaned_data["spec"],
                competency_ids=[c.pk for c in form.cleaned_data["competencies"]],
                hints=form.hint_list(),
                solution=form.solution_list(),
                title=form.cleaned_data.get("title") or "",
            )
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved as a draft. Submit it for review so students can get it."))
            return redirect("library-item", item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "curriculum/item_form.html", {"form": form}, status=status)


def _initial_competencies(request: HttpRequest) -> dict[str, Any]:
    wanted = request.GET.get("competency", "")
    return {"competencies": [int(wanted)]} if wanted.isdigit() else {}


@staff_only
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    user = person(request)
    item = selectors.item_detail(user, item_id)
    if item is None:
        raise Http404(_("No such question."))
    preview = selectors.item_preview(item)
    context = {
        "item": item,
        "answer": preview.answer,
        "example": preview.example,
        **asdict(access.item_actions(user, item)),
        "review_form": ItemReviewForm(),
        "reviews": selectors.item_reviews(item, user),
        "adopted_by": selectors.adopted_by(user, item),
        "can_edit": versions.can_edit(user, item) and item.kind != item.Kind.TEMPLATE,
        "open_version": versions.open_version(item),
    }
    return render(request, "curriculum/item_detail.html", context)


@staff_only
@require_POST
def item_submit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = person(request)
    item = selectors.item_detail(user, item_id)
    if item is None:
        raise Http404(_("No such question."))
    item_services.submit_item_for_review(user, item)
    messages.success(request, _("Submitted for review."))
    return redirect("library-item", item.pk)


# ----------------------------------------------------------------------------------------- review


@reviewers_only
def review_queue(request: HttpRequest) -> HttpResponse:
    user = person(request)
    context = {"contents": selectors.review_queue(user), "items": selectors.item_review_queue(user)}
    context["content_versions"] = versions.pending_content_versions(user)
    context["item_versions"] = versions.pending_item_versions(user)
    return render(request, "curriculum/review_queue.html", context)


@reviewers_only
def review_content(request: HttpRequest, content_id: int) -> HttpResponse:
    user = person(request)
    content = selectors.awaiting_review(user, content_id)
    if content is None:
        raise Http404(_("This content is not waiting for your review."))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.review_content(
                user, content, form.cleaned_data["decision"], form.answers(), form.cleaned_data["comment"]
            )
        except Invalid as exc:
            add_to_form(form, exc)
        else:
            verdict = VERDICTS[form.cleaned_data["decision"]]
            messages.success(request, verdict % {"title": content.title})
            return redirect("library-review")
    context = {
        "content": content,
        "form": form,
        "checks": selectors.recent_link_checks(content),
        "earlier": selectors.reviews_with_answers(content),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "curriculum/review_form.html", context, status=status)


@reviewers_only
@require_POST
def review_item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = person(request)
    item = selectors.item_awaiting_review(user, item_id)
    if item is None:
        raise Http404(_("This question is not waiting for your review."))
    form = ItemReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("library-item", item.pk)
    review_services.review_item(user, item, form.cleaned_data["decision"], form.cleaned_data["comment"])
    messages.success(request, ITEM_VERDICTS[form.cleaned_data["decision"]] % {"title": item})
    return redirect("library-review")
