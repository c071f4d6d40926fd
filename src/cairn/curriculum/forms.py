"""Forms for the library pages. They validate input; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cairn.curriculum import vetting
from cairn.curriculum.models import Competency, Content, Item, Review, Status
from cairn.curriculum.selectors import ContentFilters
from cairn.curriculum.services.content import ContentInput
from cairn.engine import items as engine_items

HEADING_TYPES = ["Domain", "Cluster", "Grade Level", "Strand"]  # they organise standards; align to standards
GRADES = [("", _("Any grade")), ("0", _("K"))] + [(str(g), str(g)) for g in range(1, 13)]
ACCESSIBILITY = [
    ("captions", _("Captions")),
    ("transcript", _("Transcript")),
    ("alt_text", _("Alt text")),
    ("read_aloud", _("Read-aloud friendly")),
]


class LibrarySearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), max_length=200)
    standard = forms.CharField(
        required=False, label=_("Standard"), max_length=60, help_text=_("e.g. 4.NF or 4.NF.A.1")
    )
    grade = forms.ChoiceField(required=False, choices=GRADES, label=_("Grade"))
    kind = forms.ChoiceField(
        required=False, choices=[("", _("Any kind")), *Content.Kind.choices], label=_("Kind")
    )
    max_reading_level = forms.FloatField(
        required=False,
        min_value=0,
        max_value=20,
        label=_("Reading level at most"),
        help_text=_("grade level"),
    )
    language = forms.CharField(required=False, max_length=20, label=_("Language"))
    accessibility = forms.MultipleChoiceField(
        required=False, choices=ACCESSIBILITY, widget=forms.CheckboxSelectMultiple, label=_("Accessibility")
    )
    status = forms.ChoiceField(
        required=False, choices=[("", _("Any status")), *Status.choices], label=_("Status")
    )
    link_status = forms.ChoiceField(
        required=False,
        choices=[("", "Any link"), *[c for c in Content.LinkStatus.choices if c[0]]],
        label=_("Link"),
    )
    mine = forms.BooleanField(required=False, label=_("Only mine"))
    elsewhere = forms.BooleanField(required=False, label=_("Shared by other districts (to adopt)"))

    def filters(self) -> ContentFilters:
        data = self.cleaned_data if self.is_valid() else {}
        grade = data.get("grade")
        return ContentFilters(
            q=data.get("q", ""),
            standard=data.get("standard", ""),
            grade=int(grade) if grade not in (None, "") else None,
            kind=data.get("kind", ""),
            max_reading_level=data.get("max_reading_level"),
            language=data.get("language", ""),
            accessibility=list(data.get("accessibility", [])),
            status=data.get("status", ""),
            link_status=data.get("link_status", ""),
            mine=bool(data.get("mine")),
            elsewhere=bool(data.get("elsewhere")),
        )


class ContentForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=Content.Kind.choices)
    url = forms.URLField(required=False, max_length=1000, label=_("Link"), assume_scheme="https")
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label=_("Text (HTML allowed; it is cleaned)"),
    )
    competencies = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.exclude(item_type__in=HEADING_TYPES).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label=_("Aligned standards"),
    )
    grade_low = forms.ChoiceField(choices=GRADES, required=False, label=_("Lowest grade"))
    grade_high = forms.ChoiceField(choices=GRADES, required=False, label=_("Highest grade"))
    estimated_minutes = forms.IntegerField(required=False, min_value=1, max_value=600, label=_("Minutes"))
    language = forms.CharField(max_length=20, initial="en")
    captions = forms.BooleanField(required=False)
    transcript = forms.BooleanField(required=False)
    alt_text = forms.BooleanField(required=False, label=_("Alt text"))
    read_aloud = forms.BooleanField(required=False, label=_("Read-aloud friendly"))
    licence = forms.CharField(max_length=200, required=False, initial="CC BY 4.0")
    cost = forms.ChoiceField(choices=Content.Cost.choices)
    source = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not (data.get("body") or "").strip():
            raise forms.ValidationError(_("Give a link or write the activity."))
        low, high = data.get("grade_low"), data.get("grade_high")
        if low not in (None, "") and high not in (None, "") and int(high) < int(low):
            self.add_error("grade_high", "The highest grade is below the lowest.")
        return data

    def content_input(self) -> ContentInput:
        data = self.cleaned_data
        return ContentInput(
            title=data["title"],
            kind=data["kind"],
            body=data.get("body") or "",
            url=data.get("url") or "",
            competency_ids=[c.pk for c in data.get("competencies") or []],
            grade_low=_grade(data.get("grade_low")),
            grade_high=_grade(data.get("grade_high")),
            estimated_minutes=data.get("estimated_minutes"),
            language=data.get("language") or "en",
            captions=bool(data.get("captions")),
            transcript=bool(data.get("transcript")),
            alt_text=bool(data.get("alt_text")),
            read_aloud=bool(data.get("read_aloud")),
            licence=data.get("licence") or "",
            cost=data.get("cost") or Content.Cost.FREE,
            source=data.get("source") or "",
        )


def _grade(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ItemForm(forms.Form):
    """A teacher's own question. Choices go one per line, the right one(s) starting with *."""

    KINDS = [(k, label) for k, label in Item.Kind.choices if k != Item.Kind.TEMPLATE]

    kind = forms.ChoiceField(choices=KINDS, label=_("Kind of question"))
    title = forms.CharField(max_length=300, required=False)
    stem = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        label=_("Question (HTML allowed; it is cleaned)"),
    )
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Choices"),
        help_text=_("Multiple choice: one per line; start the right one(s) with *, e.g. *3/4"),
    )
    answer = forms.CharField(
        required=False,
        max_length=50,
        label=_("Answer"),
        help_text=_("Numeric: a number or fraction, e.g. 3/4 or 0.75"),
    )
    tolerance = forms.CharField(
        required=False,
        max_length=20,
        label=_("Tolerance"),
        help_text=_("Numeric: how far off still counts (0 exact)"),
    )
    accepted = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Accepted answers"),
        help_text=_("Short text: one per line; case and extra spaces are ignored"),
    )
    hints = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Hints"),
        help_text=_("One per line"),
    )
    solution = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Worked solution"),
        help_text=_("One step per line"),
    )
    competencies = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.exclude(item_type__in=HEADING_TYPES).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label=_("Aligned standards"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        spec: dict[str, Any] = {"kind": kind}
        if kind == Item.Kind.CHOICE:
            lines = _lines(data.get("choices") or "")
            if len(lines) < 2:
                self.add_error("choices", "Give at least two choices, one per line.")
            elif not any(line.startswith("*") for line in lines):
                self.add_error("choices", "Start the right choice with *.")
            spec["choices"] = [
                {"id": chr(ord("a") + i), "text": line.lstrip("*").strip()}
                for i, line in enumerate(lines[:26])
            ]
            spec["correct"] = [chr(ord("a") + i) for i, line in enumerate(lines[:26]) if line.startswith("*")]
        elif kind == Item.Kind.NUMERIC:
            if not (data.get("answer") or "").strip():
                self.add_error("answer", "Give the right answer.")
            spec["answer"] = (data.get("answer") or "").strip()
            spec["tolerance"] = (data.get("tolerance") or "").strip() or "0"
        elif kind == Item.Kind.TEXT:
            accepted = _lines(data.get("accepted") or "")
            if not accepted:
                self.add_error("accepted", "Give at least one accepted answer.")
            spec["accepted"] = accepted
        if not self.errors:
            try:
                engine_items.spec_from_dict(spec)
            except engine_items.SpecError as exc:
                field_of = {
                    "choices": "choices",
                    "correct": "choices",
                    "answer": "answer",
                    "tolerance": "tolerance",
                }
                self.add_error(field_of.get(exc.path.split("[")[0].split(".")[0]), exc.message)
        data["spec"] = spec
        return data

    def hint_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("hints") or "")

    def solution_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("solution") or "")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[c for c in Review.Decision.choices if c[0] != Review.Decision.SECTIONS],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in vetting.QUESTIONS:
            self.fields[f"{q.key}_rating"] = forms.ChoiceField(
                choices=vetting.RATINGS, widget=forms.RadioSelect, label=q.text, help_text=q.help
            )
            self.fields[f"{q.key}_note"] = forms.CharField(
                required=False, max_length=1000, label=format_lazy(_("Note: {question}"), question=q.text)
            )

    def questions(self) -> list[tuple[vetting.Question, forms.BoundField, forms.BoundField]]:
        return [(q, self[f"{q.key}_rating"], self[f"{q.key}_note"]) for q in vetting.QUESTIONS]

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            q.key: {
                "rating": self.cleaned_data[f"{q.key}_rating"],
                "note": self.cleaned_data[f"{q.key}_note"],
            }
            for q in vetting.QUESTIONS
        }


