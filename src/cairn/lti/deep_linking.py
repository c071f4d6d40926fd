"""Deep linking: a teacher picks what to place in the LMS course (a competency, an activity or the
diagnostic), and Cairn answers the LMS with a content item that carries a line item.

The launch view (``cairn.lti.views.launch``) calls :func:`handle_launch` for an ``LtiDeepLinkingRequest``
once the launch is checked and the teacher signed in; it shows the picker. The picker posts to
:func:`respond`, which records a :class:`~cairn.lti.models.Placement` and answers with a form that posts the
signed ``LtiDeepLinkingResponse`` (pylti1p3's JWT) to the LMS's return URL at once (a static script, as the
CSP allows; the page's ``form-action`` is widened to that one origin). The content item links to Cairn's
launch URL with the custom parameter ``cairn_placement`` (the placement's resource id), and its line item
(``scoreMaximum`` the district scale's top score, ``resourceId`` the same id, tag ``cairn``) is the gradebook
column :mod:`cairn.lti.ags` later finds and scores.

The picker's POST comes from inside the LMS's iframe, where a Lax CSRF cookie is not sent; instead of
Django's CSRF check it must name the launch this browser's session holds (a random id only that session
knows), and the launch must still be in the cache and be a deep-linking request from an instructor.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lti_tool.models import LtiContext, LtiLaunch
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from cairn.accounts.models import Role, Section
from cairn.assessments.models import Diagnostic
from cairn.core.errors import Invalid
from cairn.curriculum.models import Competency, Content
from cairn.curriculum.models import Status as ContentStatus
from cairn.learning.selectors import proficiency
from cairn.learning.selectors.path import for_section
from cairn.lti import launch as launches
from cairn.lti.identity import role_from_claims
from cairn.lti.models import Placement
from cairn.lti.registration import origin_of

CUSTOM_PARAM = "cairn_placement"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
MAX_ACTIVITIES = 200


@dataclass(frozen=True)
class Choice:
    value: str  # "competency:12", "content:7", "diagnostic"
    title: str


def choices(section: Section | None) -> dict[str, list[Choice]]:
    """What a teacher may place: the class's competencies, their approved activities, the diagnostic."""
    competencies = for_section(section) if section is not None else []
    contents = (
        Content.objects.filter(status=ContentStatus.APPROVED, competencies__in=competencies)
        .distinct()
        .order_by("title", "pk")[:MAX_ACTIVITIES]
    )
    found = {
        "competency": [Choice(f"competency:{c.pk}", f"{c.code} {c.statement}") for c in competencies],
        "content": [Choice(f"content:{c.pk}", c.title) for c in contents],
        "diagnostic": [Choice("diagnostic", "The diagnostic")] if Diagnostic.objects.exists() else [],
    }
    return found


def handle_launch(request: HttpRequest, lti_launch: LtiLaunch) -> HttpResponse:
    """The picker, for an instructor's deep-linking launch."""
    if role_from_claims(lti_launch.get_launch_data()) != Role.TEACHER:
        raise PermissionDenied(_("Only the course's instructors choose what Cairn puts in it."))
    return _picker(request)


def _picker(request: HttpRequest) -> HttpResponse:
    section = Section.objects.filter(pk=int(request.session.get(launches.SECTION_ID) or 0)).first()
    context = {
        "section": section,
        "choices": choices(section),
        "launch_id": request.session.get(launches.LAUNCH_ID),
        "action": reverse("lti-deep-link-respond"),
    }
    return render(request, "lti/deep_linking.html", context)


def _deep_link_launch(request: HttpRequest) -> launches.LaunchInfo:
    """This session's instructor deep-linking launch, still in the cache; ``PermissionDenied`` otherwise."""
    info = launches.current_launch(request)
    if info is None or not info.message_launch.is_deep_link_launch():
        raise PermissionDenied(_("This LMS launch has expired; choose again from the LMS."))
    if role_from_claims(info.message_launch.get_launch_data()) != Role.TEACHER:
        raise PermissionDenied(_("Only the course's instructors choose what Cairn puts in it."))
    if info.context is None:
        raise PermissionDenied(_("Deep linking needs an LMS course."))
    return info


