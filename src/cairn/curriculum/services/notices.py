"""What the library tells people: a content owner (a review's decision, a broken link), the teachers of the
sections that chose or used content whose link broke; and marking notices read.

Which sections *used* content is known above the curriculum (students' choices are the learning app's):
the learning app registers a finder with ``register_section_finder`` when it starts, so this module never
imports upward."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils import timezone

from cairn.accounts.models import Enrolment, User
from cairn.curriculum.models import Content, ContentNotice, SectionContent

SectionFinder = Callable[[Content], Iterable[int]]
_section_finders: list[SectionFinder] = []


def register_section_finder(finder: SectionFinder) -> None:
    """A higher app tells which sections' students used a piece of content (ids of sections)."""
    if finder not in _section_finders:
        _section_finders.append(finder)


def notify_owner(content: Content, message: str) -> None:
    """Leave the content's owner a notice; content without an owner (an import) tells nobody."""
    if content.owner_id is not None:
        ContentNotice.objects.create(recipient_id=content.owner_id, content=content, message=message[:500])


def sections_using(content: Content) -> set[int]:
    """Sections where the content was chosen (shown instead of other content, or hidden) or used."""
    chosen = SectionContent.objects.filter(Q(content=content) | Q(replacement=content))
    found = set(chosen.values_list("section_id", flat=True))
    for finder in _section_finders:
        found.update(finder(content))
    return found


def notify_section_teachers(content: Content, message: str) -> int:
    """Tell the current teachers of every section that chose or used the content (not its owner twice)."""
    teachers = set(
        Enrolment.objects.current()
        .filter(section_id__in=sections_using(content), kind=Enrolment.Kind.TEACHER)
        .values_list("user_id", flat=True)
    ) - {content.owner_id}
    ContentNotice.objects.bulk_create(
        ContentNotice(recipient_id=pk, content=content, message=message[:500]) for pk in sorted(teachers)
    )
    return len(teachers)


def mark_notices_read(user: User) -> int:
    return ContentNotice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
