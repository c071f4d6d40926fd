"""What one section sees of a piece of content: the section's teacher may hide it there, or show other
content in its place. Students' boards read these choices through cairn.curriculum.access."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.core.errors import Forbidden, NotFound
from cairn.curriculum import access
from cairn.curriculum.models import Content, SectionContent, Status
from cairn.curriculum.services.field_errors import invalid


@transaction.atomic
def choose_for_section(
    teacher: User, section: Section, content: Content, action: str, replacement: Content | None = None
) -> SectionContent:
    """Hide a piece of content in one section, or show another in its place."""
    _require_section_teacher(teacher, section)
    if not access.can_view_content(teacher, content):
        raise NotFound(_("No such content."))
    if action == SectionContent.Action.REPLACE:
        _check_replacement(teacher, content, replacement)
    elif action == SectionContent.Action.HIDE:
        replacement = None
    else:
        raise invalid("action", f"unknown action {action!r}")
    choice, _created = SectionContent.objects.update_or_create(
        section=section,
        content=content,
        defaults={"action": action, "replacement": replacement, "set_by": teacher},
    )
    return choice


def _check_replacement(teacher: User, content: Content, replacement: Content | None) -> None:
    if replacement is None or replacement.pk == content.pk:
        raise invalid("replacement", "Choose different content to show instead.")
    # Visible to the teacher: library content or their own. Another teacher's section-only content
    # must not reach this section's students through a replacement.
    if not access.can_view_content(teacher, replacement):
        raise invalid("replacement", "No such content.")
    if replacement.status != Status.APPROVED:
        raise invalid("replacement", "Only approved content can be shown to students.")


@transaction.atomic
def clear_section_choice(teacher: User, section: Section, content: Content) -> None:
    """Show the content in the section again, as the library has it."""
    _require_section_teacher(teacher, section)
    SectionContent.objects.filter(section=section, content=content).delete()


def _require_section_teacher(teacher: User, section: Section) -> None:
    if not access.taught_sections(teacher).filter(pk=section.pk).exists():
        raise Forbidden(_("Only the section's teacher may change what it sees."))
