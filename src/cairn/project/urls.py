from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cairn.core.views import healthz
from cairn.project.api import api

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
    path("privacy/", include("cairn.privacy.urls")),
    path("", include("cairn.accounts.urls")),
]
