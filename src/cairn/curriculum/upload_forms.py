"""The upload page's form: what kind of import, and a file (or, for a CASE package, a provider's URL)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.curriculum.services.uploads import KINDS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=list(KINDS.items()), label=_("What you are importing"))
    file = forms.FileField(
        required=False, label=_("File"), help_text=_("JSON, CSV, XML or zip, as the kind says.")
    )
    url = forms.URLField(
        assume_scheme="https",
        required=False,
        max_length=500,
        label=_("Or, for standards, the provider's package URL"),
        help_text=_("e.g. https://provider.example.org/ims/case/v1p0/CFPackages/{identifier}"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file, has_url = bool(data.get("file")), bool(data.get("url"))
        if has_file == has_url:
            raise forms.ValidationError(_("Give a file or a URL (one of the two)."))
        if has_url and data.get("kind") != "case":
            self.add_error("url", "A URL is accepted only for standards (a CASE package).")
        return data
