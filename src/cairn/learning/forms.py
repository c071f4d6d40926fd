"""Forms for the adults' learning pages: a section's release rules and the district's mastery policy. They
parse and check what a person chose and keep it, with the message beside the field, when it is refused;
services do the work (and check again)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cairn.curriculum.models import Competency, Content
from cairn.curriculum.ownership import approved_content_for
from cairn.learning.selectors.release_rules import DIAGNOSTIC_LEVELS, competency_words
from cairn.learning.services.release_rules import KINDS


class ReleaseRuleForm(forms.Form):
    """ "Open <competency> when …": the kind picks which of the four pickers counts."""

    competency = forms.ChoiceField(
        label=_("Open this competency"),
        error_messages={"required": _("Choose the competency the rule opens.")},
    )
    kind = forms.ChoiceField(
        choices=list(KINDS.items()),
        widget=forms.RadioSelect,
        initial="when_mastered",
        label=_("only…"),
        error_messages={"required": _("Choose what the rule waits for.")},
    )
    needs = forms.ChoiceField(required=False, label=_("Competency to master first"))
    activity = forms.ChoiceField(required=False, label=_("Activity to do first"))
    date = forms.DateField(
        required=False,
        label=_("Date it opens"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2027-01-10.")},
    )
    level = forms.ChoiceField(
        required=False,
        label=_("Diagnostic level"),
        choices=[
            (f"{value:g}", format_lazy(_("“{words}” or higher"), words=_(words)))
            for value, words in DIAGNOSTIC_LEVELS
        ],
        initial="-0.5",
    )

    # What each kind needs, and the message when it is missing (shown beside that picker).
    NEEDS = {
        "when_mastered": ("needs", _("Choose the competency to master first.")),
        "after_activity": ("activity", _("Choose the activity to do first.")),
        "from_date": ("date", _("Choose the date it opens.")),
        "diagnostic_above": ("level", _("Choose the diagnostic level.")),
    }

    def __init__(
        self, *args: Any, competencies: Sequence[Competency], district_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(c.pk): c for c in competencies}
        self.by_code = {c.code: c for c in competencies}
        self._choices("competency", [(str(c.pk), competency_words(c)) for c in competencies])
        self._choices("needs", [("", "—"), *[(c.code, competency_words(c)) for c in competencies]])
        activities = (  # what the section's district may use: its own, adopted and the platform's
            approved_content_for(district_id)
            .order_by("title", "pk")
            .values_list("identifier", "title", "kind")
        )
        kinds = dict(Content.Kind.choices)
        self._choices(
            "activity",
            [
                ("", "—"),
                *[(i, f"{title} ({kinds.get(kind, kind).lower()})") for i, title, kind in activities],
            ],
        )

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in self.NEEDS:
            field, message = self.NEEDS[kind]
            if not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        return data

    def chosen_competency(self) -> Competency:
        return self.by_pk[self.cleaned_data["competency"]]

    def rule_input(self) -> tuple[str, str]:
        """The kind and its one value, as the service's ``build_rule`` takes them."""
        kind = self.cleaned_data["kind"]
        field, _message = self.NEEDS[kind]
        value = self.cleaned_data[field]
        return kind, value.isoformat() if field == "date" else str(value)

    def names(self) -> dict[str, str]:
        """Competencies' words by code, for the rule's sentence."""
        return {code: competency_words(c) for code, c in self.by_code.items()}


class PolicyForm(forms.Form):
    """The district's mastery policy; the service checks how the numbers fit together."""

    method = forms.ChoiceField(
        choices=[
            ("check", _("Estimate, then a short check (recommended)")),
            ("posterior", _("Estimate only")),
        ],
        initial="check",
        required=False,  # a form posted without it keeps the default, the check
        label=_("How mastery is decided"),
        help_text=_(
            "“Estimate only” moves a student on as soon as the learner model is sure they know it, with no "
            "check: fewer questions, but it trusts the model, so use it with a threshold of about 0.997 and "
            "a model refitted on your own students."
        ),
    )
    threshold = forms.FloatField(
        min_value=0.5,
        max_value=0.999,
        label=_("Mastery estimate needed (0.5–0.99 with a check, up to 0.999 on the estimate only)"),
        widget=forms.NumberInput(attrs={"step": "0.001"}),
    )
    check_items = forms.IntegerField(
        min_value=0, max_value=10, label=_("Questions in the check (0 for no check)")
    )
    check_to_pass = forms.IntegerField(
        min_value=0, max_value=10, label=_("Right answers needed to pass the check")
    )
    wheel_spin_attempts = forms.IntegerField(
        min_value=3,
        max_value=50,
        label=_("Answers without progress before drilling stops (research default: 10)"),
    )

    def clean_method(self) -> str:
        return str(self.cleaned_data.get("method") or "check")
