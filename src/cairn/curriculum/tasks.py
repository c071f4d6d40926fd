"""Background work for the curriculum: link health."""

from __future__ import annotations

import time

from celery import shared_task
from django.conf import settings

from cairn.curriculum.linkcheck import probe
from cairn.curriculum.models import Content, Status
from cairn.curriculum.services.links import record_link_check

# How long the task waits before probing a link that failed once again (a second failure: broken).
RETRY_AFTER_S = 60.0


@shared_task(name="cairn.curriculum.check_links")
def check_links(
    content_ids: list[int] | None = None, timeout: float = 10.0, retry_after: float | None = None
) -> dict[str, int]:
    """Check every external URL (or the given content's), record each result, and flag content broken
    only when a second probe fails too (``retry_after`` seconds after the first pass; the setting
    ``LINKCHECK_RETRY_AFTER_S`` by default), telling its owner and teachers. Schedule it nightly with
    Celery beat; it also runs in-process where no broker is set."""
    contents = Content.objects.exclude(url="").exclude(status=Status.RETIRED).order_by("pk")
    if content_ids is not None:
        contents = contents.filter(pk__in=content_ids)
    final: dict[int, str] = {}
    # Ids first, then one row at a time: each result is written while the list is walked, and SQLite
    # gives no isolation between a cursor still open and writes to its table on the same connection.
    for pk in list(contents.values_list("pk", flat=True)):
        final.update(_check(pk, timeout))
    suspects = [pk for pk, status in final.items() if status == Content.LinkStatus.SUSPECT]
    if suspects:
        wait = (
            retry_after
            if retry_after is not None
            else getattr(settings, "LINKCHECK_RETRY_AFTER_S", RETRY_AFTER_S)
        )
        time.sleep(max(0.0, float(wait)))
        for pk in suspects:
            final.update(_check(pk, timeout))
    ok = sum(status == Content.LinkStatus.OK for status in final.values())
    return {"checked": len(final), "ok": ok, "broken": len(final) - ok}


def _check(pk: int, timeout: float) -> dict[int, str]:
    content = Content.objects.filter(pk=pk).first()
    if content is None:
        return {}
    record_link_check(content, probe(content.url, timeout=timeout))
    return {pk: content.link_status}
