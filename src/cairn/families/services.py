"""Writes of the families app: a teacher's note to a family, a guardian's digest choices.

Sending the digests is :mod:`cairn.families.digest` (built in batches by :mod:`cairn.families.tasks`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core import audit
from cairn.core.errors import Forbidden, Invalid
from cairn.families.models import DigestPreference, TeacherNote
from cairn.families.selectors import teaches_student

NOTE_MAX = 1000


def add_note(*, author: User, student: User, body: str) -> TeacherNote:
    """A note from one of the student's teachers to the student's family."""
    body = body.strip()
    if not body:
        raise Invalid(_("Write the note first."), field="body")
    if len(body) > NOTE_MAX:
        raise Invalid(_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}, field="body")
    if not teaches_student(author, student):
        raise Forbidden(_("Only the student's teachers can write to the family."))
    with transaction.atomic():
        note = TeacherNote.objects.create(student=student, author=author, body=body)
        audit.record(
            audit.AuditAction.RECORD_CHANGED, actor=author, student=student, detail={"wrote": "family_note"}
        )
    return note


def set_frequency(*, guardian: User, frequency: str) -> DigestPreference:
    """How often the guardian gets the digest (``never`` opts out)."""
    if frequency not in DigestPreference.Frequency.values:
        raise Invalid(_("Choose how often you want the email."), field="frequency")
    with transaction.atomic():
        preference, _created = DigestPreference.objects.select_for_update().get_or_create(guardian=guardian)
        opting_out = frequency == DigestPreference.Frequency.NEVER
        preference.frequency = frequency
        if opting_out and preference.opted_out_at is None:
            preference.opted_out_at = timezone.now()
        elif not opting_out:
            preference.opted_out_at = None
        preference.save()
    return preference


def opt_out(*, guardian: User) -> DigestPreference:
    """The one click in the email: no more digests."""
    return set_frequency(guardian=guardian, frequency=DigestPreference.Frequency.NEVER)
