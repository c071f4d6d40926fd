"""Writes for autonomy skills: installing the shipped framework with its lessons, and a teacher's rating.

The framework is installed by ``cairn manage install_learning_skills`` and by the demo, not by a data
migration: a migration would put it in every test database, where many tests count frameworks,
competencies and content from zero. Installing again updates the rows in place (by identifier)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts import access
from cairn.accounts.models import Section, User
from cairn.agency import autonomy
from cairn.agency.autonomy_signals import skill_competencies
from cairn.agency.models import SkillRating
from cairn.core import audit
from cairn.core.errors import Forbidden, Invalid, NotFound
from cairn.curriculum.models import Competency, Content, Framework, Scope, Status
from cairn.curriculum.readability import reading_level

LESSON_MINUTES = 4


@dataclass(frozen=True)
class Installed:
    framework: Framework
    competencies: int
    lessons: int


@transaction.atomic
def install_framework() -> Installed:
    """The public "Learning skills" framework (no district), its five competencies with Spanish "I can"
    statements, and each skill's short lesson in English and Spanish, approved for every district."""
    data = autonomy.catalog()
    info = data["framework"]
    framework, _created = Framework.objects.update_or_create(
        identifier=info["identifier"],
        defaults={k: info[k] for k in ("title", "creator", "publisher", "subject", "version", "licence")}
        | {"district": None, "source": "Shipped with Cairn"},
    )
    lessons = 0
    for order, spec in enumerate(data["skills"], start=1):
        competency, _created = Competency.objects.update_or_create(
            identifier=f"{info['identifier']}:{spec['key']}",
            defaults={
                "framework": framework,
                "code": spec["code"],
                "statement": spec["statement"],
                "student_statement": spec["student_statement"],
                "translations": {"es": spec["es"]},
                "item_type": "Skill",
                "domain": spec["name"],
                "list_order": order,
            },
        )
        lessons += _install_lessons(spec, competency)
    return Installed(framework, len(data["skills"]), lessons)


def _install_lessons(spec: dict[str, str | dict[str, str]], competency: Competency) -> int:
    lesson = spec["lesson"]
    assert isinstance(lesson, dict)
    for language, suffix in (("en", ""), ("es", "_es")):
        body = lesson[f"body{suffix}"]
        content, _created = Content.objects.update_or_create(
            identifier=f"cairn-learning-skills:{spec['key']}:{language}",
            defaults={
                "title": lesson[f"title{suffix}"],
                "kind": Content.Kind.READING,
                "body": body,
                "estimated_minutes": LESSON_MINUTES,
                "language": language,
                "read_aloud": True,
                "licence": "CC BY 4.0",
                "source": "Shipped with Cairn",
                "scope": Scope.LIBRARY,
                "district": None,
                "status": Status.APPROVED,
                "reading_level": reading_level(body, language),
            },
        )
        content.competencies.set([competency])
    return 2


@transaction.atomic
def rate_skill(
    *, rater: User, section: Section, student: User, skill: str, level: int, note: str = ""
) -> SkillRating:
    """A teacher of ``section`` rates one of its students on one skill against the rubric (levels 1-4).
    Audited as a change to the student's record."""
    if not access.teaches_section(rater, section):
        raise Forbidden(_("Only the class's teachers rate its students' skills."))
    if not access.students_in_section(section).filter(pk=student.pk).exists():
        raise NotFound(_("No such student in this class."))
    competency = skill_competencies().get(skill)
    if competency is None:
        raise NotFound(_("No such skill."))
    if level not in autonomy.LEVELS:
        raise Invalid(_("Pick a level from 1 to 4."), field="level")
    rating = SkillRating.objects.create(
        student=student, competency=competency, level=level, note=note.strip()[:300], rater=rater
    )
    audit.record(
        audit.AuditAction.RECORD_CHANGED,
        actor=rater,
        student=student,
        section=section,
        detail={"skill": skill, "level": level},
    )
    return rating
