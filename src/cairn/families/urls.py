from django.urls import path

from cairn.families import views

urlpatterns = [
    path("children/<int:child_id>/", views.child_page, name="families-child"),
    path("link/<str:token>/", views.child_page_by_link, name="families-link"),
    path("students/<int:student_id>/notes/new", views.note_new, name="families-note-new"),
    path("preferences/", views.preferences, name="families-preferences"),
    path("opt-out/<str:token>/", views.opt_out, name="families-opt-out"),
]
