"""The district's mastery policy: what counts as mastered and when practice is wheel-spinning.

The rules themselves are the engine's (:class:`cairn.engine.release.MasteryPolicy`,
:class:`cairn.engine.wheelspin.WheelSpinGuard`); a district stores its own settings, and a student's answers
are judged by the policy of the district of their school. Only that district's admins (or platform admins)
change it; a change is validated by the engine before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from cairn.accounts import access
from cairn.accounts.models import District, Role, RoleAssignment, User
from cairn.engine import release
from cairn.engine.wheelspin import WheelSpinGuard
from cairn.learning.models import MasteryPolicy


@dataclass(frozen=True)
class Policy:
    mastery: release.MasteryPolicy
    guard: WheelSpinGuard

    @property
    def recent(self) -> int:
        """Mastery estimates to keep per competency: enough for the guard's window and its baseline."""
        return 2 * self.guard.attempts + 1


DEFAULT = Policy(release.MasteryPolicy(), WheelSpinGuard())


class PolicyError(ValueError):
    """Settings that don't make a policy; the message says which and why. Nothing was written."""


def _from_row(row: MasteryPolicy) -> Policy:
    return Policy(
        release.MasteryPolicy(row.threshold, row.check_items, row.check_to_pass),
        WheelSpinGuard(attempts=row.wheel_spin_attempts),
    )


def for_district(district: District) -> Policy:
    row = MasteryPolicy.objects.filter(district=district).first()
    return _from_row(row) if row else DEFAULT


def for_student(student: User) -> Policy:
    """The policy of the district of the student's school (the default when it has none)."""
    district_ids = RoleAssignment.objects.filter(user=student, role=Role.STUDENT).values(
        "school__district_id"
    )
    row = MasteryPolicy.objects.filter(district_id__in=district_ids).order_by("pk").first()
    return _from_row(row) if row else DEFAULT


def can_manage(user: User, district: District) -> bool:
    roles = access.roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN, district=district).exists()


@transaction.atomic
def set_policy(
    admin: User,
    district: District,
    *,
    threshold: float,
    check_items: int,
    check_to_pass: int,
    wheel_spin_attempts: int,
) -> MasteryPolicy:
    if not can_manage(admin, district):
        raise PermissionError("Only this district's admins can change its mastery policy.")
    if not 0.5 <= threshold <= 0.99:
        raise PolicyError("The mastery threshold must be between 0.5 and 0.99.")
    if not 0 <= check_items <= 10:
        raise PolicyError("The check has between 0 and 10 questions.")
    if not 0 <= check_to_pass <= check_items:
        raise PolicyError("Right answers needed to pass can't be more than the check's questions.")
    if not 3 <= wheel_spin_attempts <= 50:
        raise PolicyError("Wheel-spinning is judged over 3 to 50 answers (research default: 10).")
    try:
        release.MasteryPolicy(threshold, check_items, check_to_pass)
    except ValueError as exc:  # the engine has the last word on what a policy is
        raise PolicyError(str(exc)) from exc
    row, _ = MasteryPolicy.objects.update_or_create(
        district=district,
        defaults={
            "threshold": threshold,
            "check_items": check_items,
            "check_to_pass": check_to_pass,
            "wheel_spin_attempts": wheel_spin_attempts,
            "updated_by": admin,
        },
    )
    return row
