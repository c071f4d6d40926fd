"""Today's one-click steps: mark alerts as seen to, put each student's next competency first, assign a
stretch, hide broken content for the class."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.core.errors import Conflict
from cairn.curriculum.models import Content, SectionContent
from cairn.curriculum.services.sections import choose_for_section
from cairn.insights import selectors
from cairn.insights.access import require_teacher
from cairn.insights.services.checks import students_of
from cairn.learning.models import Alert, PathOverride
from cairn.learning.services import overrides


@transaction.atomic
def resolve_alerts(teacher: User, section: Section, alert_ids: Sequence[int]) -> int:
    """The teacher has seen to these alerts (students of this section only)."""
    require_teacher(teacher, section)
    ids = [s.pk for s in selectors.section_students(section)]
    return Alert.objects.filter(pk__in=list(alert_ids), student_id__in=ids, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


@transaction.atomic
def assign_challenges(
    teacher: User, section: Section, student_ids: Sequence[int], reason: str
) -> list[overrides.OverrideResult]:
    require_teacher(teacher, section)
    members = students_of(section, student_ids)
    state = selectors.class_state(section)
    results = []
    for student in members:
        step = selectors.challenge_step(state, student.pk)
        if step is not None:
            results.append(overrides.override(teacher, [student], step, PathOverride.Action.ASSIGN, reason))
    if not results:
        raise Conflict(_("None of them has a new competency open to assign."), field="students")
    return results


@transaction.atomic
def hide_content(teacher: User, section: Section, content: Content) -> SectionContent:
    """Take broken content off this class's boards (the library's own rule: a section's teacher may)."""
    require_teacher(teacher, section)
    return choose_for_section(teacher, section, content, SectionContent.Action.HIDE)
