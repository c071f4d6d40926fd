from django.urls import path

from cairn.insights.views import (
    class_view,
    export,
    groups,
    my_task,
    overrides,
    stations,
    student,
    tiered,
    today,
)

urlpatterns = [
    path("sections/<int:section_id>/", today.section_home, name="insights-section"),
    path("sections/<int:section_id>/today/", today.today, name="insights-today"),
    path("sections/<int:section_id>/class/", class_view.class_view, name="insights-class"),
    path("sections/<int:section_id>/students/<int:student_id>/", student.student, name="insights-student"),
    path("sections/<int:section_id>/groups/", groups.groups, name="insights-groups"),
    path("sections/<int:section_id>/groups/save/", groups.group_save, name="insights-group-save"),
    path("sections/<int:section_id>/override/", overrides.override, name="insights-override"),
    path("sections/<int:section_id>/overrides/", overrides.override_log, name="insights-overrides"),
    path("sections/<int:section_id>/alerts/resolve/", today.alerts_resolve, name="insights-alerts-resolve"),
    path(
        "sections/<int:section_id>/assign-challenges/",
        today.assign_challenges,
        name="insights-assign-challenges",
    ),
    path(
        "sections/<int:section_id>/content/<int:content_id>/hide/",
        today.content_hide,
        name="insights-content-hide",
    ),
    path("sections/<int:section_id>/tiered/", tiered.tiered, name="insights-tiered"),
    path("sections/<int:section_id>/stations/", stations.stations, name="insights-stations"),
    path("sections/<int:section_id>/export.csv", export.export_csv, name="insights-export"),
    path(
        "sections/<int:section_id>/oneroster-gradebook.zip",
        export.oneroster_section,
        name="insights-oneroster-section",
    ),
    path(
        "districts/<int:district_id>/oneroster-gradebook.zip",
        export.oneroster_district,
        name="insights-oneroster-district",
    ),
    path("groups/<int:group_id>/", groups.group_detail, name="insights-group"),
    path("groups/<int:group_id>/<str:command>/", groups.group_command, name="insights-group-command"),
    path("tiered/<int:task_id>/", tiered.tiered_task, name="insights-tiered-task"),
    path("tasks/<int:task_id>/", my_task.my_task, name="insights-my-task"),
    path("stations/<int:plan_id>/", stations.station_plan, name="insights-station-plan"),
]
