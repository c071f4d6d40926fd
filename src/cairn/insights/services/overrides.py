"""Path overrides from the insights pages: for some students, a saved group of the section or the whole
section. The override itself is learning's (cairn.learning.services.overrides); this picks the students."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.core.errors import Invalid
from cairn.curriculum.models import Competency
from cairn.insights import selectors
from cairn.insights.access import require_teacher
from cairn.insights.models import SmallGroup
from cairn.insights.services.checks import students_of
from cairn.learning.services import overrides


@transaction.atomic
def override(
    teacher: User,
    section: Section,
    *,
    competency_id: int | None,
    action: str,
    reason: str,
    student_ids: Sequence[int] = (),
    group_id: int | None = None,
    whole_section: bool = False,
) -> overrides.OverrideResult:
    """An override for some students, a saved group of the section or the whole section."""
    require_teacher(teacher, section)
    if competency_id is None:
        raise Invalid(_("Choose a competency."), field="competency")
    if whole_section:
        members = selectors.section_students(section)
    elif group_id is not None:
        group = SmallGroup.objects.filter(pk=group_id, section=section).first()
        if group is None:
            raise Invalid(
                _("No group %(id)s in %(section)s.") % {"id": group_id, "section": section.name},
                field="group",
            )
        members = list(group.students.all())
    else:
        members = students_of(section, student_ids)
    if not members:
        raise Invalid(_("Choose at least one student."), field="students")
    competency = Competency.objects.filter(pk=competency_id).first()
    if competency is None:
        raise Invalid(_("No competency %(id)s.") % {"id": competency_id}, field="competency")
    return overrides.override(teacher, members, competency, action, reason)
