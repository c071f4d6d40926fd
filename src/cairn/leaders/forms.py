"""Forms for the district's definition and goals: parse and keep what was typed; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from cairn.accounts.models import Course, School
from cairn.leaders import measures
from cairn.leaders.models import Definition, Goal
from cairn.leaders.models.goals import Pillar
from cairn.leaders.services import AUDIENCES

_TEXT = forms.Textarea(attrs={"rows": 3})


class DefinitionForm(forms.Form):
    """One box to commit to each pillar, then what it looks like for students, teachers and leaders."""

    summary = forms.CharField(
        required=False, widget=_TEXT, label=_lazy("What personalized learning means here")
    )
    family_text = forms.CharField(
        required=False,
        widget=_TEXT,
        label=_lazy("For families, in plain words"),
        help_text="Short sentences, no jargon.",
    )

    def __init__(self, *args: Any, current: Definition | None = None, **kwargs: Any) -> None:
        if current is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {"summary": current.summary, "family_text": current.family_text}
            for key, texts in current.pillars.items():
                initial[f"{key}_chosen"] = True
                initial.update({f"{key}_{a}": texts.get(a, "") for a in AUDIENCES})
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for pillar in Pillar:
            self.fields[f"{pillar.value}_chosen"] = forms.BooleanField(required=False, label=pillar.label)
            for audience in AUDIENCES:
                self.fields[f"{pillar.value}_{audience}"] = forms.CharField(
                    required=False, widget=_TEXT, label=f"What it looks like for {audience}"
                )

    def pillar_groups(self) -> list[tuple[str, Any, list[Any]]]:
        return [
            (p.label, self[f"{p.value}_chosen"], [self[f"{p.value}_{a}"] for a in AUDIENCES]) for p in Pillar
        ]

    def pillars(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            p.value: {a: data.get(f"{p.value}_{a}", "") for a in AUDIENCES}
            for p in Pillar
            if data.get(f"{p.value}_chosen")
        }


class GoalForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="e.g. 80% of grade 4 students proficient in fractions by May"
    )
    measure_key = forms.ChoiceField(label=_lazy("Measure"))
    course = forms.ModelChoiceField(
        queryset=Course.objects.none(), required=False, help_text="For a measure per course."
    )
    threshold = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        help_text="Share of the course to master (0..1, default 0.8).",
    )
    extra = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_lazy("Other settings of the measure"),
        help_text="One a line, name=value (the names each measure takes are listed below).",
    )
    baseline = forms.FloatField()
    target = forms.FloatField()
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    target_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, schools: Sequence[School], district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure_key"].choices = measures.choices()  # type: ignore[attr-defined]
        self.fields["course"].queryset = Course.objects.filter(district_id=district_id)  # type: ignore[attr-defined]
        self.schools = list(schools)
        for school in self.schools:
            self.fields[f"school_{school.pk}"] = forms.FloatField(
                required=False, label=f"Target for {school.name}", help_text="Empty: the district's target."
            )

    @staticmethod
    def initial_for(goal: Goal) -> dict[str, Any]:
        params = goal.measure_params
        initial: dict[str, Any] = {
            "title": goal.title,
            "measure_key": goal.measure_key,
            "course": params.get("course_id"),
            "threshold": params.get("threshold"),
            "extra": "\n".join(f"{k}={v}" for k, v in params.items() if k not in ("course_id", "threshold")),
            "baseline": goal.baseline,
            "target": goal.target,
            "start_date": goal.start_date,
            "target_date": goal.target_date,
        }
        initial.update({f"school_{t.school_id}": t.target for t in goal.school_targets.all()})
        return initial

    def clean_extra(self) -> dict[str, str]:
        params = {}
        for line in (self.cleaned_data.get("extra") or "").splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(f"Write each setting as name=value: {line.strip()!r}.")
            params[name.strip()] = value.strip()
        return params

    def school_fields(self) -> list[Any]:
        return [self[f"school_{s.pk}"] for s in self.schools]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        course = data.get("course")
        return {
            "title": data["title"],
            "measure_key": data["measure_key"],
            "measure_params": {
                **data.get("extra", {}),
                "course_id": course.pk if course else None,
                "threshold": data.get("threshold"),
            },
            "baseline": data["baseline"],
            "target": data["target"],
            "start_date": data["start_date"],
            "target_date": data["target_date"],
            "school_targets": {
                s.pk: data[f"school_{s.pk}"] for s in self.schools if data.get(f"school_{s.pk}") is not None
            },
        }
