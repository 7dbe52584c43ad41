"""The REST API: one router per app, mounted under /api/. OpenAPI schema at /api/docs.

Every route is under /api/v1/orgs/{slug}/ and is reached with an organisation's API token
(`Authorization: Bearer gd_…`) or a signed-in member's session (see api/auth.py).
"""

from typing import Any

from csp.decorators import csp_update
from ninja import NinjaAPI, Swagger

from goaldesk.api.auth import MemberSessionAuth, TokenAuth
from goaldesk.api.coaching import router as coaching_router
from goaldesk.api.customers import router as customers_router
from goaldesk.api.errors import JsonParser, install_error_handlers
from goaldesk.api.feedback import router as feedback_router
from goaldesk.api.forecasting import router as forecasting_router
from goaldesk.api.goals import router as goals_router
from goaldesk.api.interactions import router as interactions_router
from goaldesk.api.knowledge import router as knowledge_router
from goaldesk.api.metrics import router as metrics_router
from goaldesk.api.quality import router as quality_router
from goaldesk.api.team import router as team_router

#: Any route may answer 429 while the caller's address is refused for guessing tokens.
THROTTLED_RESPONSE = {
    "description": "Too many invalid API tokens came from this address; retry after "
    "`Retry-After` seconds.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


class GoalDeskAPI(NinjaAPI):
    """The API, whose schema documents the token throttle's 429 on every route."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("429", THROTTLED_RESPONSE)
        return schema


api = GoalDeskAPI(
    title="GoalDesk API",
    version="1",
    urls_namespace="api",
    description=(
        "Send interactions in and read metrics out. Authenticate with an organisation's API "
        "token: `Authorization: Bearer gd_…` (viewer tokens read, manager tokens read and "
        'write), or as a signed-in member. Errors are JSON: `{"detail": …}`; invalid input '
        'answers 422 with `{"detail": [{"field": …, "message": …}, …]}`, one entry per bad '
        "field (a body that is not JSON is field `body`)."
    ),
    auth=[TokenAuth(), MemberSessionAuth()],
    parser=JsonParser(),
    # Served from the ninja package's own static files (needs "ninja" in INSTALLED_APPS),
    # and without the validator badge that would call validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    # Swagger UI draws its icons as data: images; only this page's policy allows them.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
install_error_handlers(api)
api.add_router("", interactions_router)
api.add_router("", metrics_router)
api.add_router("", goals_router)
api.add_router("", forecasting_router)
api.add_router("", team_router)
api.add_router("", coaching_router)
api.add_router("", quality_router)
api.add_router("", feedback_router)
api.add_router("", knowledge_router)
api.add_router("", customers_router)
