"""The statements endpoint other tools talk to, ``/xapi/statements`` (and ``/xapi/about``), in plain Django:
xAPI has its own wire rules (HTTP Basic per tool, the ``X-Experience-API-Version`` header both ways, its
own error bodies), so it is not part of the JSON API under /api/v1/. :func:`xapi_endpoint` is where those
rules live, the xAPI counterpart of the API's one error handler: it answers a refusal (a ``CairnError``
from the services) with its status and ``{"error", "field"}``."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from cairn.core.errors import CairnError, Invalid
from cairn.xapi import inbound, selectors, tools
from cairn.xapi.models import Tool

VERSION = "1.0.3"
ACCEPTED_VERSION = re.compile(r"1\.0(\.\d+)?|2\.0(\.\d+)?")
MAX_BODY = 5 * 1024 * 1024


def _answer(status: int, body: Any = None) -> HttpResponse:
    response = HttpResponse(status=status) if body is None else JsonResponse(body, status=status, safe=False)
    response["X-Experience-API-Version"] = VERSION
    return response


def _tool(request: HttpRequest) -> Tool | None:
    kind, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        key, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return tools.authenticate(key, secret)


def xapi_endpoint(view: Callable[[HttpRequest, Tool], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    @csrf_exempt
    @wraps(view)
    def endpoint(request: HttpRequest) -> HttpResponse:
        tool = _tool(request)
        if tool is None:
            refused = _answer(401, {"error": "A registered tool's key and secret are needed (HTTP Basic)."})
            refused["WWW-Authenticate"] = 'Basic realm="Cairn xAPI"'
            return refused
        if not ACCEPTED_VERSION.fullmatch(request.headers.get("X-Experience-API-Version", "")):
            return _answer(400, {"error": "Send the header X-Experience-API-Version: 1.0.3."})
        try:
            return view(request, tool)
        except CairnError as error:  # the xAPI half of the one error mapping (see the module's docstring)
            return _answer(error.status, {"error": error.message, "field": error.field})

    return endpoint


def _body(request: HttpRequest) -> Any:
    if request.content_type != "application/json":
        raise Invalid(
            "Statements come as application/json (attachments are not taken).", field="Content-Type"
        )
    if len(request.body) > MAX_BODY:
        raise Invalid("That request is too large.", field="statements")
    try:
        return json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Invalid(f"The body is not JSON: {exc}.", field="statements") from exc


@xapi_endpoint
def statements(request: HttpRequest, tool: Tool) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        params = request.GET.dict()
        if "statementId" in params or "voidedStatementId" in params:
            return _answer(200, selectors.statement(tool, params))
        page = selectors.statements(tool, params, path=request.path)
        response = _answer(200, {"statements": page.statements, "more": page.more})
        response["X-Experience-API-Consistent-Through"] = timezone.now().isoformat()
        return response
    if request.method == "PUT":
        statement_id = request.GET.get("statementId")
        if not statement_id:
            raise Invalid("PUT needs ?statementId=…", field="statementId")
        inbound.store(tool, _body(request), statement_id=statement_id)
        return _answer(204)
    if request.method == "POST":
        return _answer(200, inbound.store(tool, _body(request)))
    refused = _answer(405, {"error": "GET, PUT or POST."})
    refused["Allow"] = "GET, HEAD, PUT, POST"
    return refused


def about(request: HttpRequest) -> HttpResponse:
    """Which xAPI versions this endpoint speaks (open to anyone, as the spec says)."""
    return _answer(200, {"version": [VERSION]})
