"""Forms for the student's goal page: parse what was typed and keep it, with the message beside the field,
when it is refused. The service does the work (and checks again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.agency.models import Reflection


class GoalForm(forms.Form):
    competencies = forms.IntegerField(
        min_value=1,
        max_value=20,
        label=_("Competencies to master this week"),
        error_messages={
            "required": _("Pick how many to master: a number from 1 to 20."),
            "invalid": _("Pick how many to master: a number from 1 to 20."),
            "min_value": _("Pick between 1 and 20 competencies for a week."),
            "max_value": _("Pick between 1 and 20 competencies for a week."),
        },
    )
    minutes = forms.IntegerField(
        min_value=10,
        max_value=600,
        label=_("Minutes of practice this week"),
        widget=forms.NumberInput(attrs={"step": "5"}),
        error_messages={
            "required": _("Pick the minutes: a number from 10 to 600."),
            "invalid": _("Pick the minutes: a number from 10 to 600."),
            "min_value": _("Pick between 10 and 600 minutes for a week."),
            "max_value": _("Pick between 10 and 600 minutes for a week."),
        },
    )
    note = forms.CharField(required=False, max_length=300, label=_("Why this goal? (optional)"))


class ReflectionForm(forms.Form):
    """How the session felt (required) and three optional notes; kept as typed when the feeling is missing."""

    feeling = forms.ChoiceField(
        choices=Reflection.Feeling.choices,
        widget=forms.RadioSelect,
        label=_("Today felt…"),
        error_messages={
            "required": _("Choose how the session felt."),
            "invalid_choice": _("Choose how the session felt."),
        },
    )
    learned = forms.CharField(
        required=False,
        max_length=500,
        label=_("What did you learn or practice?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_step = forms.CharField(
        required=False,
        max_length=500,
        label=_("What will you do next time?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ask_teacher = forms.CharField(
        required=False,
        max_length=500,
        label=_("Anything you want your teacher to know?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