class SectionChoiceForm(forms.Form):
    section = forms.IntegerField()
    action = forms.ChoiceField(choices=[("hide", "Hide"), ("replace", "Replace"), ("clear", "Show again")])
    replacement = forms.IntegerField(required=False)


class ItemReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[c for c in Review.Decision.choices if c[0] != Review.Decision.SECTIONS],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to change, or why; the author sees it."),
    )


class StudentStatementForm(forms.Form):
    """What students read for a competency instead of its code and the standard's wording."""

    student_statement = forms.CharField(
        label=_("What students read"),
        required=False,
        max_length=160,
        help_text=_("A short “I can …” sentence a student understands, e.g. “I can compare two fractions.”"),
        widget=forms.TextInput(attrs={"size": 60}),
    )


SUMMARY_HELP = _("For the reviewer: what you changed and why. Students keep the approved version until then.")


class ContentEditForm(ContentForm):
    """Editing content: the same fields and checks as adding it, and a word on what changed."""

    summary = forms.CharField(required=False, max_length=300, label=_("What changed"), help_text=SUMMARY_HELP)

    @staticmethod
    def initial_from(data: dict[str, Any]) -> dict[str, Any]:
        """A version's snapshot (cairn.curriculum.versions) as the form's initial values."""
        initial = {name: value for name, value in data.items() if name in ContentForm.base_fields}
        for name in ("grade_low", "grade_high"):
            initial[name] = "" if data.get(name) is None else str(data[name])
        return initial


