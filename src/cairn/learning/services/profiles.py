"""Writing a learner profile: the student's own part, and the whole profile by staff who look after them.
Who may do which is :func:`cairn.learning.profiles.looks_after`; reading is in
:mod:`cairn.learning.profiles`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Invalid, NotFound
from cairn.learning.models import LearnerProfile
from cairn.learning.profiles import KINDS, LANGUAGES, looks_after

SOURCES = ("", "IEP", "504")


def _checked_own(
    interests: str, strengths: str, preferred_kinds: Iterable[str], language: str
) -> dict[str, object]:
    kinds = sorted(set(preferred_kinds))
    if any(kind not in KINDS for kind in kinds):
        raise Invalid(_("Pick ways to learn from the list."), field="preferred_kinds")
    if language and language not in LANGUAGES:
        raise Invalid(_("Pick a language from the list."), field="language")
    if len(interests) > 300 or len(strengths) > 300:
        raise Invalid(
            _("Keep it under 300 characters."), field="interests" if len(interests) > 300 else "strengths"
        )
    return {
        "interests": interests.strip(),
        "strengths": strengths.strip(),
        "preferred_kinds": kinds,
        "language": language,
    }


@transaction.atomic
def save_own_profile(
    *, student: User, interests: str, strengths: str, preferred_kinds: Iterable[str], language: str
) -> LearnerProfile:
    """The student's own part. Their language becomes the language Cairn speaks to them, too."""
    fields = _checked_own(interests, strengths, preferred_kinds, language)
    profile, _created = LearnerProfile.objects.select_for_update().get_or_create(student=student)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    if language and student.language != language:
        student.language = language
        student.save(update_fields=["language"])
    return profile


@transaction.atomic
def save_profile(
    *,
    actor: User,
    student: User,
    interests: str,
    strengths: str,
    preferred_kinds: Iterable[str],
    language: str,
    reading_level: Decimal | None,
    accommodations: Iterable[str],
    accommodations_source: str,
) -> LearnerProfile:
    """The whole profile, by staff who teach the student or lead their school (anyone else: not found)."""
    if not looks_after(actor, student):
        raise NotFound(_("No such student."))
    fields = _checked_own(interests, strengths, preferred_kinds, language)
    codes = sorted(set(accommodations))
    if any(code not in LearnerProfile.Accommodation.values for code in codes):
        raise Invalid(_("Pick accommodations from the list."), field="accommodations")
    if accommodations_source not in SOURCES:
        raise Invalid(_("The plan is an IEP, a 504 plan or none."), field="accommodations_source")
    if codes and not accommodations_source:
        raise Invalid(_("Say which plan the accommodations come from."), field="accommodations_source")
    if reading_level is not None and not Decimal(0) <= reading_level <= Decimal(13):
        raise Invalid(_("A reading level is a grade from 0 (K) to 13."), field="reading_level")
    profile, _created = LearnerProfile.objects.select_for_update().get_or_create(student=student)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.reading_level = reading_level
    profile.accommodations = codes
    profile.accommodations_source = accommodations_source
    profile.updated_by = actor
    profile.save()
    return profile
