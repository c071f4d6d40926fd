"""The demo's families: notes from teachers, a Spanish-speaking parent, this week's digests in the outbox,
and a second run that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from cairn.accounts.demo import seed_demo_district
from cairn.accounts.models import GuardianLink
from cairn.families.demo import SPANISH_STUDENT, seed_demo_families

pytestmark = pytest.mark.django_db


def test_the_demo_families_get_notes_and_their_digests_land_in_the_outbox(tmp_path: Path) -> None:
    district = seed_demo_district()
    with override_settings(DATA_DIR=tmp_path):
        first = seed_demo_families(district)
        again = seed_demo_families(district)
    guardians = GuardianLink.objects.values("guardian_id").distinct().count()
    assert first.notes == GuardianLink.objects.values("student_id").distinct().count() > 0
    assert first.digests == guardians and first.outbox == tmp_path / "outbox"
    mail = "".join(p.read_text() for p in first.outbox.iterdir())
    assert mail.count("Content-Language: es") == 1
    assert GuardianLink.objects.get(student__username=SPANISH_STUDENT).guardian.language == "es"
    assert (again.notes, again.digests) == (0, 0)
