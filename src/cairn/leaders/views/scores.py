"""The district admin's upload page for outside scores: choose a file, see the dry-run report (or every
problem, by row), then confirm. The checked file waits in the session until confirmed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cairn.accounts.access import person
from cairn.accounts.models import Role
from cairn.accounts.views import role_required
from cairn.core.errors import Invalid
from cairn.leaders import access
from cairn.leaders.importers.scores import import_scores

PENDING = "leaders_scores_upload"
MAX_BYTES = 20 * 1024 * 1024


class ScoresUploadForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Scores file (CSV)"),
        help_text="Columns: student, assessment, window or date, subject, score, scale (optional).",
    )


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def upload(request: HttpRequest, district_id: int) -> HttpResponse:
    user = person(request)
    district = access.district_for_admin(user, district_id)
    pending = request.session.get(PENDING)
    if pending and pending.get("district") != district.pk:
        pending = None
    form = ScoresUploadForm()
    report, problems = None, ""
    if request.method == "POST" and "confirm" in request.POST and pending:
        done = import_scores(pending["text"], district=district, by=user, name=pending["name"])
        del request.session[PENDING]
        messages.success(
            request,
            _("Imported %(name)s: %(summary)s.") % {"name": pending["name"], "summary": done.summary()},
        )
        return redirect("leaders-scores-upload", district.pk)
    if request.method == "POST":
        form = ScoresUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                raise Invalid("The file is over 20 MB: import it with `cairn import scores`.", field="file")
            text = upload.read().decode("utf-8-sig", errors="replace")
            try:
                report = import_scores(text, district=district, by=user, name=upload.name, dry_run=True)
            except Invalid as refused:  # shown whole, with every row at fault
                problems = refused.message
            else:
                request.session[PENDING] = {"district": district.pk, "name": upload.name, "text": text}
    context = {"district": district, "form": form, "report": report, "problems": problems}
    return render(request, "leaders/scores_upload.html", context, status=400 if problems else 200)