class ItemEditForm(ItemForm):
    """Editing a question: the same fields and checks as adding it, and a word on what changed."""

    summary = forms.CharField(required=False, max_length=300, label=_("What changed"), help_text=SUMMARY_HELP)

    @staticmethod
    def initial_from(data: dict[str, Any]) -> dict[str, Any]:
        """A version's snapshot as the form's lines: choices with * before the right ones, hints and steps."""
        spec = data.get("spec") or {}
        right = set(spec.get("correct", []))
        return {
            "kind": data.get("kind"),
            "title": data.get("title", ""),
            "stem": data.get("stem", ""),
            "choices": "\n".join(
                f"{'*' if c['id'] in right else ''}{c['text']}" for c in spec.get("choices", [])
            ),
            "answer": spec.get("answer", ""),
            "tolerance": spec.get("tolerance", ""),
            "accepted": "\n".join(spec.get("accepted", [])),
            "hints": "\n".join(data.get("hints", [])),
            "solution": "\n".join(data.get("solution", [])),
            "competencies": data.get("competencies", []),
        }


VERSION_DECISIONS = [
    ("approve", "Approve: students get this version"),
    ("changes", "Request changes"),
    ("reject", "Reject this version (students keep the live one)"),
]


class VersionReviewForm(ReviewForm):
    """A reviewer's decision on a new version of content: the vetting questions, as for new content."""

    decision = forms.ChoiceField(choices=VERSION_DECISIONS, widget=forms.RadioSelect)


class ItemVersionReviewForm(ItemReviewForm):
    decision = forms.ChoiceField(choices=VERSION_DECISIONS, widget=forms.RadioSelect)
