from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cairn.core.views import healthz
from cairn.project.api import api

# Every error is the one styled page with a way back (cairn.core.error_pages), never Django's bare one.
handler400 = "cairn.core.error_pages.bad_request"
handler403 = "cairn.core.error_pages.permission_denied"
handler404 = "cairn.core.error_pages.page_not_found"
handler500 = "cairn.core.error_pages.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin signs in through Cairn's own form: the throttle and the second step live there.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("curriculum/", include("cairn.curriculum.urls")),
    path("learn/", include("cairn.learning.urls")),
    path("learn/", include("cairn.agency.urls")),
    path("diagnostic/", include("cairn.assessments.urls")),
    path("teach/", include("cairn.insights.urls")),
    path("teach/", include("cairn.agency.autonomy_urls")),
    path("lti/", include("cairn.lti.urls")),
    # Other tools' xAPI statements (HTTP Basic per tool; cairn.xapi.views).
    path("xapi/", include("cairn.xapi.urls")),
    path("privacy/", include("cairn.privacy.urls")),
    path("leaders/", include("cairn.leaders.urls")),
    path("surveys/", include("cairn.surveys.urls")),
    path("families/", include("cairn.families.urls")),
    path("", include("cairn.accounts.urls")),
]
