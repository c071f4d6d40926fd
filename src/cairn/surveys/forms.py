"""Forms of the survey pages: answering (one radio group a question, any may be skipped), the district's
survey editor and opening a window. They parse and check; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.surveys.models import Survey
from cairn.surveys.pulse import question_text
from cairn.surveys.services import LIKERT


class AnswerForm(forms.Form):
    def __init__(self, survey: Survey, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in survey.questions.all():
            self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                label=question_text(q),
                choices=list(LIKERT.items()),
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value not in (None, "")}


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    audience = forms.ChoiceField(choices=Survey.Audience.choices, label=_("Who answers it"))
    intro = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("A line to begin")
    )
    anonymous = forms.BooleanField(required=False, initial=True, label=_("Anonymous (recommended)"))
    active = forms.BooleanField(required=False, initial=True, label=_("In use"))
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        label=_("Questions"),
        help_text=_(
            "One question a line: Scale | question. Add “| reverse” when agreeing is the bad answer. "
            "Answers are from 1 (strongly disagree) to 5 (strongly agree)."
        ),
    )


class WindowForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"), help_text=_("e.g. Fall (pre)"))
    opens = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    closes = forms.DateField(label=_("Closes"), widget=forms.DateInput(attrs={"type": "date"}))
    school = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label=_("School (all: leave empty)")
    )

    def __init__(self, schools: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", _("Whole district")), *schools]  # type: ignore[attr-defined]
