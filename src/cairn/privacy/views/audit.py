"""The audit trail's page: "who saw this student's data this term?" for a district admin (their district's
students) or a school leader (their school's), with a date range and a CSV export.

Who may look is who may see the student (``cairn.accounts.access``), narrowed to the roles that oversee
schools: a teacher, a student or a guardian gets 403, a student outside the viewer's schools 404 (the same
answer as no such student). Exporting the list is itself recorded."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cairn.accounts import access
from cairn.accounts.models import Enrolment, Role, User
from cairn.core import audit, spreadsheet
from cairn.core.errors import Forbidden, Invalid, NotFound
from cairn.core.models import AuditAction, AuditEvent

OVERSEERS = {Role.DISTRICT_ADMIN, Role.SCHOOL_LEADER, Role.PLATFORM_ADMIN}
HEADER = ["When (UTC)", "Who", "Role", "What", "Class", "Details"]


@login_required
@require_GET
def audit_page(request: HttpRequest) -> HttpResponse:
    viewer = access.person(request)
    if not access.roles_of(viewer) & OVERSEERS:
        raise Forbidden(_("Only district admins and school leaders can read the audit trail."))
    students = access.visible_students(viewer).order_by("last_name", "first_name", "pk")
    context: dict[str, object] = {"students": students[:2000], "student": None}
    student_id = request.GET.get("student", "")
    if student_id:
        student = students.filter(pk=int(student_id) if student_id.isdigit() else 0).first()
        if student is None:
            raise NotFound(_("No such student."))
        start, end = _range(request, student)
        events = _events(student, start, end)
        if request.GET.get("format") == "csv":
            return _csv(request, student, start, end, events)
        context.update(student=student, start=start, end=end, events=events)
    return render(request, "privacy/audit.html", context)


def _term_start(student: User) -> dt.date:
    """The start of the student's current term (the earliest start of the sections they are in now), else
    the last 120 days."""
    today = timezone.localdate()
    starts = (
        Enrolment.objects.current()
        .filter(user=student, kind=Enrolment.Kind.STUDENT)
        .values_list("section__term_start", flat=True)
    )
    return min(starts, default=today - dt.timedelta(days=120))


def _range(request: HttpRequest, student: User) -> tuple[dt.date, dt.date]:
    try:
        start = (
            dt.date.fromisoformat(request.GET["from"]) if request.GET.get("from") else _term_start(student)
        )
        end = dt.date.fromisoformat(request.GET["to"]) if request.GET.get("to") else timezone.localdate()
    except ValueError:
        raise Invalid(_("Give dates as year-month-day."), field="from") from None
    if end < start:
        raise Invalid(_("The end comes before the start."), field="to")
    return start, end


def _events(student: User, start: dt.date, end: dt.date) -> list[dict[str, object]]:
    """The events about ``student`` from ``start`` to ``end`` (whole days), newest first, with each actor's
    name looked up now: the trail keeps only ids, so an erased person shows as someone no longer here."""
    rows = list(
        AuditEvent.objects.filter(student_id=student.pk, time__date__gte=start, time__date__lte=end).order_by(
            "-time", "-id"
        )[:5000]
    )
    people = User.objects.in_bulk({r.actor_id for r in rows if r.actor_id is not None})
    labels = dict(AuditAction.choices)
    roles = dict(Role.choices)
    return [
        {
            "time": r.time,
            "who": _who(r.actor_id, people),
            "role": roles.get(r.actor_role, r.actor_role),
            "what": labels.get(r.action, r.action),
            "section_id": r.section_id,
            "detail": ", ".join(f"{k}: {v}" for k, v in sorted(r.detail.items())),
        }
        for r in rows
    ]


def _who(actor_id: int | None, people: dict[int, User]) -> str:
    if actor_id is None:
        return "Cairn (no one signed in)"
    person = people.get(actor_id)
    return person.display_name if person is not None else "someone no longer here"


def _csv(
    request: HttpRequest, student: User, start: dt.date, end: dt.date, events: list[dict[str, object]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"audit-student-{student.pk}-{start.isoformat()}-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    rows = [
        [
            e["time"].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),  # type: ignore[attr-defined]
            e["who"],
            e["role"],
            e["what"],
            e["section_id"] or "",
            e["detail"],
        ]
        for e in events
    ]
    spreadsheet.write_rows(response, [HEADER, *rows])
    detail = {"what": "audit trail", "from": start.isoformat(), "to": end.isoformat(), "rows": len(rows)}
    audit.record(AuditAction.EXPORTED, actor=request.user, student=student, detail=detail, request=request)
    return response
