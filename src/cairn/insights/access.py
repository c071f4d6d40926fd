"""Who may see and who may change a section's insights. Built only from cairn.accounts.access.

- Seeing: whoever may see the section's roster (its teachers now, the school's leaders, the district's
  admins, platform admins). Students and guardians never: for them the pages answer 404, like a section
  that doesn't exist.
- Changing (groups, tiered tasks, station plans, overrides, one-click actions): only a teacher who teaches
  the section now. Leaders and admins read; they don't steer a class they don't teach.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.core.errors import Forbidden


def can_view(user: User, section: Section) -> bool:
    return access.can_view_section(user, section)


def can_teach(user: User, section: Section) -> bool:
    return access.teaches_section(user, section)


def section_for(user: User, section_id: int) -> Section:
    """The section, if the person may see it; 404 otherwise (the same answer as for no such section).

    Django's own 404, not ``NotFound``: the section is named by the URL, and a person who may not see it
    gets a plain 404 whatever the method (a form post gets no flash confirming there is something there)."""
    section = get_object_or_404(Section.objects.select_related("school"), pk=section_id)
    if not can_view(user, section):
        raise Http404("No such section.")
    return section


def require_teacher(user: User, section: Section) -> None:
    if not can_teach(user, section):
        raise Forbidden(_("Only a teacher of this class can change it."))
