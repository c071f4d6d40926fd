"""Link health: each check of a content's URL is kept, and the content flagged by its latest result."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cairn.curriculum.linkcheck import LinkResult
from cairn.curriculum.models import Content, LinkCheck
from cairn.curriculum.services.notices import notify_owner


@transaction.atomic
def record_link_check(content: Content, result: LinkResult) -> LinkCheck:
    """Keep the check, flag the content, and tell its owner when a working link breaks."""
    check = LinkCheck.objects.create(
        content=content,
        url=content.url,
        final_url=result.final_url[:1000],
        status_code=result.status,
        ok=result.ok,
        error=result.error[:300],
        elapsed_ms=result.elapsed_ms,
    )
    was = content.link_status
    content.link_status = Content.LinkStatus.OK if result.ok else Content.LinkStatus.BROKEN
    content.link_checked_at = timezone.now()
    content.save(update_fields=["link_status", "link_checked_at"])
    if not result.ok and was != Content.LinkStatus.BROKEN:
        # Only "broken": what the server answered stays with the check, not shown back to the teacher.
        notify_owner(content, f"The link of “{content.title}” is broken: {content.url}")
    return check
