"""The forms of the district admins' course pages: a course's name and grade band, its competencies picked
by framework subject and grade band or by hand, and which course a section studies. They parse and check;
the services in :mod:`cairn.curriculum.services.courses` write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import Course, Section
from cairn.curriculum.models import Competency

GRADES = [("", "—"), ("0", "K"), *[(str(g), str(g)) for g in range(1, 14)]]


def _grade(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


class CourseForm(forms.Form):
    name = forms.CharField(
        max_length=200, label=_("Name"), help_text=_("What teachers and students read, e.g. Grade 4 Math.")
    )
    code = forms.CharField(
        max_length=60, label=_("Code"), help_text=_("Short, unique in the district, e.g. MATH-4.")
    )
    subject = forms.CharField(max_length=80, required=False, label=_("Subject"))
    grade_low = forms.ChoiceField(choices=GRADES, required=False, label=_("Lowest grade"))
    grade_high = forms.ChoiceField(choices=GRADES, required=False, label=_("Highest grade"))
    active = forms.BooleanField(required=False, initial=True, label=_("Active (sections may be put in it)"))

    @classmethod
    def for_course(cls, course: Course, data: Any = None) -> CourseForm:
        initial = {
            "name": course.name,
            "code": course.code,
            "subject": course.subject,
            "grade_low": "" if course.grade_low is None else str(course.grade_low),
            "grade_high": "" if course.grade_high is None else str(course.grade_high),
            "active": course.active,
        }
        return cls(data, initial=initial)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "code": data["code"],
            "subject": data["subject"],
            "grade_low": _grade(data["grade_low"]),
            "grade_high": _grade(data["grade_high"]),
        }


class BandForm(forms.Form):
    """Fill the course with every standard of a subject and grade band (it replaces the list)."""

    subject = forms.CharField(
        max_length=80,
        required=False,
        label=_("Framework subject"),
        help_text=_("Blank: frameworks of any subject."),
    )
    grade_low = forms.ChoiceField(choices=GRADES, required=False, label=_("From grade"))
    grade_high = forms.ChoiceField(choices=GRADES, required=False, label=_("To grade"))

    def band(self) -> tuple[str, int | None, int | None]:
        data = self.cleaned_data
        return data["subject"], _grade(data["grade_low"]), _grade(data["grade_high"])


class PickForm(forms.Form):
    """The course's competencies by hand: ticked ones, in the order listed (the course's first)."""

    competencies = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label=_("Competencies")
    )

    def __init__(
        self, data: Any = None, *, choices: Iterable[Competency], chosen: Iterable[int] = ()
    ) -> None:
        super().__init__(data, initial={"competencies": list(chosen)})
        field = self.fields["competencies"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(c.pk, f"{c.code} · {c.grade_label or '—'} · {c.statement[:90]}") for c in choices]


class SectionCourseForm(forms.Form):
    section = forms.TypedChoiceField(coerce=int, label=_("Section"))
    course = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Course"))

    def __init__(self, data: Any = None, *, sections: Iterable[Section], courses: Iterable[Course]) -> None:
        super().__init__(data)
        section_field, course_field = self.fields["section"], self.fields["course"]
        assert isinstance(section_field, forms.TypedChoiceField)
        assert isinstance(course_field, forms.TypedChoiceField)
        section_field.choices = [(s.pk, f"{s.name} ({s.school.code})") for s in sections]
        course_field.choices = [("", "No course"), *((c.pk, c.name) for c in courses)]
