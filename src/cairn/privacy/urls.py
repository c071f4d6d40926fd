"""The privacy pages: families' requests (district admins), and who saw a student's data (the audit trail)."""

from django.urls import URLPattern, URLResolver, path

from cairn.privacy.views import audit, requests

urlpatterns: list[URLPattern | URLResolver] = [
    path("", requests.request_list, name="privacy-requests"),
    path("requests/new/", requests.log_request, name="privacy-request-log"),
    path("requests/<int:request_id>/approve/", requests.approve, name="privacy-request-approve"),
    path("requests/<int:request_id>/fulfil/", requests.fulfil, name="privacy-request-fulfil"),
    path("requests/<int:request_id>/download/", requests.download, name="privacy-request-download"),
    path("retention/<int:district_id>/", requests.retention, name="privacy-retention"),
    path("audit/", audit.audit_page, name="privacy-audit"),
]
