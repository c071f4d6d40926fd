"""The teacher's form to add a competency to their section or take one out of it, with the reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from cairn.curriculum.models import Competency
from cairn.learning.models import SectionCompetency


class SectionScopeForm(forms.Form):
    competency = forms.TypedChoiceField(coerce=int, label="Competency")
    action = forms.ChoiceField(choices=SectionCompetency.Action.choices, label="Change")
    reason = forms.CharField(
        max_length=300, label="Why", help_text="Kept with the change and shown to the class's other teachers."
    )

    def __init__(self, data: Any = None, *, competencies: Iterable[Competency]) -> None:
        super().__init__(data)
        field = self.fields["competency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose…"), *((c.pk, f"{c.code} · {c.statement[:80]}") for c in competencies)]
