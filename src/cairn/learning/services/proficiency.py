"""Changing a district's proficiency scale: only its admins (or platform admins) may, and the whole scale is
checked before anything is written. The scale in force is read with
:mod:`cairn.learning.selectors.proficiency`.

Labels travel in machine formats (OneRoster's ``scoreScaleValue`` list is ``{score:label},{score:label}``;
LTI scores carry them as comments), so they are validated here rather than escaped on the way out: no
``:``, ``,``, ``{`` or ``}``, no control characters, and no first character a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import District, User
from cairn.core.errors import Forbidden, Invalid
from cairn.learning.models import ProficiencyScale
from cairn.learning.selectors.policy import can_manage
from cairn.learning.selectors.proficiency import Level, Scale

MAX_LEVELS = 10
LABEL_FORBIDDEN = set(":,{}")
FORMULA_STARTS = ("=", "+", "-", "@")


def _check_label(label: str) -> str:
    label = label.strip()
    if not 1 <= len(label) <= 40:
        raise Invalid(_("Each level needs a name of 1 to 40 characters."), field="levels")
    if LABEL_FORBIDDEN & set(label) or any(ord(ch) < 32 or ord(ch) == 127 for ch in label):
        raise Invalid(f"A level's name can't hold : , {{ or }} (“{label}”).", field="levels")
    if label.startswith(FORMULA_STARTS):
        raise Invalid(f"A level's name can't start with = + - or @ (“{label}”).", field="levels")
    return label


def check_scale(levels: Sequence[tuple[float | None, float, str]]) -> Scale:
    """``levels`` as (minimum estimate or None for mastered, score, label), lowest first, checked in full."""
    if not 2 <= len(levels) <= MAX_LEVELS:
        raise Invalid(_("A scale has 2 to %(n)d levels.") % {"n": MAX_LEVELS}, field="levels")
    *below, top = levels
    if top[0] is not None or any(minimum is None for minimum, _, _ in below):
        raise Invalid(_("The last (highest) level, and only it, is the mastered level."), field="levels")
    scores = [score for _, score, _ in levels]
    if any(not math.isfinite(s) or not 0 <= s <= 1000 for s in scores):  # LMS scores are never negative
        raise Invalid(_("Scores are numbers between 0 and 1000."), field="levels")
    if any(b <= a for a, b in itertools.pairwise(scores)):
        raise Invalid(_("Each level scores higher than the one below it."), field="levels")
    minimums = [float(m) for m, _, _ in below if m is not None]
    if minimums[0] != 0:
        raise Invalid(
            _("The lowest level starts at mastery 0, so every started competency has a level."),
            field="levels",
        )
    if any(not 0 <= m < 1 for m in minimums) or any(b <= a for a, b in itertools.pairwise(minimums)):
        raise Invalid(_("Mastery minimums go up from 0 and stay below 1 (100%)."), field="levels")
    return Scale(tuple(Level(score, _check_label(label), minimum) for minimum, score, label in levels))


@transaction.atomic
def set_scale(
    admin: User, district: District, *, levels: Sequence[tuple[float | None, float, str]]
) -> ProficiencyScale:
    if not can_manage(admin, district):
        raise Forbidden(_("Only this district's admins can change its proficiency scale."))
    scale = check_scale(levels)
    row, _created = ProficiencyScale.objects.update_or_create(
        district=district, defaults={"levels": scale.as_rows(), "updated_by": admin}
    )
    return row
