from django.urls import path

from cairn.lti import views

urlpatterns = [
    path("login/", views.login, name="lti-login"),
    path("launch/", views.launch, name="lti-launch"),
    path("jwks/", views.jwks, name="lti-jwks"),
]
