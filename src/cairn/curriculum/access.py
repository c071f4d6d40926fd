"""Who may see, author, review and choose content. Every curriculum view and API asks this module.

- The library (search, content, competencies, items) is for staff: teachers, school leaders, district
  admins and platform admins. Students and guardians never see it.
- Staff see library content that has entered vetting (in review, approved, retired) and their own drafts,
  of their own district and the platform library; of other districts only what is shared and approved
  (read-only, adoptable). Districts' ownership rules are in cairn.curriculum.ownership.
- Teachers, district admins and platform admins author content and items.
- Reviewers approve: members of the "Content reviewers" group (the ``curriculum.approve_content``
  permission), district admins and platform admins, each for their own district's content and questions
  (platform admins for all). Nobody approves their own work for the library.
- Students get only content approved for their district, not hidden in their sections, and not broken.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cairn.accounts.access import roles_of
from cairn.accounts.models import Enrolment, Role, Section, User
from cairn.curriculum import ownership
from cairn.curriculum.models import Content, Item, Scope, SectionContent, Status

STAFF_ROLES = {Role.TEACHER, Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN}
AUTHOR_ROLES = {Role.TEACHER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN}
REVIEWER_ROLES = {Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN}
APPROVE_PERMISSION = "curriculum.approve_content"


def is_staff(user: User) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


def can_author(user: User) -> bool:
    return bool(roles_of(user) & AUTHOR_ROLES)


def can_review(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(roles_of(user) & REVIEWER_ROLES) or user.has_perm(APPROVE_PERMISSION)


def _home(user: User) -> Q:
    """Their own district's and the platform library's."""
    return Q(district__isnull=True) | Q(district_id__in=ownership.district_ids_of(user))


def visible_content(user: User) -> QuerySet[Content]:
    if not is_staff(user):
        return Content.objects.none()
    if Role.PLATFORM_ADMIN in roles_of(user):
        return Content.objects.all()
    vetted = _home(user) & Q(scope=Scope.LIBRARY) & ~Q(status=Status.DRAFT)
    elsewhere = ownership.shared_elsewhere(ownership.district_ids_of(user)) & Q(scope=Scope.LIBRARY)
    return Content.objects.filter(vetted | elsewhere | Q(owner=user))


def reviews_here(user: User, content: Content | Item) -> Q:
    """Which of a thing's reviews a person sees: those made in their district or the platform's, and the
    owner district's (the review another district adopts on)."""
    if Role.PLATFORM_ADMIN in roles_of(user):
        return Q()
    return (
        Q(district__isnull=True)
        | Q(district_id__in=ownership.district_ids_of(user))
        | Q(district_id=content.district_id)
    )


def reviews_for(user: User, district_id: int | None) -> bool:
    """Whether a person reviews for a district's queue (None: the platform library's)."""
    if not can_review(user):
        return False
    if Role.PLATFORM_ADMIN in roles_of(user):
        return True
    mine = set(ownership.district_ids_of(user).values_list("pk", flat=True))
    return district_id in mine if district_id is not None else not mine


def review_scope(user: User) -> Q:
    """The queue a reviewer works: their own districts' (the platform library's if they have none)."""
    if Role.PLATFORM_ADMIN in roles_of(user):
        return Q()
    mine = ownership.district_ids_of(user)
    return Q(district_id__in=mine) if mine.exists() else Q(district__isnull=True)


def can_view_content(user: User, content: Content) -> bool:
    return visible_content(user).filter(pk=content.pk).exists()


def can_edit_content(user: User, content: Content) -> bool:
    return content.owner_id == user.pk or Role.PLATFORM_ADMIN in roles_of(user)


def can_share(user: User, thing: Content | Item) -> bool:
    """Its author, a reviewer of its district, or a platform admin opts it into (or out of) sharing."""
    return thing.district_id is not None and (
        thing.owner_id == user.pk or reviews_for(user, thing.district_id)
    )


def can_adopt(user: User, thing: Content | Item) -> bool:
    """A district's reviewers (and admins) adopt another district's shared, approved content for it."""
    if thing.district_id is None or not thing.shared or thing.status != Status.APPROVED:
        return False
    return any(d != thing.district_id for d in adoptable_for(user))


