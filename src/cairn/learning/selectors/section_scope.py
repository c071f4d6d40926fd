"""What the teacher's "what this class studies" page shows: the section's course, the competencies on its
path, the changes its teachers made, and what could be added."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Course, Section, User
from cairn.core.errors import Forbidden, NotFound
from cairn.curriculum.models import Competency
from cairn.learning.models import SectionCompetency
from cairn.learning.selectors.path import path_competencies
from cairn.learning.selectors.scope import section_scope


@dataclass(frozen=True)
class SectionStudies:
    section: Section
    course: Course | None
    scope_name: str  # the course's name, the fitting courses' names, or "" for every competency
    on_path: list[Competency]
    changes: list[SectionCompetency]  # in force, newest first
    addable: list[Competency]  # approved practice, not on the path now


def taught_section(teacher: User, section_id: int) -> Section:
    """A section ``teacher`` may see (NotFound otherwise) and teaches now (Forbidden otherwise)."""
    section = Section.objects.select_related("school__district", "course").filter(pk=section_id).first()
    if section is None or not access.can_view_section(teacher, section):
        raise NotFound(_("No such section."))
    if not access.teaches_section(teacher, section):
        raise Forbidden(_("Only a current teacher of this section can change what it studies."))
    return section


def section_studies(section: Section) -> SectionStudies:
    scope = section_scope(section)
    district = section.school.district_id
    on_path = path_competencies(scope, districts=district)
    here = {c.pk for c in on_path}
    changes = list(
        SectionCompetency.objects.filter(section=section, active=True).select_related("competency", "set_by")
    )
    addable = (
        [c for c in path_competencies(districts=district) if c.pk not in here]
        if scope.ids is not None
        else []
    )
    return SectionStudies(section, scope.course, scope.name, on_path, changes, addable)
