"""Background work for the curriculum: link health."""

from __future__ import annotations

from celery import shared_task

from cairn.curriculum.linkcheck import probe
from cairn.curriculum.models import Content, Status
from cairn.curriculum.services.links import record_link_check


@shared_task(name="cairn.curriculum.check_links")
def check_links(content_ids: list[int] | None = None, timeout: float = 10.0) -> dict[str, int]:
    """Check every external URL (or the given content's), record each result, flag broken content and tell
    its owner. Schedule it nightly with Celery beat; it also runs in-process where no broker is set."""
    contents = Content.objects.exclude(url="").exclude(status=Status.RETIRED).order_by("pk")
    if content_ids is not None:
        contents = contents.filter(pk__in=content_ids)
    counts = {"checked": 0, "ok": 0, "broken": 0}
    # Ids first, then one row at a time: each result is written while the list is walked, and SQLite
    # gives no isolation between a cursor still open and writes to its table on the same connection.
    for pk in list(contents.values_list("pk", flat=True)):
        content = Content.objects.filter(pk=pk).first()
        if content is None:
            continue
        result = probe(content.url, timeout=timeout)
        record_link_check(content, result)
        counts["checked"] += 1
        counts["ok" if result.ok else "broken"] += 1
    return counts
