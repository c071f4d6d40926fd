"""Agency's panels for other apps' pages. The student's path page (learning's) shows "this week" through
``{% weekly_pace student %}``: learning sits below agency and may not import it, so agency contributes its
panel through a template tag instead."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.accounts.models import User
from cairn.agency.selectors import pace

register = template.Library()


@register.inclusion_tag("agency/_pace.html")
def weekly_pace(student: User) -> dict[str, Any]:
    """This week's goal and pace, with links to change the goal and to reflect."""
    return {"pace": pace(student)}
