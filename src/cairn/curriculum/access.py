"""Who may see, author, review and choose content. Every curriculum view and API asks this module.

- The library (search, content, competencies, items) is for staff: teachers, school leaders, district
  admins and platform admins. Students and guardians never see it.
- Staff see library content that has entered vetting (in review, approved, retired) and their own drafts.
- Teachers, district admins and platform admins author content and items.
- Reviewers approve: members of the "Content reviewers" group (the ``curriculum.approve_content``
  permission), district admins and platform admins. Nobody approves their own work for the library.
- Students get only approved content, and only what their teachers have not hidden in their sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cairn.accounts.access import roles_of
from cairn.accounts.models import Enrolment, Role, Section, User
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


def visible_content(user: User) -> QuerySet[Content]:
    if not is_staff(user):
        return Content.objects.none()
    if Role.PLATFORM_ADMIN in roles_of(user):
        return Content.objects.all()
    shared = Q(scope=Scope.LIBRARY) & ~Q(status=Status.DRAFT)
    return Content.objects.filter(shared | Q(owner=user))


def can_view_content(user: User, content: Content) -> bool:
    return visible_content(user).filter(pk=content.pk).exists()


def can_edit_content(user: User, content: Content) -> bool:
    return content.owner_id == user.pk or Role.PLATFORM_ADMIN in roles_of(user)


@dataclass(frozen=True)
class ContentActions:
    """What a person may do to a piece of content now: the buttons its page offers."""

    is_owner: bool
    can_use: bool  # approve their own draft for their own sections
    can_submit: bool  # share it with the library (review)
    can_retire: bool
    can_review_now: bool


def content_actions(user: User, content: Content) -> ContentActions:
    is_owner = content.owner_id == user.pk
    can_edit = can_edit_content(user, content)
    shared_and_approved = content.scope == Scope.LIBRARY and content.status == Status.APPROVED
    return ContentActions(
        is_owner=is_owner,
        can_use=is_owner and content.scope == Scope.SECTIONS and content.status == Status.DRAFT,
        can_submit=can_edit and content.status in (Status.DRAFT, Status.APPROVED) and not shared_and_approved,
        can_retire=content.status != Status.RETIRED and (can_edit or can_review(user)),
        can_review_now=content.status == Status.IN_REVIEW and not is_owner and can_review(user),
    )


@dataclass(frozen=True)
class ItemActions:
    """What a person may do to a question now: the buttons its page offers."""

    can_submit: bool
    can_review_now: bool


def item_actions(user: User, item: Item) -> ItemActions:
    return ItemActions(
        can_submit=item.status == Status.DRAFT and can_author(user) and item.owner_id == user.pk,
        can_review_now=item.status == Status.IN_REVIEW and item.owner_id != user.pk and can_review(user),
    )


def visible_items(user: User) -> QuerySet[Item]:
    if not is_staff(user):
        return Item.objects.none()
    if Role.PLATFORM_ADMIN in roles_of(user):
        return Item.objects.all()
    return Item.objects.filter(~Q(status=Status.DRAFT) | Q(owner=user))


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
    """What may reach a student: approved; library-wide or made by a teacher of one of their sections;
    not hidden or replaced in any of their sections (a replacement is offered instead, if approved)."""
    sections = student_sections(student)
    teachers = Enrolment.objects.current().filter(section__in=sections, kind=Enrolment.Kind.TEACHER)
    chosen = SectionContent.objects.filter(section__in=sections)
    reachable = Q(scope=Scope.LIBRARY) | Q(scope=Scope.SECTIONS, owner__in=teachers.values("user_id"))
    kept = reachable & ~Q(pk__in=chosen.values("content_id"))
    instead = Q(pk__in=chosen.filter(action=SectionContent.Action.REPLACE).values("replacement_id"))
    # One filter of subqueries, no joins: no duplicates to remove (a distinct query cannot be OR-ed).
    return Content.objects.filter(status=Status.APPROVED).filter(kept | instead)
