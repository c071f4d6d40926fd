"""The demo's families: every demo student's guardian has an address and a note from a teacher, the parent of
the Spanish-speaking demo student (student026) reads Cairn in Spanish, and this week's digests are written
to the demo's outbox (``$CAIRN_DATA_DIR/outbox``, one file per batch) instead of being mailed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import District, Enrolment, GuardianLink, User
from cairn.agency.selectors import week_start
from cairn.families import digest, tasks
from cairn.families.models import TeacherNote

SPANISH_STUDENT = "student026"  # chosen with the learner-profile demo (/tmp/coord2/demo-names.md)
NOTES = [
    "A good week: {name} kept going after a hard question and got it the next day.",
    "{name} helped a classmate explain their thinking. Ask them to show you how!",
    "{name} is close to finishing this unit. A few minutes of practice at home would help.",
]
# The teacher writes to the Spanish-speaking family in Spanish.
SPANISH_NOTE = (
    "Una buena semana: {name} siguió intentándolo después de una pregunta difícil y la resolvió al día "
    "siguiente."
)


@dataclass(frozen=True)
class DemoFamilies:
    notes: int
    digests: int
    outbox: Path


def seed_demo_families(district: District, today: dt.date | None = None) -> DemoFamilies:
    """Seed once (notes are written only when the district's students have none); send this week's digests
    to the outbox (a second run sends none: one digest per guardian and week)."""
    day = today or timezone.localdate()
    monday = week_start(day)
    links = GuardianLink.objects.filter(
        student__role_assignments__school__district=district, student__username__startswith="student"
    ).select_related("guardian", "student")
    notes = 0
    with transaction.atomic():
        for link in links.order_by("pk"):
            guardian = link.guardian
            changed = []
            if not guardian.email:
                guardian.email = f"{guardian.username}@example.org"
                changed.append("email")
            if link.student.username == SPANISH_STUDENT and guardian.language != "es":
                guardian.language = "es"
                changed.append("language")
            if changed:
                guardian.save(update_fields=changed)
        notes = _write_notes(district, monday)
    outbox = Path(settings.DATA_DIR) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    sent = 0
    for ids in tasks.guardian_batches():
        connection = get_connection("django.core.mail.backends.filebased.EmailBackend", file_path=str(outbox))
        sent += digest.send_batch(ids, monday, connection=connection)
    return DemoFamilies(notes, sent, outbox)


def _write_notes(district: District, monday: dt.date) -> int:
    """One note to each demo student's family from their first teacher, dated last Friday (so that the digest
    about last week carries it)."""
    students = User.objects.filter(
        role_assignments__school__district=district,
        username__startswith="student",
        guardian_links__isnull=False,
    ).distinct()
    if TeacherNote.objects.filter(student__in=students).exists():
        return 0
    teacher_of = dict(
        Enrolment.objects.filter(
            kind=Enrolment.Kind.TEACHER,
            section__enrolments__user__in=students,
            section__enrolments__kind=Enrolment.Kind.STUDENT,
        )
        .order_by("-section__enrolments__user_id", "-section__code")
        .values_list("section__enrolments__user_id", "user_id")
    )
    notes = [
        TeacherNote(
            student=s,
            author_id=teacher_of.get(s.pk),
            body=(SPANISH_NOTE if s.username == SPANISH_STUDENT else NOTES[k % len(NOTES)]).format(
                name=s.preferred_name or s.first_name
            ),
        )
        for k, s in enumerate(students.order_by("username"))
    ]
    TeacherNote.objects.bulk_create(notes)
    friday = timezone.make_aware(dt.datetime.combine(monday - dt.timedelta(days=3), dt.time(15)))
    TeacherNote.objects.filter(student__in=students).update(created_at=friday)
    return len(notes)
