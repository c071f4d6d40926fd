"""What personal data each app holds, declared by the app itself: the privacy registry.

Every model that points at a person (a foreign key, one-to-one or many-to-many to the user model) is
declared here by the app that owns it, in its own ``<app>/privacy.py``, which Django's
``autodiscover_modules("privacy")`` imports when the core app is ready. The declaration says, in plain words,
what the rows hold, which fields are exported to the person, and what erasing the person does to them. The
privacy app (the top layer) reads the registry to export or erase one person; apps never import it, and a
test fails when a model with a user field is missing here, so a new table cannot silently escape a
family's request. In the spirit of Moodle's privacy providers, kept to data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

#: How a record is labelled once the staff member who wrote it has left or been erased.
FORMER_STAFF = "former staff"


class Erase(enum.Enum):
    """What erasing a person does to the rows declared."""

    #: The rows are the person's own (a goal, a reflection, a token): deleted. For a many-to-many field,
    #: the person is taken out of the relation and the row stays.
    DELETE = "delete"
    #: The rows feed what the district counts (answers for item calibration, progress): they stay keyed to
    #: the erased person's anonymous stand-in, with the free-text fields named in ``scrub`` emptied.
    ANONYMIZE = "anonymize"
    #: Records others rely on that the person wrote (a review, a group a teacher made): kept, the person's
    #: field set to NULL and shown as "former staff". The field must be nullable.
    KEEP_WITHOUT_NAME = "keep_without_name"
    #: The person's own account row: the privacy app scrubs it into the anonymous stand-in.
    ACCOUNT = "account"


Exporter = Callable[[models.Model], dict[str, Any]]


@dataclass(frozen=True)
class PersonalData:
    """One declaration: rows of ``model`` ("app_label.Model") belong to a person through ``user_fields``.

    ``export`` is either the field names to write out (empty: every concrete field) or a function from a
    row to a JSON-ready dict, for rows that also hold other people's data. ``by_username`` marks models that
    name a person by a text field holding the username instead of a foreign key (sign-in logs).
    """

    model: str
    user_fields: tuple[str, ...]
    holds: str
    erase: Erase
    export: tuple[str, ...] | Exporter = ()
    scrub: tuple[str, ...] = ()
    by_username: bool = False

    def __post_init__(self) -> None:
        if "." not in self.model or not self.user_fields or not self.holds.strip():
            raise ValueError(f"A privacy declaration needs app_label.Model, user fields and words: {self!r}")

    @property
    def app_label(self) -> str:
        return self.model.split(".", 1)[0]


_REGISTRY: dict[str, list[PersonalData]] = {}


def register(*declarations: PersonalData) -> None:
    """Add declarations; declaring the same model and fields twice replaces the earlier one (a reload)."""
    for declaration in declarations:
        kept = [d for d in _REGISTRY.get(declaration.model, []) if d.user_fields != declaration.user_fields]
        _REGISTRY[declaration.model] = [*kept, declaration]


def declarations() -> list[PersonalData]:
    """Every declaration, grouped by app then model, in registration order within a model."""
    return [d for model in sorted(_REGISTRY) for d in _REGISTRY[model]]


def declared_fields(model: str) -> set[str]:
    return {field for d in _REGISTRY.get(model, []) for field in d.user_fields}


def by_app(items: Iterable[PersonalData]) -> dict[str, list[PersonalData]]:
    grouped: dict[str, list[PersonalData]] = {}
    for declaration in items:
        grouped.setdefault(declaration.app_label, []).append(declaration)
    return grouped


def name_or_former_staff(person: Any) -> str:
    """A staff member's name on a record they wrote: "Name (former staff)" once they left (an inactive
    account), plain "former staff" once they were erased (the record's person is NULL)."""
    if person is None:
        return FORMER_STAFF
    if not person.is_active:
        return f"{person.display_name} ({FORMER_STAFF})"
    return str(person.display_name)


def identifier_digest(identifier: str) -> str:
    """A salted hash of a username, email or roster id, so an erasure is remembered without the name.

    The salt comes from the deployment's secret key: the digest cannot be looked up in a list of names
    without it (rotating the key forgets earlier erasures, so keep it with the backups)."""
    from django.utils.crypto import salted_hmac

    normalized = identifier.strip().casefold()
    return salted_hmac("cairn.privacy.erasure", normalized, algorithm="sha256").hexdigest()


def is_erased(identifier: str) -> bool:
    """Whether a person with this username, email or roster id was erased: a roster import calls it and
    refuses to recreate them. Sits low so accounts' importer can ask; the record lives in the privacy app,
    found by name so core imports no app."""
    from django.apps import apps

    if not identifier.strip():
        return False
    record = apps.get_model("privacy", "ErasureRecord")
    return bool(record.objects.filter(digest=identifier_digest(identifier)).exists())
