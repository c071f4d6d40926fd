"""A URLconf for tests/core/test_errors.py: views and one API operation that raise each kind of CairnError,
so the two mappings (the Ninja handler and the page middleware) are exercised through Django's full stack."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from cairn.core import errors
from cairn.project.api import cairn_error

KINDS: dict[str, type[errors.CairnError]] = {
    "invalid": errors.Invalid,
    "forbidden": errors.Forbidden,
    "not_found": errors.NotFound,
    "conflict": errors.Conflict,
}


def refuse(request: HttpRequest, kind: str) -> HttpResponse:
    raise KINDS[kind](f"refused as {kind}", field="answer")


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


api = NinjaAPI(urls_namespace="errors-test", auth=None)
api.add_exception_handler(errors.CairnError, cairn_error)


@api.get("/refuse/{kind}")
def api_refuse(request: HttpRequest, kind: str) -> None:
    raise KINDS[kind](f"refused as {kind}", fields={"answer": "a number", "minutes": "at most 300"})


urlpatterns = [
    path("", home, name="home"),
    path("refuse/<str:kind>", refuse, name="refuse"),
    path("api/", api.urls),
]
