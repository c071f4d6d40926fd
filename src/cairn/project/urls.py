from django.contrib import admin
from django.urls import include, path

from cairn.core.views import healthz
from cairn.project.api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
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
