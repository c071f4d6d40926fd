"""The rows the privacy registry declares for one person: how to find them, show them and erase them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from cairn.accounts.models import User
from cairn.core.privacy import Erase, PersonalData, name_or_former_staff


def model_of(declaration: PersonalData) -> type[models.Model]:
    return apps.get_model(declaration.model)


def _is_m2m(model: type[models.Model], name: str) -> bool:
    return "__" not in name and name != "id" and bool(model._meta.get_field(name).many_to_many)


def rows_of(declaration: PersonalData, person: User, fields: tuple[str, ...] | None = None) -> QuerySet[Any]:
    """The declared rows that belong to ``person`` through any of the declaration's fields (or ``fields``)."""
    model = model_of(declaration)
    q = Q(pk__in=[])
    for name in declaration.user_fields if fields is None else fields:
        if declaration.by_username:
            q |= Q(**{f"{name}__iexact": person.username})
        elif name == "id":
            q |= Q(pk=person.pk)
        else:
            q |= Q(**{name: person})
    return model._default_manager.filter(q).distinct()


def _plain(value: Any, person: User) -> Any:
    """A value as JSON shows it: dates as ISO text, people by name (the person as "you"), rows by name."""
    if isinstance(value, User):
        return "you" if value.pk == person.pk else name_or_former_staff(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def export_row(declaration: PersonalData, row: models.Model, person: User) -> dict[str, Any]:
    if callable(declaration.export):
        return declaration.export(row)
    names = declaration.export or tuple(
        f.name for f in row._meta.concrete_fields if f.name not in ("id", *declaration.user_fields)
    )
    return {name: _plain(getattr(row, name), person) for name in names}


def erase_rows(declaration: PersonalData, person: User) -> int:
    """Apply the declaration's erase rule to the person's rows; returns how many rows it touched."""
    model = model_of(declaration)
    if declaration.erase is Erase.ACCOUNT:
        return 0
    if declaration.erase is Erase.DELETE:
        # A many-to-many membership is the person's (taken out); the row itself is everyone's (kept).
        touched = 0
        for name in declaration.user_fields:
            if _is_m2m(model, name):
                field = model._meta.get_field(name)
                through = field.remote_field.through  # type: ignore[union-attr]
                target = field.m2m_reverse_field_name()  # type: ignore[union-attr]
                touched += through._default_manager.filter(**{target: person}).delete()[0]
        own = tuple(name for name in declaration.user_fields if not _is_m2m(model, name))
        if own:
            pks = list(rows_of(declaration, person, own).values_list("pk", flat=True))
            touched += model._default_manager.filter(pk__in=pks).delete()[0]
        return touched
    if declaration.erase is Erase.ANONYMIZE:
        if not declaration.scrub:
            return 0
        blank = {name: model._meta.get_field(name).get_default() for name in declaration.scrub}  # type: ignore[union-attr]
        return int(
            model._default_manager.filter(pk__in=rows_of(declaration, person).values("pk")).update(**blank)
        )
    touched = 0
    for name in declaration.user_fields:  # KEEP_WITHOUT_NAME
        touched += model._default_manager.filter(**{name: person}).update(**{name: None})
    return touched
