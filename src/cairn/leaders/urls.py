"""The leaders' pages, mounted under /leaders/. Other parts of the leaders' work add their routes here."""

from django.urls import path

from cairn.leaders.views import definition, goals, home, walkthroughs
from cairn.leaders.views import effect as effect_views
from cairn.leaders.views import equity as equity_views
from cairn.leaders.views import reports as report_views
from cairn.leaders.views import scores as scores_views
from cairn.leaders.views import teacher_paths as tp_views

urlpatterns = [
    path("", home.home, name="leaders-home"),
    path("districts/<int:district_id>/", home.district_home, name="leaders-district"),
    path("schools/<int:school_id>/", home.school_home, name="leaders-school"),
    path("definition/", definition.read, name="leaders-definition"),
    path("districts/<int:district_id>/definition/", definition.edit, name="leaders-definition-edit"),
    path("districts/<int:district_id>/goals/", goals.goal_list, name="leaders-goals"),
    path("districts/<int:district_id>/goals/new/", goals.goal_form, name="leaders-goal-new"),
    path("districts/<int:district_id>/goals/<int:goal_id>/", goals.goal_form, name="leaders-goal-edit"),
    path("districts/<int:district_id>/effect/", effect_views.district_effect, name="leaders-effect"),
    path("schools/<int:school_id>/effect/", effect_views.school_effect, name="leaders-school-effect"),
    path("districts/<int:district_id>/scores/", scores_views.upload, name="leaders-scores-upload"),
    path("districts/<int:district_id>/equity/", equity_views.district_equity, name="leaders-equity"),
    path("schools/<int:school_id>/equity/", equity_views.school_equity, name="leaders-school-equity"),
    path("districts/<int:district_id>/report.<str:fmt>", report_views.district_report, name="leaders-report"),
    path(
        "schools/<int:school_id>/report.<str:fmt>", report_views.school_report, name="leaders-school-report"
    ),
    path("walkthroughs/", walkthroughs.walkthrough_list, name="leaders-walkthroughs"),
    path("walkthroughs/new/", walkthroughs.walkthrough_new, name="leaders-walkthrough-new"),
    # Teachers' own paths (teacher_paths views): the teacher's page, a leader's read, support per school.
    path("me/path/", tp_views.my_path, name="leaders-my-path"),
    path("me/path/working-on/", tp_views.choose, name="leaders-my-path-choose"),
    path("me/path/sharing/", tp_views.sharing, name="leaders-my-path-sharing"),
    path("teachers/<int:teacher_id>/path/", tp_views.teacher_path, name="leaders-teacher-path"),
    path("schools/<int:school_id>/support/", tp_views.school_support, name="leaders-school-support"),
    path("districts/<int:district_id>/support/", tp_views.district_support, name="leaders-district-support"),
]
