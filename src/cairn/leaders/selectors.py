"""Reads for the leaders' pages: the current definition and its history, goals, a school's trajectories."""

from __future__ import annotations

from django.db.models import QuerySet

from cairn.accounts.models import District
from cairn.leaders.models import Definition, Goal


def current_definition(district: District) -> Definition | None:
    return Definition.objects.filter(district=district).order_by("-version").first()


def definition_history(district: District) -> QuerySet[Definition]:
    return Definition.objects.filter(district=district).select_related("author").order_by("-version")


def goals_of(district: District) -> QuerySet[Goal]:
    return Goal.objects.filter(district=district).order_by("target_date", "pk")
