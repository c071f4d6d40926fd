"""The teacher's rating of one student's autonomy skill against its rubric."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.agency import autonomy


class RatingForm(forms.Form):
    skill = forms.ChoiceField(widget=forms.HiddenInput)
    level = forms.TypedChoiceField(
        label=_("Level"), coerce=int, choices=[(n, str(n)) for n in autonomy.LEVELS], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args: object, skill: autonomy.Skill | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        skill_field, level_field = self.fields["skill"], self.fields["level"]
        assert isinstance(skill_field, forms.ChoiceField) and isinstance(level_field, forms.ChoiceField)
        skill_field.choices = [(s.key, s.name) for s in autonomy.skills()]
        if skill is not None:
            level_field.choices = [(n, f"{n}: {text}") for n, text in skill.rubric()]
            self.initial.setdefault("skill", skill.key)
