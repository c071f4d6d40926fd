"""The weekly digest: one email per guardian covering all their children, in the guardian's language.

The digest sent in the week starting Monday ``week_start`` tells about the week before it: what each child
mastered, what they are working on, their goal for that week and how far they got, and the teachers' notes
to the family written that week. Each child has a signed link to their family page (no password; see
:mod:`cairn.families.links` for why it opens a read-only page), and every email an opt-out link.

Guardians are sent in batches (:func:`send_batch`, called by the ``cairn.families.send_digest_batch`` task):
a batch reads its guardians' children and their week in a fixed number of queries, whatever its size, and
records each guardian's digest (``DigestSent``), so a batch run twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cairn.accounts.models import GuardianLink, User
from cairn.agency.models import WeeklyGoal
from cairn.curriculum.models import Competency
from cairn.curriculum.naming import student_words
from cairn.families.links import family_url, opt_out_url
from cairn.families.models import DigestPreference, DigestSent, TeacherNote
from cairn.learning.models import Progress

WORKING_ON_SHOWN = 3
LANGUAGES = {code for code, _name in settings.LANGUAGES}


@dataclass
class ChildWeek:
    child_id: int
    name: str
    mastered: list[Competency] = field(default_factory=list)
    working_on: list[Competency] = field(default_factory=list)
    goal: WeeklyGoal | None = None
    notes: list[TeacherNote] = field(default_factory=list)


@dataclass
class Digest:
    guardian: User
    language: str
    children: list[ChildWeek]
    opt_out_url: str


def language_of(user: User) -> str:
    language = (user.language or "").lower()
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def due_guardians(guardian_ids: Sequence[int], week_start: dt.date) -> list[User]:
    """The guardians among ``guardian_ids`` to send this week: with an address, not opted out, not sent
    this week yet, and (fortnightly) not sent last week."""
    sent = DigestSent.objects.filter(guardian_id__in=guardian_ids)
    done = set(sent.filter(week_start=week_start).values_list("guardian_id", flat=True))
    last_week = set(
        sent.filter(week_start=week_start - dt.timedelta(weeks=1)).values_list("guardian_id", flat=True)
    )
    due = []
    guardians = User.objects.filter(pk__in=guardian_ids, is_active=True).exclude(email="")
    for guardian in guardians.select_related("digest_preference").order_by("pk"):
        preference = getattr(guardian, "digest_preference", None)
        frequency = preference.frequency if preference else DigestPreference.Frequency.WEEKLY
        if guardian.pk in done or frequency == DigestPreference.Frequency.NEVER:
            continue
        if frequency == DigestPreference.Frequency.FORTNIGHTLY and guardian.pk in last_week:
            continue
        due.append(guardian)
    return due


def build(guardians: Sequence[User], week_start: dt.date) -> list[Digest]:
    """The digests of ``guardians`` (a batch): six queries whatever the batch's size."""
    start, end = _start(week_start - dt.timedelta(weeks=1)), _start(week_start)
    links = GuardianLink.objects.filter(guardian__in=guardians).select_related("student")
    kids: dict[int, list[ChildWeek]] = defaultdict(list)
    weeks: dict[int, ChildWeek] = {}
    for link in links.order_by("student__first_name", "student_id"):
        child = link.student
        week = weeks.setdefault(child.pk, ChildWeek(child.pk, child.preferred_name or child.first_name))
        kids[link.guardian_id].append(week)
    _fill(weeks, start, end)
    return [
        Digest(guardian, language_of(guardian), kids[guardian.pk], opt_out_url(guardian.pk))
        for guardian in guardians
        if kids[guardian.pk]
    ]


def _fill(weeks: dict[int, ChildWeek], start: dt.datetime, end: dt.datetime) -> None:
    """Each child's week, read for the whole batch at once."""
    ids = list(weeks)
    mastered = Progress.objects.filter(
        student_id__in=ids, status=Progress.Status.MASTERED, mastered_at__gte=start, mastered_at__lt=end
    )
    for p in mastered.select_related("competency").order_by("mastered_at", "pk"):
        weeks[p.student_id].mastered.append(p.competency)
    working = Progress.objects.filter(
        student_id__in=ids, status__in=[Progress.Status.IN_PROGRESS, Progress.Status.CHECKING]
    )
    for p in working.select_related("competency").order_by("-last_attempt_at", "pk"):
        shown = weeks[p.student_id].working_on
        if len(shown) < WORKING_ON_SHOWN:
            shown.append(p.competency)
    for goal in WeeklyGoal.objects.filter(student_id__in=ids, week_start=start.date()):
        weeks[goal.student_id].goal = goal
    notes = TeacherNote.objects.filter(student_id__in=ids, created_at__gte=start, created_at__lt=end)
    for note in notes.select_related("author").order_by("created_at", "pk"):
        weeks[note.student_id].notes.append(note)


def render(digest: Digest, week_start: dt.date) -> EmailMultiAlternatives:
    """The email in the guardian's language: a plain-text body and the same as HTML."""
    with translation.override(digest.language):
        children = [
            {
                "name": child.name,
                "url": family_url(digest.guardian.pk, child.child_id),
                "mastered": [student_words(c) for c in child.mastered],
                "working_on": [student_words(c) for c in child.working_on],
                "goal": child.goal,
                "notes": child.notes,
            }
            for child in digest.children
        ]
        context = {
            "children": children,
            "guardian": digest.guardian,
            "opt_out_url": digest.opt_out_url,
            "week_of": week_start - dt.timedelta(weeks=1),
            "names": [c.name for c in digest.children],
        }
        subject = " ".join(render_to_string("families/email/digest_subject.txt", context).split())
        text = render_to_string("families/email/digest.txt", context)
        html = render_to_string("families/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[digest.guardian.email],
        headers={
            "Content-Language": digest.language,
            "List-Unsubscribe": f"<{digest.opt_out_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_batch(
    guardian_ids: Iterable[int], week_start: dt.date, *, connection: BaseEmailBackend | None = None
) -> int:
    """Send the digests of ``guardian_ids`` due this week; returns how many were sent. Each one sent is
    recorded, even when a later one fails (the retry sends only the rest)."""
    guardians = due_guardians(list(guardian_ids), week_start)
    if not guardians:
        return 0
    sent: list[DigestSent] = []
    connection = connection or get_connection()
    try:
        with connection:
            for digest in build(guardians, week_start):
                connection.send_messages([render(digest, week_start)])
                sent.append(
                    DigestSent(guardian=digest.guardian, week_start=week_start, language=digest.language)
                )
    finally:
        DigestSent.objects.bulk_create(sent, ignore_conflicts=True)
    return len(sent)
