from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="diagnostic-home"),
    path("<int:diagnostic_id>/start/", views.start, name="diagnostic-start"),
    path("sittings/<int:sitting_id>/", views.take, name="diagnostic-take"),
    path("sittings/<int:sitting_id>/answer/", views.answer, name="diagnostic-answer"),
    path("sittings/<int:sitting_id>/result/", views.result, name="diagnostic-result"),
    path("sections/<int:section_id>/", views.section, name="diagnostic-section"),
]
