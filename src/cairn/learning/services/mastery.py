"""Recording a mastery: the one bookkeeping shared by the answer loop (a passed check or the estimate), a
teacher's "mark mastered" and a diagnostic's placement. A leaf: it imports no other service, so all three
can import it."""

from __future__ import annotations

import datetime as dt

from cairn.engine.review import ReviewSchedule
from cairn.learning import events
from cairn.learning.models import Alert, Progress

REVIEWS = ReviewSchedule()


def mark_mastered(progress: Progress, now: dt.datetime, *, by: str) -> None:
    """Record a mastery (by the check, the estimate, a teacher or the diagnostic): schedule its first
    review and resolve the open alerts on it. The caller saves ``progress``."""
    progress.status = Progress.Status.MASTERED
    progress.mastered_at = now
    progress.mastered_by = by
    progress.check_answers = []
    progress.spinning = False
    start = REVIEWS.start(now)
    progress.review_card, progress.review_due = start.card, start.due
    Alert.objects.filter(
        student=progress.student, competency=progress.competency, resolved_at__isnull=True
    ).update(resolved_at=now)
    events.publish(
        events.MASTERY,
        student=progress.student,
        competency=progress.competency,
        by=by,
        mastery=progress.mastery,
        at=now,
    )
