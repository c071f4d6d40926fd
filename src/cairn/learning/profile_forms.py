"""The learner profile's forms: the student's own part, and the whole profile for the staff who look after
them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.learning.models import LearnerProfile

KIND_CHOICES = [
    ("practice", _("Practice questions")),
    ("video", _("Videos")),
    ("reading", _("Reading")),
    ("interactive", _("Interactive activities")),
    ("project", _("Projects")),
    ("offline", _("Hands-on, away from the screen")),
]
LANGUAGE_CHOICES = [("", _("Not set")), ("en", "English"), ("es", "Español")]
ACCOMMODATION_CHOICES = [
    (LearnerProfile.Accommodation.READ_ALOUD, _("Read aloud (questions and activities)")),
    (LearnerProfile.Accommodation.EXTENDED_TIME, _("Extended time")),
    (LearnerProfile.Accommodation.FEWER_CHOICES, _("Fewer choices at once")),
    (LearnerProfile.Accommodation.LARGER_TEXT, _("Larger text")),
]
SOURCE_CHOICES = [("", _("No plan")), ("IEP", _("IEP")), ("504", _("504 plan"))]


class OwnProfileForm(forms.Form):
    """What the student says about themselves."""

    interests = forms.CharField(
        max_length=300,
        required=False,
        label=_("What I'm interested in"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    strengths = forms.CharField(
        max_length=300, required=False, label=_("What I'm good at"), widget=forms.Textarea(attrs={"rows": 2})
    )
    preferred_kinds = forms.MultipleChoiceField(
        choices=KIND_CHOICES,
        required=False,
        label=_("How I like to learn"),
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False, label=_("My language"))


class StaffProfileForm(OwnProfileForm):
    """The whole profile, for the student's teachers and school leaders (accommodations included)."""

    reading_level = forms.DecimalField(
        min_value=0,
        max_value=13,
        decimal_places=1,
        required=False,
        label=_("Reading level (grade)"),
        help_text=_("Blank: the student's grade."),
    )
    accommodations = forms.MultipleChoiceField(
        choices=ACCOMMODATION_CHOICES,
        required=False,
        label=_("Accommodations"),
        widget=forms.CheckboxSelectMultiple,
    )
    accommodations_source = forms.ChoiceField(
        choices=SOURCE_CHOICES, required=False, label=_("From the plan")
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["interests"].label = _("Interests")
        self.fields["strengths"].label = _("Strengths")
        self.fields["preferred_kinds"].label = _("Preferred ways to learn")
        self.fields["language"].label = _("Language the student learns in best")


def initial_for(profile: LearnerProfile) -> dict[str, object]:
    return {
        "interests": profile.interests,
        "strengths": profile.strengths,
        "preferred_kinds": list(profile.preferred_kinds or []),
        "language": profile.language,
        "reading_level": profile.reading_level,
        "accommodations": list(profile.accommodations or []),
        "accommodations_source": profile.accommodations_source,
    }
