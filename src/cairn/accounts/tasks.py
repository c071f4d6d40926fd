"""Accounts' background work: roster imports from the upload page, and the nightly roster sync."""

from __future__ import annotations

from celery import shared_task

from cairn.accounts.rosters import history, sync


@shared_task(name="cairn.accounts.run_roster_import")
def run_roster_import(import_id: int) -> str:
    return history.run_import(import_id)


@shared_task(name="cairn.accounts.sync_rosters")
def sync_rosters() -> dict[str, bool]:
    """Nightly: every active OneRoster REST provider pulled and applied (a partial pull applies nothing)."""
    return {p.district.slug: not sync.sync_provider(p).refused for p in sync.providers()}
