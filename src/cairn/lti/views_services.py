"""Pages for LTI Advantage's services: deep linking's answer (``cairn.lti.deep_linking.respond``) and a
teacher's "pull the class list from the LMS" (Names and Role Provisioning, run as a task)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.core.errors import Conflict
from cairn.insights import access
from cairn.lti import tasks
from cairn.lti.models import ContextSection


@login_required
@require_POST
def pull_members(request: HttpRequest, section_id: int) -> HttpResponse:
    """Queue a membership pull for every LMS course linked to the class (its teachers only)."""
    section = access.section_for(person(request), section_id)
    access.require_teacher(person(request), section)
    contexts = ContextSection.objects.filter(section=section).exclude(context__memberships_url="")
    ids = list(contexts.values_list("context_id", flat=True))
    if not ids:
        raise Conflict(_("No LMS course linked to this class offers its class list to Cairn."))
    for context_id in ids:
        tasks.pull_members.delay(context_id)
    messages.success(request, _("The class list is coming from the LMS; new students appear in a moment."))
    return redirect("insights-class", section_id=section.pk)
