"""A teacher gives students of their class a new password, shown once on a printable sign-in card.

The rules:

- only a teacher who teaches the section now, for students enrolled in it now (a leader or admin who may see
  the class does not; other staff reset passwords by email or in the admin);
- never for an account that holds any role besides student: a teacher must not take over a colleague's or a
  guardian's account through a class list;
- the new password is random (``PASSWORD_ALPHABET``: no 0/O, 1/l/I a child could misread), kept only as its
  hash; the old password, the student's API tokens and other signed-in sessions stop working
  (``services.set_password``; Django ends sessions whose password hash changed) and earlier failed tries no
  longer slow the student's sign-in;
- every reset is one audit event per student (``password_reset``), a security event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from cairn.accounts import access, services, throttle
from cairn.accounts.models import Role, RoleAssignment, Section, User
from cairn.core import audit
from cairn.core.errors import Forbidden, Invalid

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 2, 4  # "kp7m-3xq9": 31**8, about 2**40, behind the sign-in throttle


@dataclass(frozen=True)
class SignInCard:
    student: User
    password: str


def may_reset_passwords(user: User, section: Section) -> bool:
    """Whether ``user`` teaches ``section`` now (the one who may give its students new passwords)."""
    return access.teaches_section(user, section)


def resettable_students(section: Section) -> list[User]:
    """The section's students now whose only role is student (the ones a teacher may give a password)."""
    staff_or_family = RoleAssignment.objects.exclude(role=Role.STUDENT).values("user_id")
    students = access.students_in_section(section).filter(role_assignments__role=Role.STUDENT)
    students = students.exclude(pk__in=staff_or_family).exclude(children_links__isnull=False)
    return list(students.exclude(is_staff=True).exclude(is_superuser=True).distinct())


def new_password() -> str:
    return "-".join(get_random_string(GROUP_LENGTH, PASSWORD_ALPHABET) for _ in range(GROUPS))


@transaction.atomic
def reset_passwords(
    *, teacher: User, section: Section, student_ids: Iterable[int], request: HttpRequest | None = None
) -> list[SignInCard]:
    """Give each chosen student of ``section`` a new password; returns the cards (the only time the
    passwords exist in clear)."""
    if not may_reset_passwords(teacher, section):
        raise Forbidden(_("Only a teacher of this class can give its students new passwords."))
    wanted = {int(pk) for pk in student_ids}
    if not wanted:
        raise Invalid(_("Choose at least one student."), field="students")
    allowed = {s.pk: s for s in resettable_students(section)}
    if not wanted <= allowed.keys():
        raise Forbidden(_("You can give new passwords only to students of this class."), field="students")
    cards = []
    for pk in sorted(wanted, key=lambda pk: (allowed[pk].last_name, allowed[pk].first_name, pk)):
        student = allowed[pk]
        password = new_password()
        services.set_password(user=student, password=password)
        throttle.record_success(username=student.username)
        audit.record(
            audit.AuditAction.PASSWORD_RESET,
            actor=teacher,
            student=student,
            section=section,
            request=request,
            detail={"by": "teacher", "how": "sign-in card"},
        )
        cards.append(SignInCard(student=student, password=password))
    return cards