@transaction.atomic
def place(*, context: LtiContext, choice: str) -> Placement:
    """Record what was chosen for this LMS course (``Invalid`` for a choice the picker did not offer)."""
    kind, _colon, pk = choice.partition(":")
    if kind == Placement.Kind.COMPETENCY:
        competency = Competency.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
        if competency is None:
            raise Invalid(_("Choose a competency from the list."), field="choice")
        fields = {"competency": competency, "title": f"{competency.code} {competency.statement}"[:255]}
    elif kind == Placement.Kind.CONTENT:
        content = Content.objects.filter(
            pk=int(pk) if pk.isdigit() else 0, status=ContentStatus.APPROVED
        ).first()
        if content is None:
            raise Invalid(_("Choose an activity from the list."), field="choice")
        fields = {"content": content, "title": content.title[:255]}
    elif kind == Placement.Kind.DIAGNOSTIC:
        fields = {"title": "Cairn diagnostic"}
    else:
        raise Invalid(_("Choose a competency, an activity or the diagnostic."), field="choice")
    return Placement.objects.create(
        context=context, kind=kind, resource_id=f"cairn-{uuid.uuid4().hex}", **fields
    )


def resource(request: HttpRequest, placement: Placement, maximum: float) -> DeepLinkResource:
    """The content item for the LMS: Cairn's launch URL, the placement's id, and its line item."""
    line_item = (
        LineItem()
        .set_score_maximum(maximum)
        .set_label(placement.title)
        .set_resource_id(placement.resource_id)
        .set_tag("cairn")
    )
    return (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti-launch")))
        .set_title(placement.title)
        .set_custom_params({CUSTOM_PARAM: placement.resource_id})
        .set_lineitem(line_item)
    )


@csrf_exempt  # inside the LMS's iframe; the posted launch id must be this session's (module docstring)
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest) -> HttpResponse:
    """POST: place the choice and answer the LMS; GET: the picker again (where a refused choice lands)."""
    info = _deep_link_launch(request)
    if request.method == "GET":
        return _picker(request)
    if request.POST.get("launch") != request.session.get(launches.LAUNCH_ID):
        raise PermissionDenied(_("This choice does not belong to an LMS launch in this browser."))
    assert info.context is not None
    claims: dict[str, Any] = dict(info.message_launch.get_launch_data())
    settings: dict[str, Any] = claims.get(DL_SETTINGS) or {}
    return_url = str(settings.get("deep_link_return_url") or "")
    origin = origin_of(return_url)
    if origin is None:
        raise PermissionDenied(_("The LMS gave no address to send the choice back to."))
    placement = place(context=info.context, choice=request.POST.get("choice", ""))
    maximum = proficiency.for_section(info.section).highest if info.section else proficiency.DEFAULT.highest
    jwt = info.message_launch.get_deep_link().get_response_jwt([resource(request, placement, maximum)])
    context = {"jwt": jwt, "return_url": return_url, "title": placement.title}
    response = render(request, "lti/deep_linking_return.html", context)
    # The answer is a form posted to the LMS: allow that one origin as a form target (CSP form-action).
    response._csp_update = {"form-action": [origin]}  # type: ignore[attr-defined]
    return response


CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"


def destination(claims: dict[str, Any]) -> str | None:
    """Where a learner's launch of a placed link should land (the competency's practice, the activity, the
    diagnostic), from the ``cairn_placement`` custom parameter; None for a launch of no placement."""
    resource_id = str((claims.get(CUSTOM_CLAIM) or {}).get(CUSTOM_PARAM) or "")
    placement = Placement.objects.filter(resource_id=resource_id).first() if resource_id else None
    if placement is None:
        return None
    if placement.kind == Placement.Kind.COMPETENCY and placement.competency_id:
        return reverse("learning-practice", args=[placement.competency_id])
    if placement.kind == Placement.Kind.CONTENT and placement.content_id:
        return reverse("learning-activity", args=[placement.content_id])
    return reverse("diagnostic-home")
