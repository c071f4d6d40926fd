"""The walkthrough form: the school, the class (optional), one checkbox per look-for, notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from cairn.accounts.models import School, Section
from cairn.leaders.lookfors import LookFor


class WalkthroughForm(forms.Form):
    school = forms.TypedChoiceField(coerce=int, label=_lazy("School"))
    section = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label=_lazy("Class (optional)")
    )
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), label=_lazy("Notes")
    )

    def __init__(
        self,
        *args: Any,
        schools: Sequence[School],
        sections: Sequence[Section],
        looks: Sequence[LookFor],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]  # type: ignore[attr-defined]
        self.fields["section"].choices = [("", "No class in particular")] + [  # type: ignore[attr-defined]
            (s.pk, f"{s.name} ({s.school.name})") for s in sections
        ]
        self.looks = list(looks)
        for look in self.looks:
            self.fields[f"look_{look.key}"] = forms.BooleanField(required=False, label=look.text)

    def look_fields(self) -> list[Any]:
        return [self[f"look_{look.key}"] for look in self.looks]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "school_id": data["school"],
            "section_id": data["section"],
            "notes": data["notes"],
            "seen": {look.key for look in self.looks if data.get(f"look_{look.key}")},
        }
