"""What the library tells a content owner (a review's decision, a broken link), and marking it read."""

from __future__ import annotations

from django.utils import timezone

from cairn.accounts.models import User
from cairn.curriculum.models import Content, ContentNotice


def notify_owner(content: Content, message: str) -> None:
    """Leave the content's owner a notice; content without an owner (an import) tells nobody."""
    if content.owner_id is not None:
        ContentNotice.objects.create(recipient_id=content.owner_id, content=content, message=message[:500])


def mark_notices_read(user: User) -> int:
    return ContentNotice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
