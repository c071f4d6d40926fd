"""Roster imports from the district admin's page: check an upload (a dry run, kept in the history), run it
once confirmed (a background task that reports its progress), and the course rules the admin sets."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Course, CourseMappingRule, District, RosterImport, User
from cairn.accounts.rosters.apply import apply_roster
from cairn.accounts.rosters.context import Progress
from cairn.accounts.rosters.csv_package import CsvPackage
from cairn.accounts.rosters.report import RosterReport
from cairn.accounts.rosters.selectors import progress_key
from cairn.core import audit
from cairn.core.errors import Conflict, Invalid

ENTITY_SHARE = {"orgs": 2, "academicSessions": 1, "courses": 1, "classes": 6, "users": 40, "roles": 5,
                "enrollments": 44, "demographics": 1}  # fmt: skip


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "rosters"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read(path: Path, district: District, **options: object) -> RosterReport:
    try:
        package = CsvPackage(path)
    except Invalid as refused:
        report = RosterReport(source=path.name, dry_run=bool(options.get("dry_run")))
        report.refuse(str(refused))
        return report
    try:
        return apply_roster(district, package, **options)  # type: ignore[arg-type]
    finally:
        package.close()


def check_upload(
    *, district: District, by: User, upload: UploadedFile, queue: Callable[[int], object]
) -> RosterImport:
    """Keep the uploaded package and queue its check (a dry run, in the background: a large district's
    file takes a while); the history row will hold what the import would do. ``queue`` starts the
    background run of an import id (the page passes its Celery task: the task calls back into this
    module, so this module does not import it)."""
    name = Path(upload.name or "roster.zip").name[:200]
    path = _folder() / f"{uuid.uuid4().hex}.zip"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    with transaction.atomic():
        queued = RosterImport.objects.create(
            district=district,
            by=by,
            source_name=name,
            dry_run=True,
            status=RosterImport.Status.QUEUED,
            package_path=str(path),
        )
        transaction.on_commit(lambda: queue(queued.pk))
    return queued


def confirm_import(*, roster_import: RosterImport, by: User, queue: Callable[[int], object]) -> RosterImport:
    """Queue the checked package for the real import (it runs after this commits; ``queue`` as above)."""
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if locked.status != RosterImport.Status.CHECKED or not locked.package_path:
            raise Conflict(_("This import was already run or refused; upload the file again."))
        locked.status, locked.dry_run, locked.by = RosterImport.Status.QUEUED, False, by
        locked.save(update_fields=["status", "dry_run", "by"])
        transaction.on_commit(lambda: queue(locked.pk))
    return locked


def _progress_to_cache(import_id: int) -> Progress:
    order = list(ENTITY_SHARE)

    def progress(entity: str, done: int, total: int | None) -> None:
        before = sum(ENTITY_SHARE[e] for e in order[: order.index(entity)])
        part = min(done / total, 1.0) if total else 1.0
        percent = int(before + ENTITY_SHARE[entity] * part)
        figures = {"entity": entity, "done": done, "total": total, "percent": percent}
        cache.set(progress_key(import_id), figures, 3600)

    return progress


def run_import(import_id: int) -> str:
    """The task's body: check (a dry run) or import the kept package and record the report. The package
    is removed once imported or refused (it holds personal data)."""
    item = RosterImport.objects.select_related("district", "by").get(pk=import_id)
    RosterImport.objects.filter(pk=import_id).update(status=RosterImport.Status.RUNNING)
    path = Path(item.package_path)
    try:
        report = _read(
            path, item.district, dry_run=item.dry_run, by=item.by, progress=_progress_to_cache(import_id)
        )
    except Exception:
        RosterImport.objects.filter(pk=import_id).update(
            status=RosterImport.Status.FAILED, finished_at=timezone.now(), package_path=""
        )
        path.unlink(missing_ok=True)
        raise
    finally:
        cache.delete(progress_key(import_id))
    report.source = item.source_name
    if report.refused:
        status = RosterImport.Status.REFUSED
    else:
        status = RosterImport.Status.CHECKED if item.dry_run else RosterImport.Status.DONE
    keep = status == RosterImport.Status.CHECKED
    if not keep:
        path.unlink(missing_ok=True)
    RosterImport.objects.filter(pk=import_id).update(
        status=status,
        report=report.to_dict(),
        package_path=str(path) if keep else "",
        finished_at=timezone.now(),
    )
    if status == RosterImport.Status.DONE:
        detail = {"roster_import": import_id, **report.as_json()}
        audit.record(
            audit.AuditAction.ENROLMENT_CHANGED, actor=item.by, district=item.district, detail=detail
        )
    return str(status)


@transaction.atomic
def add_course_rule(
    *, district: District, subject: str, grade_low: int, grade_high: int, course: Course
) -> CourseMappingRule:
    if course.district_id != district.pk:
        raise Invalid(_("Choose one of this district's courses."), field="course")
    if not 0 <= grade_low <= grade_high <= 13:
        raise Invalid(_("Grades run from K (0) to 12, the lowest first."), field="grade_high")
    return CourseMappingRule.objects.create(
        district=district, subject=subject.strip(), grade_low=grade_low, grade_high=grade_high, course=course
    )


def delete_course_rule(*, district: District, rule_id: int) -> None:
    CourseMappingRule.objects.filter(district=district, pk=rule_id).delete()
