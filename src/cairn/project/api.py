"""The JSON API under /api/v1/ (Django Ninja). Each app contributes a router from its ``api.py``."""

from django.http import HttpRequest, HttpResponse

from cairn.accounts.api import router as accounts_router
from cairn.accounts.auth import ApiTokenAuth, SessionAuth
from cairn.agency.api import router as agency_router
from cairn.assessments.api import router as assessments_router
from cairn.core.api import CairnAPI
from cairn.core.errors import CairnError
from cairn.core.throttles import ApiAnonThrottle, ApiPersonThrottle
from cairn.curriculum.api import router as curriculum_router
from cairn.insights.api import router as insights_router
from cairn.learning.api import router as learning_router
from cairn.learning.release_rules_api import router as release_rules_router

api = CairnAPI(
    title="Cairn API",
    version="1",
    description="Cairn's JSON API. Authenticate with the browser session (plus CSRF token for writes) or "
    "with `Authorization: Bearer <token>` (create one with `cairn manage create_api_token USERNAME`).",
    # The token first: a request that carries one is a script, not a browser, and needs no CSRF cookie.
    # Ninja stops at the first authenticator that raises, and the session's CSRF check raises.
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api-v1",
    # Per person (CAIRN_API_RATE) and, before sign-in, per address (CAIRN_API_ANON_RATE).
    throttle=[ApiAnonThrottle(), ApiPersonThrottle()],
)
api.add_router("/", accounts_router)
api.add_router("/curriculum/", curriculum_router)
api.add_router("/learning/", learning_router)
api.add_router("/learning/", release_rules_router)
api.add_router("/learning/", agency_router)
api.add_router("/insights/", insights_router)
api.add_router("/diagnostic/", assessments_router)


@api.exception_handler(CairnError)
def cairn_error(request: HttpRequest, exc: CairnError) -> HttpResponse:
    """The API's half of the one error mapping (the pages' half is ``cairn.core.middleware``)."""
    return api.create_response(request, exc.to_dict(), status=exc.status)
