"""The API keeps the contract its OpenAPI schema states, checked by generated requests.

Schemathesis reads /api/openapi.json from the app in-process (WSGI) and sends every operation
a bounded number of generated requests with a fixed seed, valid and invalid ones (so every run
sends the same requests). A response fails when it is a server error, has a status code,
content type or header the schema does not document, has a body that does not match the
documented schema, accepts a request the schema rules out, answers a method the route does not
have, or refuses a request as "required" for a value the schema calls optional.

A schema-valid request may still be refused with 422 (the end date before the start date, an
unknown agent, a SMART warning): those rules are more than a schema can state.

Reading operations run with a viewer token, writing ones with a manager token; every request
goes to one test organisation whose goal, objective and forecast run exist, so generated ids
reach real rows as well as missing ones. Writes go to the test database only.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from goaldesk.accounts.models import Role
from goaldesk.forecasting.models import ForecastRun
from tests.api.conftest import make_token
from tests.goals.factories import goal_make, objective_make

#: Generated requests per operation and phase; with the fixed seed every run sends the same ones.
MAX_EXAMPLES = 25
SEED = 20260314

#: What the API answers when a value is missing (English: the tests run in English).
REQUIRED_MESSAGES = {"This field is required.", "This parameter is required (a date: YYYY-MM-DD)."}

schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json",
    get_wsgi_application(),
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            # A 422 is how the API refuses what a schema cannot state (see the docstring);
            # refusing as required what the schema calls optional is checked below instead.
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "422"]
                }
            },
        }
    ),
)


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema.raw_schema["components"]["schemas"][name]
    return node


def required_names(definition: dict) -> set[str]:
    """The parameters and top-level body fields an operation's schema marks as required."""
    names = {p["name"] for p in definition.get("parameters", []) if p.get("required")}
    for media in definition.get("requestBody", {}).get("content", {}).values():
        names |= set(_resolve(media.get("schema", {})).get("required", []))
    return names


@schemathesis.check
def refuses_only_what_the_schema_requires(ctx, response, case):
    """A 422 that calls a value required names a parameter or field the schema requires."""
    if response.status_code != 422:
        return None
    detail = response.json().get("detail")
    if not isinstance(detail, list):
        return None
    required = required_names(case.operation.definition.raw)
    wrongly = [
        d["field"]
        for d in detail
        if d.get("message") in REQUIRED_MESSAGES and d.get("field") not in required
    ]
    assert not wrongly, f"refused as required, but optional in the schema: {wrongly}"
    return None


@pytest.fixture
def rows(org):
    """The ids of one goal, objective and forecast run of `org`, for the path parameters."""
    goal = goal_make(org)
    return {
        "goal_id": goal.pk,
        "objective_id": objective_make(goal).pk,
        "run_id": ForecastRun.objects.create(organisation=org).pk,
    }


@pytest.fixture
def tokens(org):
    return {"read": make_token(org, Role.VIEWER), "write": make_token(org, Role.MANAGER)}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_contract(case, org, rows, tokens):
    # Point the request at the test organisation and its rows; an id the generator made
    # invalid on purpose (not a whole number) stays, to check that it is refused.
    case.path_parameters["slug"] = org.slug
    for name, pk in rows.items():
        if isinstance(case.path_parameters.get(name), int):
            case.path_parameters[name] = pk
    token = tokens["read"] if case.method.upper() == "GET" else tokens["write"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
