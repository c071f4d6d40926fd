"""The upload pages: a district admin or a content reviewer uploads a CASE package (or gives its URL), a
content CSV or QTI items, reads the dry-run report (what will be created and updated, or every problem by
file, row and field) and confirms; the import then runs for real. ``services.uploads`` does the work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts.access import person
from cairn.core.errors import NotFound
from cairn.curriculum import access
from cairn.curriculum.services import uploads
from cairn.curriculum.upload_forms import UploadForm

SESSION_KEY = "curriculum_upload"


def _uploader(request: HttpRequest) -> None:
    if not access.can_review(person(request)):
        raise PermissionDenied(_("Only district admins and content reviewers import into the library."))


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """The form (GET), then the dry run of what was uploaded (POST)."""
    _uploader(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "curriculum/upload.html", {"form": form, "kinds": uploads.KINDS}, status=status
        )
    user, kind = person(request), form.cleaned_data["kind"]
    if url := form.cleaned_data["url"]:
        pending, source = {"kind": kind, "url": url}, url
    else:
        file = form.cleaned_data["file"]
        token = uploads.stage_upload(user, kind=kind, name=file.name, chunks=file.chunks())
        pending, source = {"kind": kind, "token": token}, uploads.staged_path(token)
    if old := request.session.get(SESSION_KEY):
        uploads.discard_upload(old.get("token", ""))
    request.session[SESSION_KEY] = pending
    outcome = uploads.run_upload(user, kind=kind, source=source, dry_run=True)
    return render(request, "curriculum/upload_report.html", {"outcome": outcome})


@login_required
@require_POST
def upload_confirm(request: HttpRequest) -> HttpResponse:
    """Import what the dry run showed, for real; the staged file is then removed."""
    _uploader(request)
    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        raise NotFound(_("Nothing is waiting to be imported: upload the file again."))
    source = pending.get("url") or uploads.staged_path(pending.get("token", ""))
    outcome = uploads.run_upload(person(request), kind=pending["kind"], source=source, dry_run=False)
    uploads.discard_upload(pending.get("token", ""))
    return render(request, "curriculum/upload_report.html", {"outcome": outcome})
