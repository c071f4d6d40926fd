"""Changing a district's mastery policy: only its admins (or platform admins) may, and a change is
validated in full (and by the engine) before anything is written. The policy in force is read with
:mod:`cairn.learning.selectors.policy`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import District, User
from cairn.core.errors import Forbidden, Invalid
from cairn.engine import release
from cairn.learning.models import MasteryPolicy
from cairn.learning.selectors.policy import can_manage

POSTERIOR_MAX = 0.999  # the highest threshold for mastery on the estimate alone
POSTERIOR_RECOMMENDED = 0.997  # benchmarks/sequencing.py: 97.5% truly mastered on learners like the fitted


@transaction.atomic
def set_policy(
    admin: User,
    district: District,
    *,
    threshold: float,
    check_items: int,
    check_to_pass: int,
    wheel_spin_attempts: int,
    method: str = "check",
) -> MasteryPolicy:
    if not can_manage(admin, district):
        raise Forbidden(_("Only this district's admins can change its mastery policy."))
    if method not in release.METHODS:
        raise Invalid(f"The mastery method must be one of {', '.join(release.METHODS)}.", field="method")
    # Mastery on the estimate alone needs a surer estimate (0.997 recommended, BENCHMARKS.md Sequencing).
    highest = POSTERIOR_MAX if method == "posterior" else 0.99
    if not 0.5 <= threshold <= highest:
        raise Invalid(
            _("The mastery threshold must be between 0.5 and %(highest)s.") % {"highest": highest},
            field="threshold",
        )
    if not 0 <= check_items <= 10:
        raise Invalid(_("The check has between 0 and 10 questions."), field="check_items")
    if not 0 <= check_to_pass <= check_items:
        raise Invalid(
            _("Right answers needed to pass can't be more than the check's questions."), field="check_to_pass"
        )
    if not 3 <= wheel_spin_attempts <= 50:
        raise Invalid(
            _("Wheel-spinning is judged over 3 to 50 answers (research default: 10)."),
            field="wheel_spin_attempts",
        )
    try:
        release.MasteryRule(threshold, check_items, check_to_pass, method=method)
    except ValueError as exc:  # the engine has the last word on what a policy is
        raise Invalid(str(exc)) from exc
    row, _created = MasteryPolicy.objects.update_or_create(
        district=district,
        defaults={
            "threshold": threshold,
            "check_items": check_items,
            "check_to_pass": check_to_pass,
            "wheel_spin_attempts": wheel_spin_attempts,
            "method": method,
            "updated_by": admin,
        },
    )
    return row
