"""Changing what students read for a competency: its short "I can …" statement."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Forbidden, Invalid
from cairn.curriculum import access
from cairn.curriculum.models import Competency

MAX_WORDS = 20  # "I can …" statements are short: the demo's are 12 words at most


def set_student_statement(actor: User, *, competency: Competency, text: str) -> Competency:
    """Write the statement students read for ``competency`` (empty: back to the standard's own words),
    recording who changed it and when. Teachers and curriculum staff (those who author) may."""
    if not access.can_author(actor):
        raise Forbidden(_("Only teachers and curriculum staff change what students read."))
    text = " ".join(text.split())
    max_length = Competency._meta.get_field("student_statement").max_length or 160
    if len(text) > max_length:
        raise Invalid(f"Keep it under {max_length} characters.", field="student_statement")
    if len(text.split()) > MAX_WORDS:
        raise Invalid(f"Keep it short: {MAX_WORDS} words at most.", field="student_statement")
    with transaction.atomic():
        competency.student_statement = text
        competency.student_statement_by = actor
        competency.student_statement_at = timezone.now()
        competency.save(update_fields=["student_statement", "student_statement_by", "student_statement_at"])
    return competency
