"""The demo district's teachers on their own paths: two walkthroughs per teacher over the last month (at the
last school by code the grouping and small-group look-fors are not yet seen, so that school needs support on
them), the nightly evidence job run once, one teacher working on a practice and one sharing their path
beyond the principal. Deterministic and quick; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import District, Enrolment, Role, RoleAssignment, School, User
from cairn.leaders import lookfors, teacher_paths
from cairn.leaders.models import Walkthrough, WalkthroughMark
from cairn.leaders.teacher_evidence import feed_evidence

NOTE = "Demo walkthrough (teachers' paths)."
# What the school needing support does not show yet (grouping, small groups, tiering).
NOT_YET = {"small_group", "profile_known", "different_work", "student_choice"}
VISITS_DAYS_AGO = (24, 10)


def _teachers(school: School) -> list[User]:
    ids = RoleAssignment.objects.filter(role=Role.TEACHER, school=school).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def _visit(school: School, teacher: User, observer: User | None, at: dt.datetime, weak: bool) -> None:
    section = Enrolment.objects.filter(user=teacher, kind=Enrolment.Kind.TEACHER).order_by("pk").first()
    visit = Walkthrough.objects.create(
        school=school,
        section=section.section if section else None,
        teacher=teacher,
        observer=observer,
        at=at,
        notes=NOTE,
    )
    WalkthroughMark.objects.bulk_create(
        WalkthroughMark(
            walkthrough=visit,
            look_for=look.key,
            pillar=look.pillar,
            seen=not (weak and look.key in NOT_YET),
        )
        for look in lookfors.for_district(school.district)
    )


def seed_teacher_paths(district: District, today: dt.date | None = None) -> int:
    """Seed once (left as it is when the demo walkthroughs exist); returns the evidence pieces recorded."""
    if Walkthrough.objects.filter(school__district=district, notes=NOTE).exists():
        return 0
    day = today or timezone.localdate()
    schools = list(School.objects.filter(district=district, active=True).order_by("code"))
    if not schools:
        return 0
    with transaction.atomic():
        teacher_paths.sync_course(district=district)
        for school in schools:
            observer = User.objects.filter(
                role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school=school
            ).first()
            for teacher in _teachers(school):
                for days in VISITS_DAYS_AGO:
                    at = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=days), dt.time(10)))
                    _visit(school, teacher, observer, at, weak=school == schools[-1])
        fed = feed_evidence(district=district, on=day)
        first = _teachers(schools[0])
        practices = teacher_paths.practices_of(teacher_paths.course_of(district))
        if first and practices:
            teacher_paths.set_sharing(teacher=first[0], beyond_principal=True)
            teacher_paths.choose_focus(teacher=first[0], competency_id=practices[0].pk)
    return fed
