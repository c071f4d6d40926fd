"""Accounts' background work: roster imports from the upload page, and their invitations."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="cairn.accounts.send_roster_invitations")
def send_roster_invitations(user_ids: list[int]) -> int:
    from cairn.accounts.rosters.invitations import send_invitations

    return send_invitations(user_ids)


@shared_task(name="cairn.accounts.run_roster_import")
def run_roster_import(import_id: int) -> str:
    from cairn.accounts.rosters.history import run_import

    return run_import(import_id)


@shared_task(name="cairn.accounts.sync_rosters")
def sync_rosters() -> dict[str, bool]:
    """Nightly: every active OneRoster REST provider pulled and applied (a partial pull applies nothing)."""
    from cairn.accounts.rosters import sync

    return {p.district.slug: not sync.sync_provider(p).refused for p in sync.providers()}
