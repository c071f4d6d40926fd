"""The student's learning skills on their path page (learning's, which may not import agency): observed
level and the teacher's latest rating per skill, with the skill's "I can" line."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.accounts.models import User
from cairn.agency import autonomy
from cairn.agency.autonomy_signals import skill_competencies, student_skills

register = template.Library()


@register.inclusion_tag("agency/_skills.html")
def autonomy_skills(student: User) -> dict[str, Any]:
    if not skill_competencies():  # the framework is not installed here
        return {"rows": []}
    return {"rows": student_skills(student).rows()}


@register.filter
def level_for_student(skill: autonomy.Skill, level: int) -> str:
    """The level's "I can" line in the student's language."""
    return skill.level_text(level, "student")
