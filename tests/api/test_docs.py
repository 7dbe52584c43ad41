"""The OpenAPI schema and its docs page, served by GoalDesk itself (no CDN)."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.mark.django_db
def test_openapi_schema_lists_the_routes():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert set(paths["/api/v1/orgs/{slug}/interactions"]) == {"get", "post"}
    assert "post" in paths["/api/v1/orgs/{slug}/interactions/bulk"]
    assert "get" in paths["/api/v1/orgs/{slug}/interactions/{external_id}"]
    assert "/api/v1/orgs/{slug}/metrics/kpis" in paths
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


@pytest.mark.django_db
def test_docs_page_loads_nothing_from_other_hosts():
    client = Client()
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    # Every absolute URL in the page would be a request to another host.
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    assert '"validatorUrl": null' in html  # the Swagger validator badge would call swagger.io
    assets = ASSET.findall(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert not urlparse(asset).netloc, asset
        served = client.get(asset)
        assert served.status_code == 200, asset


def test_every_operation_documents_the_token_throttle(client):
    """A throttled address gets 429 on any route, so every operation's schema says so."""
    schema = client.get("/api/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    assert [op["operationId"] for op in operations if "429" not in op["responses"]] == []
