"""The nightly roster sync: each active ``RosterProvider`` pulled whole (``rest.pull``) and applied with the
same writer as a CSV import (``apply.apply_roster``), or, when the pull is partial, nothing applied.

Every run, dry or not, leaves a ``RosterImport`` in the district's history (``failed`` when the pull was
partial, with the reason), and the provider keeps when it was last tried, when it last worked and why the
last try failed. Run by ``cairn manage sync_roster`` and the ``cairn.accounts.sync_rosters`` beat task.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from cairn.accounts.models import RosterImport, RosterProvider
from cairn.accounts.rosters import rest
from cairn.accounts.rosters.apply import apply_roster
from cairn.accounts.rosters.report import RosterReport
from cairn.core import audit

log = logging.getLogger(__name__)


def providers(district: str = "") -> list[RosterProvider]:
    """The active providers, or the one of ``district`` (its name or slug, any case)."""
    found = RosterProvider.objects.filter(active=True).select_related("district")
    if district:
        found = found.filter(Q(district__slug__iexact=district) | Q(district__name__iexact=district))
    return list(found.order_by("district__name"))


def settings_for(provider: RosterProvider, **overrides: object) -> rest.Settings:
    return rest.Settings(
        base_url=provider.base_url,
        version=provider.version,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        token_url=provider.token_url,
        **overrides,  # type: ignore[arg-type]
    )


def sync_provider(
    provider: RosterProvider,
    *,
    dry_run: bool = False,
    make_settings: Callable[[RosterProvider], rest.Settings] = settings_for,
) -> RosterReport:
    """Pull the provider's roster and apply it (a dry run rolls back); a partial pull applies nothing."""
    try:
        roster = rest.pull(make_settings(provider))
    except rest.PullFailed as failed:
        report = RosterReport(source=f"sync {provider.base_url}", version=provider.version, dry_run=dry_run)
        report.refuse(f"partial pull, nothing applied (the last good roster stays): {failed}")
        log.warning("roster sync of %s failed: %s", provider.district, failed)
        _record(provider, report, RosterImport.Status.FAILED)
        return report
    report = apply_roster(provider.district, roster, dry_run=dry_run)
    status = RosterImport.Status.REFUSED if report.refused else RosterImport.Status.DONE
    _record(provider, report, RosterImport.Status.CHECKED if dry_run and not report.refused else status)
    if not report.refused and not dry_run:
        audit.record(
            audit.AuditAction.ENROLMENT_CHANGED,
            actor=None,
            district=provider.district,
            detail={"roster_sync": provider.base_url, **report.as_json()},
        )
    return report


def _record(provider: RosterProvider, report: RosterReport, status: str) -> None:
    """A history row for the run, and the provider's last try (and success)."""
    now = timezone.now()
    RosterImport.objects.create(
        district=provider.district,
        by=None,
        source_name=report.source[:255],
        dry_run=report.dry_run,
        status=status,
        report=report.to_dict(),
        finished_at=now,
    )
    provider.last_attempt_at = now
    provider.last_error = report.reason if report.refused else ""
    fields = ["last_attempt_at", "last_error"]
    if not report.refused and not report.dry_run:
        provider.last_success_at = now
        fields.append("last_success_at")
    provider.save(update_fields=fields)
