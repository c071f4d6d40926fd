"""The teacher's autonomy-skills pages, mounted under /teach/ beside insights' class pages."""

from django.urls import path

from cairn.agency import autonomy_views

urlpatterns = [
    path("sections/<int:section_id>/autonomy/", autonomy_views.class_autonomy, name="agency-autonomy"),
    path(
        "sections/<int:section_id>/autonomy/students/<int:student_id>/",
        autonomy_views.student_autonomy,
        name="agency-autonomy-student",
    ),
]
