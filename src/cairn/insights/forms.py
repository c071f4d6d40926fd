"""Forms for the teacher pages' plans: they parse and check what the teacher typed, and keep it, with the
message beside the field, when the service refuses it. Services do the work (and check again)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cairn.curriculum.models import Competency
from cairn.engine.grouping import StationKind
from cairn.insights.services.stations import StationInput

STATION_DEFAULTS = [
    (_("Teacher table"), StationKind.TEACHER_LED, _("Mini-lesson for the group's need")),
    (_("Online practice"), StationKind.ONLINE, _("Practice from each student's board")),
    (_("Partner work"), StationKind.COLLABORATIVE, _("Game or problem with a partner")),
    (_("Hands-on"), StationKind.OFFLINE, _("Manipulatives or a worksheet")),
    ("", StationKind.OFFLINE, ""),  # room for a fifth
]
STATION_KINDS = [
    (StationKind.TEACHER_LED.value, _("Teacher led")),
    (StationKind.ONLINE.value, _("Online")),
    (StationKind.COLLABORATIVE.value, _("Collaborative")),
    (StationKind.OFFLINE.value, _("Offline")),
]


def _required(what: Promise) -> dict[str, Any]:
    return {
        "required": format_lazy(_("The {what} can't be empty."), what=what),
        "invalid": format_lazy(_("Enter a valid {what}."), what=what),
    }


class StationPlanForm(forms.Form):
    """A period's settings; the stations come as rows (``StationRow``) beside it."""

    title = forms.CharField(
        max_length=200, label=_("Title"), initial=_("Station rotation"), error_messages=_required(_("title"))
    )
    lesson_date = forms.DateField(
        label=_("Lesson date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=_required(_("lesson date")),
    )
    block_minutes = forms.IntegerField(
        min_value=5,
        max_value=90,
        initial=15,
        label=_("Minutes per block"),
        error_messages=_required(_("minutes")),
    )
    rotations = forms.IntegerField(
        min_value=1,
        max_value=6,
        initial=4,
        label=_("Blocks (rotations)"),
        error_messages=_required(_("blocks")),
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
        return [
            StationRow(i, str(n), k.value, str(a)) for i, (n, k, a) in enumerate(STATION_DEFAULTS, start=1)
        ]
    names, kinds, activities = (data.getlist(k) for k in ("station_name", "station_kind", "station_activity"))
    kinds += [""] * (len(names) - len(kinds))
    activities += [""] * (len(names) - len(activities))
    return [StationRow(i, *row) for i, row in enumerate(zip(names, kinds, activities, strict=False), start=1)]


class TieredTaskForm(forms.Form):
    """One task at three levels; the competency is picked from the students' path."""

    title = forms.CharField(max_length=200, label=_("Title"), error_messages=_required(_("title")))
    competency = forms.ChoiceField(
        label=_("Competency"), error_messages={"required": _("Choose a competency.")}
    )
    support = forms.CharField(
        max_length=2000,
        label=_("Support level"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("support")),
    )
    core = forms.CharField(
        max_length=2000,
        label=_("Core level"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("core")),
    )
    extend = forms.CharField(
        max_length=2000,
        label=_("Extend level"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("extend")),
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

    name = forms.CharField(max_length=120, label=_("Name"), error_messages=_required(_("name")))
    for_date = forms.DateField(
        required=False,
        label=_("For"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-11-24.")},
    )
    note = forms.CharField(required=False, max_length=300, label=_("Note"))
