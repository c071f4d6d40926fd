"""Link health: each check of a content's URL is kept, and the content flagged by its latest results.

One failure proves little (a server restarting, a network blip): a link that fails once is ``suspect`` and
is probed again later (the nightly task retries its suspects after the rest); only a second failure in a
row makes it ``broken``. Broken content leaves students' boards in every section until a check finds it
working again (``access.content_for_student`` leaves it out), and its owner and the teachers of the
sections that chose or used it are told, once, when it breaks."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cairn.curriculum.linkcheck import LinkResult
from cairn.curriculum.models import Content, LinkCheck
from cairn.curriculum.services.notices import notify_owner, notify_section_teachers

FAILED_BEFORE = {Content.LinkStatus.SUSPECT, Content.LinkStatus.BROKEN}


@transaction.atomic
def record_link_check(content: Content, result: LinkResult) -> LinkCheck:
    """Keep the check and flag the content: working, suspect (a first failure) or broken (a second)."""
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
    if result.ok:
        content.link_status = Content.LinkStatus.OK
    elif was in FAILED_BEFORE:
        content.link_status = Content.LinkStatus.BROKEN
    else:
        content.link_status = Content.LinkStatus.SUSPECT
    content.link_checked_at = timezone.now()
    content.save(update_fields=["link_status", "link_checked_at"])
    if content.link_status == Content.LinkStatus.BROKEN and was != Content.LinkStatus.BROKEN:
        # Only "broken": what the server answered stays with the check, not shown back to the teacher.
        notify_owner(content, f"The link of “{content.title}” is broken: {content.url}")
        notify_section_teachers(
            content,
            f"The link of “{content.title}” is broken: your students won't see it on their boards until "
            "it is fixed.",
        )
    return check
