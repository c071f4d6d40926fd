"""The project's URLs plus a view that fails, to see the 500 page through Django's whole stack."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cairn.project import urls as project


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project.urlpatterns]
handler400, handler403 = project.handler400, project.handler403
handler404, handler500 = project.handler404, project.handler500
