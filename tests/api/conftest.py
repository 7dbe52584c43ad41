"""API fixtures: tokens of each role and a JSON client that sends them."""

import json

import pytest
from django.test import Client

from goaldesk.accounts.models import ApiToken, Role, hash_token

BASE = "/api/v1/orgs"


def make_token(organisation, role=Role.MANAGER, *, revoked_at=None) -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(
        organisation=organisation,
        name=f"{role} token",
        role=role,
        prefix=raw[:10],
        token_hash=hash_token(raw),
        revoked_at=revoked_at,
    )
    return raw


class ApiClient:
    """A test client that sends a bearer token (when given) and JSON bodies."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params=None, **headers):
        return self.client.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body, **headers):
        return self.client.post(
            path,
            json.dumps(body),
            content_type="application/json",
            headers={**self.headers, **headers},
        )


@pytest.fixture
def token(org):
    """token(role) → a raw API token of `org`."""

    def make(role=Role.MANAGER) -> str:
        return make_token(org, role)

    return make


@pytest.fixture
def api(token) -> ApiClient:
    """A client with a manager token of `org` (Tehran, +03:30)."""
    return ApiClient(token(Role.MANAGER))


@pytest.fixture
def viewer_api(token) -> ApiClient:
    return ApiClient(token(Role.VIEWER))
