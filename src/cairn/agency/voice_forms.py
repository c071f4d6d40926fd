"""Forms of the voice pages: a student's "ask my teacher" (with a class to pick when they have several) and
a teacher's reply. They parse; :mod:`cairn.agency.voice` checks again and writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import Section
from cairn.agency.voice import MAX_BODY, MAX_REPLY


class AskForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_BODY,
        label=_("What do you want to ask or tell your teacher?"),
        help_text=_("A question, something you're stuck on, or something you want them to know."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what you want to ask your teacher.")},
    )
    section = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Which class?"))

    def __init__(self, sections: Sequence[Section], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.name) for s in sections]  # type: ignore[attr-defined]
        if len(sections) < 2:
            self.fields["section"].widget = forms.HiddenInput()


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_REPLY,
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your reply.")},
    )
