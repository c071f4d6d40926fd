"""Erase a person, as a family may ask and as retention requires.

What happens to each table is declared by the app that owns it (cairn.core.privacy): the person's own rows
are deleted; the rows district aggregates count (answers, progress, diagnostic sittings) stay keyed to an
anonymous stand-in, their typed text emptied; what staff wrote for others is kept with the author set to
NULL ("former staff"). The account row itself becomes the stand-in: "erased-<random>", inactive, no
password, no name, email, grade, roles, classes or guardians, so it is in no class view and cannot sign in.
Keeping the row (rather than deleting it) is what lets the answers stay for item calibration and the
learner model's refit, and lets append-only records (the audit trail) keep pointing at someone.

An ErasureRecord keeps only salted hashes of the username and email, so a roster import can refuse to
recreate the person (``cairn.core.privacy.is_erased``) and an export is refused with a clear reason.
"""

from __future__ import annotations

import secrets

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cairn.accounts.models import User
from cairn.core.privacy import Erase, declarations, identifier_digest
from cairn.privacy.models import ErasureRecord
from cairn.privacy.services.events import _audit
from cairn.privacy.services.export import _refuse_erased
from cairn.privacy.services.records import erase_rows


@transaction.atomic
def erase_person(person: User, *, reason: str, actor: User | None = None) -> ErasureRecord:
    """Erase ``person`` (see the module's docstring); refused (Conflict) if they were already erased."""
    _refuse_erased(person)
    identifiers = {i for i in (person.username, person.email) if i.strip()}
    for declaration in declarations():
        if declaration.erase is not Erase.ACCOUNT:
            erase_rows(declaration, person)
    # The Django admin's history names the person in rows about them (its object_repr), not only by them.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).delete()
    _scrub_account(person)
    records = [
        ErasureRecord(digest=identifier_digest(i), stand_in_id=person.pk, reason=reason) for i in identifiers
    ]
    ErasureRecord.objects.bulk_create(records)
    _audit("erase", actor=actor, subject_id=person.pk, reason=reason)
    return records[0]


def _scrub_account(person: User) -> None:
    person.username = f"erased-{secrets.token_hex(6)}"
    person.first_name = person.last_name = person.preferred_name = person.email = person.grade = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
