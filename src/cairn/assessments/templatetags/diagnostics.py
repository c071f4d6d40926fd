"""``{% diagnostic_due %}``: the student home's link to a diagnostic that is due (nothing when none is)."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.accounts import access
from cairn.accounts.models import Role, User

register = template.Library()


@register.inclusion_tag("assessments/_due.html", takes_context=True)
def diagnostic_due(context: dict[str, Any]) -> dict[str, Any]:
    from cairn.assessments.selectors import due

    user = context.get("user")
    if not isinstance(user, User) or Role.STUDENT not in access.roles_of(user):
        return {"due": []}
    return {"due": due(user)}
