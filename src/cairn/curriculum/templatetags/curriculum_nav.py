"""``{% library_nav %}``: the library's links in the top bar, for the people who may use them.

A template tag rather than a context processor so that the base template asks for it only where it draws
the bar, and the settings need not know about the library."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.accounts.models import User
from cairn.curriculum import access, selectors

register = template.Library()


@register.inclusion_tag("curriculum/_nav.html", takes_context=True)
def library_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not access.is_staff(user):
        return {"show": False}
    reviewer = access.can_review(user)
    return {
        "show": True,
        "notices": selectors.unread_notices(user).count(),
        "reviewer": reviewer,
        "waiting": (
            selectors.review_queue(user).count() + selectors.item_review_queue(user).count()
            if reviewer
            else 0
        ),
    }
