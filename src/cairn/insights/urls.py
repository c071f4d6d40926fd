from django.urls import path

from cairn.insights import views

urlpatterns = [
    path("sections/<int:section_id>/", views.section_home, name="insights-section"),
    path("sections/<int:section_id>/today/", views.today, name="insights-today"),
    path("sections/<int:section_id>/class/", views.class_view, name="insights-class"),
    path("sections/<int:section_id>/students/<int:student_id>/", views.student, name="insights-student"),
    path("sections/<int:section_id>/groups/", views.groups, name="insights-groups"),
    path("sections/<int:section_id>/groups/save/", views.group_save, name="insights-group-save"),
    path("sections/<int:section_id>/override/", views.override, name="insights-override"),
    path("sections/<int:section_id>/overrides/", views.override_log, name="insights-overrides"),
    path("sections/<int:section_id>/alerts/resolve/", views.alerts_resolve, name="insights-alerts-resolve"),
    path(
        "sections/<int:section_id>/assign-challenges/",
        views.assign_challenges,
        name="insights-assign-challenges",
    ),
    path(
        "sections/<int:section_id>/content/<int:content_id>/hide/",
        views.content_hide,
        name="insights-content-hide",
    ),
    path("sections/<int:section_id>/tiered/", views.tiered, name="insights-tiered"),
    path("sections/<int:section_id>/stations/", views.stations, name="insights-stations"),
    path("sections/<int:section_id>/export.csv", views.export_csv, name="insights-export"),
    path("groups/<int:group_id>/", views.group_detail, name="insights-group"),
    path("groups/<int:group_id>/<str:command>/", views.group_command, name="insights-group-command"),
    path("tiered/<int:task_id>/", views.tiered_task, name="insights-tiered-task"),
    path("stations/<int:plan_id>/", views.station_plan, name="insights-station-plan"),
]
