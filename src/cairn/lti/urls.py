from django.urls import include, path

from cairn.lti import admin_views, views

urlpatterns = [
    path("login/", views.login, name="lti-login"),
    path("launch/", views.launch, name="lti-launch"),
    path("jwks/", views.jwks, name="lti-jwks"),
    path("register/<str:token>/", views.register, name="lti-register"),
    path("districts/<int:district_id>/platforms/", admin_views.platforms, name="lti-platforms"),
    path("", include("cairn.lti.urls_services")),  # deep linking's answer, membership pulls (H7)
]