def adoptable_for(user: User) -> list[int]:
    """The districts a person may adopt for: those they review for."""
    if not can_review(user) or Role.PLATFORM_ADMIN in roles_of(user):
        return []
    return list(ownership.district_ids_of(user).values_list("pk", flat=True))


@dataclass(frozen=True)
class ContentActions:
    """What a person may do to a piece of content now: the buttons its page offers."""

    is_owner: bool
    can_use: bool  # approve their own draft for their own sections
    can_submit: bool  # share it with the library (review)
    can_retire: bool
    can_review_now: bool
    can_share: bool = False
    can_adopt: bool = False


def content_actions(user: User, content: Content) -> ContentActions:
    is_owner = content.owner_id == user.pk
    can_edit = can_edit_content(user, content)
    shared_and_approved = content.scope == Scope.LIBRARY and content.status == Status.APPROVED
    return ContentActions(
        is_owner=is_owner,
        can_use=is_owner and content.scope == Scope.SECTIONS and content.status == Status.DRAFT,
        can_submit=can_edit and content.status in (Status.DRAFT, Status.APPROVED) and not shared_and_approved,
        can_retire=content.status != Status.RETIRED and (can_edit or reviews_for(user, content.district_id)),
        can_review_now=content.status == Status.IN_REVIEW
        and not is_owner
        and reviews_for(user, content.district_id),
        can_share=shared_and_approved and can_share(user, content),
        can_adopt=can_adopt(user, content),
    )


@dataclass(frozen=True)
class ItemActions:
    """What a person may do to a question now: the buttons its page offers."""

    can_submit: bool
    can_review_now: bool
    can_share: bool = False
    can_adopt: bool = False


def item_actions(user: User, item: Item) -> ItemActions:
    return ItemActions(
        can_submit=item.status == Status.DRAFT and can_author(user) and item.owner_id == user.pk,
        can_review_now=item.status == Status.IN_REVIEW
        and item.owner_id != user.pk
        and reviews_for(user, item.district_id),
        can_share=item.status == Status.APPROVED and can_share(user, item),
        can_adopt=can_adopt(user, item),
    )


def visible_items(user: User) -> QuerySet[Item]:
    if not is_staff(user):
        return Item.objects.none()
    if Role.PLATFORM_ADMIN in roles_of(user):
        return Item.objects.all()
    vetted = _home(user) & ~Q(status=Status.DRAFT)
    elsewhere = ownership.shared_elsewhere(ownership.district_ids_of(user))
    return Item.objects.filter(vetted | elsewhere | Q(owner=user))


def taught_sections(user: User) -> QuerySet[Section]:
    """Sections a teacher teaches today: where they may hide or replace content."""
    return Section.objects.filter(
        pk__in=Enrolment.objects.current().filter(user=user, kind=Enrolment.Kind.TEACHER).values("section_id")
    )


def student_sections(student: User) -> QuerySet[Section]:
    return Section.objects.filter(
        pk__in=Enrolment.objects.current()
        .filter(user=student, kind=Enrolment.Kind.STUDENT)
        .values("section_id")
    )


def content_for_student(student: User) -> QuerySet[Content]:
    """What may reach a student: approved for their district (library content) or made by a teacher of
    one of their sections for their own sections; not hidden or replaced in any of their sections (a
    replacement is offered instead, if it may reach them); never while its link is broken."""
    sections = student_sections(student)
    teachers = Enrolment.objects.current().filter(section__in=sections, kind=Enrolment.Kind.TEACHER)
    chosen = SectionContent.objects.filter(section__in=sections)
    districts = ownership.student_district_ids(student)
    reachable = (Q(scope=Scope.LIBRARY) & ownership.holds_in(districts, "content")) | Q(
        scope=Scope.SECTIONS, owner__in=teachers.values("user_id")
    )
    kept = reachable & ~Q(pk__in=chosen.values("content_id"))
    instead = reachable & Q(
        pk__in=chosen.filter(action=SectionContent.Action.REPLACE).values("replacement_id")
    )
    # One filter of subqueries, no joins: no duplicates to remove (a distinct query cannot be OR-ed).
    return (
        Content.objects.filter(status=Status.APPROVED)
        .exclude(link_status=Content.LinkStatus.BROKEN)
        .filter(kept | instead)
    )
