"""Imports from the upload pages: a CASE package (a file or a provider's URL), a content CSV or QTI items,
first as a dry run (the real import inside a transaction that is rolled back, so the report says exactly
what confirming would create and update, or every problem by file, row and field), then for real.

An uploaded file waits between the two steps under ``MEDIA_ROOT/imports/<token>/`` (a random token the
page keeps in the session); confirming or discarding it removes the folder. Only district admins and
content reviewers may upload: what they import enters review like any other library import.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Forbidden, Invalid, NotFound
from cairn.curriculum import access, ownership
from cairn.curriculum.importers import ImportFailed, ImportReport, Problem, limits
from cairn.curriculum.services import frameworks, imports

KINDS = {
    "case": "Standards: a CASE 1.0 package (JSON file or provider URL)",
    "content": "Library content: a content CSV",
    "qti": "Questions: QTI 2.1 or 3.0 (an XML file or a zip)",
}
SUFFIXES = {"case": (".json",), "content": (".csv",), "qti": (".xml", ".zip")}


@dataclass
class UploadOutcome:
    """What an import did or would do: its report, or the problems that refuse it (nothing written)."""

    kind: str
    source: str
    dry_run: bool
    report: ImportReport | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report is not None

    def rows(self) -> list[tuple[str, int, int]]:
        """(kind of record, new, already there) for the report's table."""
        if self.report is None:
            return []
        kinds = sorted(set(self.report.created) | set(self.report.updated))
        return [(k, self.report.created.get(k, 0), self.report.updated.get(k, 0)) for k in kinds]


def _uploads_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def check_uploader(user: User) -> None:
    if not access.can_review(user):
        raise Forbidden(_("Only district admins and content reviewers import into the library."))


def stage_upload(user: User, *, kind: str, name: str, chunks: Iterable[bytes]) -> str:
    """Keep an uploaded file for the dry run and the confirmation; returns its token."""
    check_uploader(user)
    if kind not in KINDS:
        raise Invalid(f"unknown kind of import {kind!r}", field="kind")
    safe_name = Path(name).name or "upload"
    if not safe_name.lower().endswith(SUFFIXES[kind]):
        raise Invalid(f"expected a {' or '.join(SUFFIXES[kind])} file for this kind", field="file")
    token = secrets.token_urlsafe(16)
    folder = _uploads_root() / token
    folder.mkdir(parents=True)
    size = 0
    with (folder / safe_name).open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if too_big := limits.size_problem(safe_name, size):
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise Invalid(too_big.message, field="file")
            out.write(chunk)
    return token


def staged_path(token: str) -> Path:
    """The file kept under ``token`` (a token is letters, digits, '-' and '_' only)."""
    folder = _uploads_root() / token
    if not token or not token.replace("-", "").replace("_", "").isalnum() or not folder.is_dir():
        raise NotFound(_("That upload is no longer waiting: upload the file again."))
    files = [f for f in folder.iterdir() if f.is_file()]
    if not files:
        raise NotFound(_("That upload is no longer waiting: upload the file again."))
    return files[0]


def discard_upload(token: str) -> None:
    folder = _uploads_root() / token
    if token and token.replace("-", "").replace("_", "").isalnum():
        shutil.rmtree(folder, ignore_errors=True)


def run_upload(user: User, *, kind: str, source: Path | str, dry_run: bool) -> UploadOutcome:
    """Run the import of ``kind`` from ``source`` (a staged file, or for case a provider URL); a dry run
    rolls everything back. A refused import comes back as problems, not as an error."""
    check_uploader(user)
    if isinstance(source, str) and kind != "case":
        raise Invalid(_("a URL is accepted only for a CASE package"), field="url")
    outcome = UploadOutcome(kind, source if isinstance(source, str) else source.name, dry_run)
    try:
        with transaction.atomic():
            outcome.report = _import(user, kind, source)
            if dry_run:
                transaction.set_rollback(True)
    except ImportFailed as refused:
        outcome.problems = refused.problems
    return outcome


def _import(user: User, kind: str, source: Path | str) -> ImportReport:
    """What a person uploads belongs to their district (a platform admin of none: the public library)."""
    district = ownership.home_district(user)
    if kind == "case":
        return frameworks.import_case(source, district=district)
    assert isinstance(source, Path)
    if kind == "content":
        return imports.import_content_csv(source, owner=user, district=district)
    if kind == "qti":
        return imports.import_qti(source, owner=user, district=district)
    raise Invalid(f"unknown kind of import {kind!r}", field="kind")
