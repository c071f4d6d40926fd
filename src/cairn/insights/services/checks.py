"""The checks the insights services share. Each raises ``Invalid`` naming the field, before anything is
written: text that is empty or too long, ids that are not the section's students now, a competency that is
not on the students' paths, content that is not approved."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from cairn.accounts.models import Section, User
from cairn.core.errors import Invalid
from cairn.curriculum.models import Competency, Content
from cairn.curriculum.ownership import approved_content_for
from cairn.insights import selectors
from cairn.learning.selectors.path import for_section, path_competencies


def clean_text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    text = " ".join((value or "").split()) if limit <= 300 else (value or "").strip()
    if required and not text:
        raise Invalid(f"The {field.replace('_', ' ')} can't be empty.", field=field)
    if len(text) > limit:
        raise Invalid(f"Keep the {field.replace('_', ' ')} under {limit} characters.", field=field)
    return text


def students_of(section: Section, student_ids: Sequence[int]) -> list[User]:
    wanted = list(dict.fromkeys(int(i) for i in student_ids))
    found = {s.pk: s for s in selectors.section_students(section) if s.pk in set(wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise Invalid(
            f"Not students of {section.name} now: {', '.join(str(i) for i in missing)}.", field="students"
        )
    return [found[i] for i in wanted]


def path_competency(
    competency_id: int | None, *, section: Section | None = None, required: bool = True
) -> Competency | None:
    """The competency, when it is on the section's path (on any path without a section)."""
    if competency_id is None:
        if required:
            raise Invalid(_("Choose a competency."), field="competency")
        return None
    on_path = for_section(section) if section is not None else path_competencies()
    found = next((c for c in on_path if c.pk == competency_id), None)
    if found is None:
        raise Invalid(
            _("Competency %(id)s is not on the students' paths.") % {"id": competency_id}, field="competency"
        )
    return found


def approved_activity(content_id: int | None, *, section: Section) -> Content | None:
    """The activity, when it is approved for the section's district (its own, adopted or the platform's)."""
    if content_id is None:
        return None
    content = approved_content_for(section.school.district_id).filter(pk=content_id).first()
    if content is None:
        raise Invalid(_("Content %(id)s is not approved content.") % {"id": content_id}, field="activity")
    return content
