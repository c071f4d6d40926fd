"""The LTI endpoints: login initiation, launch, the tool's public keys. Thin: the checks are in
``cairn.lti.launch``, who a person is in ``cairn.lti.identity``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key

from cairn.accounts.models import Role
from cairn.lti import deep_linking, dynamic_registration
from cairn.lti import launch as launches


@csrf_exempt  # the LMS posts here from its own site; the state cookie and the signed token protect it
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if launches.wants_cookie_check(request):
        return render(request, "lti/cookie_check.html", {"continue_url": launches.cookie_check_url(request)})
    return launches.start_login(request)


@csrf_exempt  # the platform's form POST; checked by its state, nonce and signature (cairn.lti.launch)
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    lti_launch = launches.validate(request)
    arrival = launches.sign_in(request, lti_launch)
    if lti_launch.is_deep_link_launch:
        response: HttpResponse = deep_linking.handle_launch(request, lti_launch)
        return response
    if arrival.role == Role.TEACHER:
        if arrival.section is not None:
            return redirect("insights-today", section_id=arrival.section.pk)
        return redirect("teacher-home")
    # A learner opening a link a teacher placed lands on what was placed; any other launch on their path.
    return redirect(deep_linking.destination(lti_launch.get_launch_data()) or "learning-path")


@require_GET
def register(request: HttpRequest, token: str) -> HttpResponse:
    """Dynamic Registration: the LMS opens the district's registration link (see dynamic_registration)."""
    platform = dynamic_registration.register(
        token=token,
        openid_configuration=request.GET.get("openid_configuration", ""),
        registration_token=request.GET.get("registration_token", ""),
        base_url=request.build_absolute_uri("/"),
    )
    return render(request, "lti/registered.html", {"platform": platform})


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's active public keys, for platforms checking what Cairn signs (grades, deep links)."""
    return JsonResponse(Key.objects.as_jwks())
