"""Where a Today step leads, as a URL: the one place Today's typed targets meet the URL table, shared by the
Today page and the API (which both show a step as label, url, method and fields)."""

from __future__ import annotations

from django.urls import reverse

from cairn.insights.today import Step


def step_link(step: Step) -> dict[str, object]:
    """A step as pages and the API show it."""
    return {
        "label": step.label,
        "url": reverse(step.target, args=step.ids),
        "method": step.method,
        "fields": list(step.fields),
    }
