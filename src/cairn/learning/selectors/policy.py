"""The district's mastery policy in force: what counts as mastered and when practice is wheel-spinning.

The rules themselves are the engine's (:class:`cairn.engine.release.MasteryRule`,
:class:`cairn.engine.wheelspin.WheelSpinGuard`); a district stores its own settings, and a student's answers
are judged by the policy of the district of their school. Changing it is
:func:`cairn.learning.services.policy.set_policy`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cairn.accounts import access
from cairn.accounts.models import District, Role, RoleAssignment, User
from cairn.engine import release
from cairn.engine.wheelspin import WheelSpinGuard
from cairn.learning.models import MasteryPolicy


@dataclass(frozen=True)
class Policy:
    mastery: release.MasteryRule
    guard: WheelSpinGuard

    @property
    def recent(self) -> int:
        """Mastery estimates to keep per competency: enough for the guard's window and its baseline."""
        return 2 * self.guard.attempts + 1


DEFAULT = Policy(release.MasteryRule(), WheelSpinGuard())


def _from_row(row: MasteryPolicy) -> Policy:
    return Policy(
        release.MasteryRule(row.threshold, row.check_items, row.check_to_pass, method=row.method),
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
    """Only that district's admins (or platform admins) change its policy."""
    roles = access.roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN, district=district).exists()
