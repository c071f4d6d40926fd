"""The district admin's form for registering an LMS (the same fields as ``cairn lti add-platform``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PlatformForm(forms.Form):
    name = forms.CharField(
        max_length=255, label=_("Name"), help_text=_("What to call this LMS, e.g. District Canvas.")
    )
    issuer = forms.CharField(
        max_length=255, label=_("Issuer"), help_text=_("The LMS's issuer (iss), from its developer key page.")
    )
    client_id = forms.CharField(max_length=255, label=_("Client ID"))
    deployment_id = forms.CharField(max_length=255, label=_("Deployment ID"))
    auth_url = forms.CharField(max_length=200, label=_("Authorization (login) URL"))
    token_url = forms.CharField(max_length=200, label=_("Access token URL"))
    keyset_url = forms.CharField(max_length=200, label=_("Public keyset (JWKS) URL"))
    frame_origins = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Other web addresses of the LMS"),
        help_text=_(
            "Only if the LMS's pages are not at its issuer's address (one a line), e.g. "
            "https://district.instructure.com."
        ),
    )
