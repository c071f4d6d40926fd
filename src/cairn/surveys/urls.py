"""The survey pages, mounted under /surveys/."""

from django.urls import path

from cairn.surveys import views

urlpatterns = [
    path("", views.mine, name="surveys-mine"),
    path("windows/<int:window_id>/", views.take, name="surveys-take"),
    path("windows/<int:window_id>/results/", views.results, name="surveys-results"),
    path("results/", views.result_list, name="surveys-result-list"),
    path("districts/<int:district_id>/", views.district_surveys, name="surveys-district"),
    path("districts/<int:district_id>/defaults/", views.install_defaults, name="surveys-defaults"),
    path("districts/<int:district_id>/new/", views.edit, name="surveys-new"),
    path("districts/<int:district_id>/<int:survey_id>/", views.edit, name="surveys-edit"),
    path("districts/<int:district_id>/<int:survey_id>/windows/", views.new_window, name="surveys-window-new"),
]
