"""Agency's pages, mounted under /learn/ beside the student's path; their names keep the ``learning-``
prefix the site's links have always used."""

from django.urls import path

from cairn.agency import views

urlpatterns = [
    path("goals/", views.goals, name="learning-goals"),
    path("reflect/", views.reflect, name="learning-reflect"),
]
