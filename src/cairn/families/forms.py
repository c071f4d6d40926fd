"""Forms of the families pages: a teacher's note to a family, a guardian's digest choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.families.models import DigestPreference
from cairn.families.services import NOTE_MAX


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Your note to the family"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Plain words, about this student only. The family reads it on their page and in the email."
        ),
    )


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often do you want the email about your children?"),
        choices=[
            (DigestPreference.Frequency.WEEKLY, _("Every week")),
            (DigestPreference.Frequency.FORTNIGHTLY, _("Every two weeks")),
            (DigestPreference.Frequency.NEVER, _("Never")),
        ],
        widget=forms.RadioSelect,
    )
