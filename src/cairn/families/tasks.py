"""The weekly digest in batches (beat: Mondays): one task lists the guardians and fans out a task per batch
of guardian ids; each batch task sends its digests (:func:`cairn.families.digest.send_batch`). Without a
broker the batches run in-process, one after another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from celery import shared_task
from django.utils import timezone

from cairn.accounts.models import GuardianLink
from cairn.agency.selectors import week_start
from cairn.families import digest

BATCH = 200


def guardian_batches(size: int = BATCH) -> Iterator[list[int]]:
    """Every linked guardian's id, in batches of ``size`` (read with an iterator: no list of the district)."""
    ids = (
        GuardianLink.objects.order_by("guardian_id")
        .values_list("guardian_id", flat=True)
        .distinct()
        .iterator(chunk_size=2000)
    )
    batch: list[int] = []
    for guardian_id in ids:
        batch.append(guardian_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@shared_task(name="cairn.families.send_weekly_digests")
def send_weekly_digests(week: str | None = None, batch_size: int = BATCH) -> int:
    """Queue this week's (or the week of ``week``, ISO date) digests; returns the number of batches."""
    monday = week_start(dt.date.fromisoformat(week) if week else timezone.localdate())
    batches = 0
    for ids in guardian_batches(batch_size):
        send_digest_batch.delay(ids, monday.isoformat())
        batches += 1
    return batches


@shared_task(name="cairn.families.send_digest_batch", acks_late=True)
def send_digest_batch(guardian_ids: list[int], week: str) -> int:
    return digest.send_batch(guardian_ids, dt.date.fromisoformat(week))
