"""Forms for the teacher pages' plans: they parse and check what the teacher typed, and keep it, with the
message beside the field, when the service refuses it. Services do the work (and check again)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from cairn.curriculum.models import Competency
from cairn.engine.grouping import StationKind
from cairn.insights.services.stations import StationInput

STATION_DEFAULTS = [
    ("Teacher table", StationKind.TEACHER_LED, "Mini-lesson for the group's need"),
    ("Online practice", StationKind.ONLINE, "Practice from each student's board"),
    ("Partner work", StationKind.COLLABORATIVE, "Game or problem with a partner"),
    ("Hands-on", StationKind.OFFLINE, "Manipulatives or a worksheet"),
    ("", StationKind.OFFLINE, ""),  # room for a fifth
]
STATION_KINDS = [(k.value, k.value.replace("_", " ").capitalize()) for k in StationKind]


def _required(what: str) -> dict[str, str]:
    return {"required": f"The {what} can't be empty.", "invalid": f"Enter a valid {what}."}


class StationPlanForm(forms.Form):
    """A period's settings; the stations come as rows (``StationRow``) beside it."""

    title = forms.CharField(max_length=200, initial="Station rotation", error_messages=_required("title"))
    lesson_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), error_messages=_required("lesson date")
    )
    block_minutes = forms.IntegerField(
        min_value=5, max_value=90, initial=15, label="Minutes per block", error_messages=_required("minutes")
    )
    rotations = forms.IntegerField(
        min_value=1, max_value=6, initial=4, label="Blocks (rotations)", error_messages=_required("blocks")
    )


@dataclass
class StationRow:
    """One station row as typed (kept as typed after a refusal) and the message for it, if any."""

    number: int
    name: str
    kind: str
    activity: str
    error: str = ""

    def as_input(self) -> StationInput:
        return StationInput(self.name, self.kind, self.activity)


def station_rows(data: QueryDict | None) -> list[StationRow]:
    """The rows as posted (empty names too, so the table keeps its shape), or the defaults."""
    if data is None:
        return [StationRow(i, n, k.value, a) for i, (n, k, a) in enumerate(STATION_DEFAULTS, start=1)]
    names, kinds, activities = (data.getlist(k) for k in ("station_name", "station_kind", "station_activity"))
    kinds += [""] * (len(names) - len(kinds))
    activities += [""] * (len(names) - len(activities))
    return [StationRow(i, *row) for i, row in enumerate(zip(names, kinds, activities, strict=False), start=1)]


class TieredTaskForm(forms.Form):
    """One task at three levels; the competency is picked from the students' path."""

    title = forms.CharField(max_length=200, error_messages=_required("title"))
    competency = forms.ChoiceField(error_messages={"required": "Choose a competency."})
    support = forms.CharField(
        max_length=2000,
        label="Support level",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("support"),
    )
    core = forms.CharField(
        max_length=2000,
        label="Core level",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("core"),
    )
    extend = forms.CharField(
        max_length=2000,
        label="Extend level",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("extend"),
    )

    def __init__(self, *args: Any, competencies: Sequence[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(c.pk), f"{c.code} — {truncate(c.statement, 60)}") for c in competencies]


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class GroupEditForm(forms.Form):
    """A saved group's name, date and note (its members and activity are picked, not typed)."""

    name = forms.CharField(max_length=120, error_messages=_required("name"))
    for_date = forms.DateField(
        required=False,
        label="For",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date like 2026-11-24."},
    )
    note = forms.CharField(required=False, max_length=300)
