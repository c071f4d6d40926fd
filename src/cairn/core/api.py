"""``CairnAPI``, the NinjaAPI Cairn's routers hang on: the error answers documented once for every operation,
and callers that fail to sign in slowed per address.

Every operation can answer with the one error type (``cairn.core.errors``: 400, 403, 404, 409), with 401
when no valid token or session comes with it, 422 when Ninja cannot read the request, and 429 past the rate
limit (``cairn.core.throttles``). Rather than list those on each of the routers' operations, ``CairnAPI`` adds
them to every operation of the OpenAPI document that does not already say otherwise, so clients (and the
schemathesis test) learn every status they can get. An operation that can't return one of them in practice
still lists it: a documented status that never comes harms no client.

Ninja answers a request without a valid token or session (401) before any throttle runs, so the operations'
throttles never see it; ``CairnAPI`` counts those failures per address itself (``CAIRN_API_ANON_RATE``)
and answers 429 past the limit, so nobody can try tokens or sessions at full speed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.openapi.schema import OpenAPISchema

from cairn.core.throttles import ApiAnonThrottle


class ErrorOut(Schema):
    """The body of every refusal: what went wrong in words, and the input at fault when there is one."""

    detail: str
    field: str | None = None
    fields: dict[str, str] | None = None


class ValidationErrorOut(Schema):
    """Ninja's answer to a request it cannot read (422): one entry per problem, with its location."""

    detail: list[dict[str, Any]]


ERRORS: dict[int, tuple[str, str]] = {
    400: ("ErrorOut", "The input is wrong; `field`/`fields` name it."),
    401: ("ErrorOut", "No valid bearer token or session."),
    403: ("ErrorOut", "Not allowed for this person."),
    404: ("ErrorOut", "No such thing, or none this person may see."),
    409: ("ErrorOut", "The thing's state does not allow this now."),
    422: ("ValidationErrorOut", "The request could not be read (a missing or mistyped parameter)."),
    429: ("ErrorOut", "Too many requests: wait for the time in `Retry-After`."),
}


class CairnAPI(NinjaAPI):
    """Cairn's NinjaAPI: the error statuses documented on each operation, failed sign-ins rate-limited."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_exception_handler(AuthenticationError, self._unauthenticated)

    def _unauthenticated(self, request: HttpRequest, exc: Any) -> HttpResponse:
        throttle = ApiAnonThrottle()
        if throttle.allow_request(request):
            return self.create_response(request, {"detail": "Unauthorized"}, status=401)
        response = self.create_response(request, {"detail": "Too many requests."}, status=429)
        response["Retry-After"] = str(int(throttle.wait() or throttle.duration or 60) + 1)
        return response

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            components[model.__name__] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    _add_errors(operation["responses"])
        return schema


def _add_errors(responses: dict[Any, Any]) -> None:
    documented = {int(code) for code in responses}
    for status, (model, description) in ERRORS.items():
        if status not in documented:
            responses[status] = {
                "description": description,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
            }
