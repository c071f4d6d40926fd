"""A teacher's changes to what their section studies: a competency added to the section's course or taken
out of it, for that section only, with the reason. Each change is kept (the newest active one holds) and
logged in the audit trail like a path override."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.core import audit
from cairn.core.errors import Forbidden, Invalid, NotFound
from cairn.curriculum.models import Competency
from cairn.learning.models import SectionCompetency

MAX_REASON = 300


@transaction.atomic
def adjust_section(
    *, teacher: User, section: Section, competency_id: int | None, action: str, reason: str
) -> SectionCompetency:
    """Add a competency to the section's path or remove it ("add" or "remove"), for a reason."""
    if not access.teaches_section(teacher, section):
        raise Forbidden(_("Only a current teacher of this section can change what it studies."))
    if action not in SectionCompetency.Action.values:
        raise Invalid(_("Choose add or remove."), field="action")
    if competency_id is None:
        raise Invalid(_("Choose a competency."), field="competency")
    competency = Competency.objects.filter(pk=competency_id).first()
    if competency is None:
        raise NotFound(_("No competency %(id)s.") % {"id": competency_id})
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Say why, in a few words (it is kept with the change)."), field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(_("Keep the reason under %(n)d characters.") % {"n": MAX_REASON}, field="reason")
    SectionCompetency.objects.filter(section=section, competency=competency, active=True).update(active=False)
    change = SectionCompetency.objects.create(
        section=section, competency=competency, action=action, reason=reason, set_by=teacher
    )
    audit.record(
        audit.AuditAction.OVERRIDE,
        actor=teacher,
        section=section,
        detail={"scope": action, "competency": competency.code or str(competency.pk)},
    )
    return change


@transaction.atomic
def undo_adjustment(*, teacher: User, section: Section, change_id: int) -> None:
    """Back to the course's own list for that competency."""
    if not access.teaches_section(teacher, section):
        raise Forbidden(_("Only a current teacher of this section can change what it studies."))
    change = SectionCompetency.objects.filter(pk=change_id, section=section, active=True).first()
    if change is None:
        raise NotFound(_("No such change."))
    change.active = False
    change.save(update_fields=["active"])
    audit.record(
        audit.AuditAction.OVERRIDE,
        actor=teacher,
        section=section,
        detail={"scope": "undo " + change.action, "competency": change.competency.code},
    )
