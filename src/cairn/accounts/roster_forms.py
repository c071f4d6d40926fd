"""Forms of the roster pages: the upload, and a course rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import Course

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a large district's zipped export is tens of megabytes


class RosterUploadForm(forms.Form):
    package = forms.FileField(
        label=_("OneRoster CSV package (zip)"),
        help_text=_("Your SIS's OneRoster 1.1 or 1.2 export. Nothing changes until you confirm."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_package(self) -> Any:
        package = self.cleaned_data["package"]
        if package.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB; export it in parts (delta)."))
        return package


class CourseRuleForm(forms.Form):
    subject = forms.CharField(
        max_length=80,
        required=False,
        label=_("Subject"),
        help_text=_("As your SIS writes it (e.g. Math); blank for any subject."),
    )
    grade_low = forms.IntegerField(min_value=0, max_value=13, label=_("From grade"), help_text=_("K is 0."))
    grade_high = forms.IntegerField(min_value=0, max_value=13, label=_("To grade"))
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label=_("Course"))

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
