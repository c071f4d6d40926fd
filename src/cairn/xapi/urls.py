from django.urls import path

from cairn.xapi import views

urlpatterns = [
    path("statements", views.statements, name="xapi-statements"),
    path("about", views.about, name="xapi-about"),
]
