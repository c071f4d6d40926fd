"""URLs of LTI Advantage's services (deep linking's answer, membership pulls), included by cairn.lti.urls."""

from django.urls import path

from cairn.lti import deep_linking, views_services

urlpatterns = [
    path("deep-linking/", deep_linking.respond, name="lti-deep-link-respond"),
    path("sections/<int:section_id>/members/", views_services.pull_members, name="lti-pull-members"),
]
