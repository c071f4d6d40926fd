"""Who may edit surveys and read their results: a district admin their district's surveys (results for
the district and each school), a school leader the results of their own school; a platform admin
everything. Anyone else is answered "not found" (the same answer on purpose)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cairn.accounts.access import roles_of, visible_schools
from cairn.accounts.models import District, Role, RoleAssignment, School, User
from cairn.core.errors import NotFound
from cairn.surveys.models import Survey, SurveyWindow


def admin_district(user: User, district_id: int) -> District:
    """The district ``user`` administers with this id."""
    districts = District.objects.filter(pk=district_id)
    if Role.PLATFORM_ADMIN not in roles_of(user):
        districts = districts.filter(
            pk__in=RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN).values("district_id")
        )
    district = districts.first()
    if district is None:
        raise NotFound(_("No such district."))
    return district


def editable_survey(user: User, district: District, survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id, district=district).first()
    if survey is None:
        raise NotFound(_("No such survey."))
    return survey


def results_scope(user: User, window_id: int) -> tuple[SurveyWindow, bool, list[School]]:
    """The window, whether ``user`` may see the whole district's figures, and the schools they may see."""
    window = (
        SurveyWindow.objects.select_related("survey__district", "school", "section")
        .filter(pk=window_id)
        .first()
    )
    if window is None:
        raise NotFound(_("No such survey window."))
    district = window.survey.district
    roles = roles_of(user)
    whole = (
        Role.PLATFORM_ADMIN in roles
        or RoleAssignment.objects.filter(user=user, role=Role.DISTRICT_ADMIN, district=district).exists()
    )
    schools = (
        list(visible_schools(user).filter(district=district).order_by("name"))
        if roles & {Role.PLATFORM_ADMIN, Role.DISTRICT_ADMIN, Role.SCHOOL_LEADER}
        else []
    )
    if window.school_id:
        schools = [s for s in schools if s.pk == window.school_id]
    if not whole and not schools:
        raise NotFound(_("No such survey window."))
    return window, whole, schools


def result_windows(user: User) -> list[SurveyWindow]:
    """Windows whose results a leader may open (of their district, or their schools' district)."""
    district_ids = set(visible_schools(user).values_list("district_id", flat=True))
    return list(
        SurveyWindow.objects.filter(survey__district_id__in=district_ids, survey__kind=Survey.Kind.SURVEY)
        .select_related("survey", "school", "section")
        .order_by("survey__title", "-opens")
    )
