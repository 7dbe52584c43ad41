"""Who may call the API: tokens, roles, organisations and signed-in members."""

import datetime as dt
import sqlite3

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from goaldesk.accounts.models import ApiToken, Role
from tests.api.conftest import BASE, ApiClient, make_token

LIST = f"{BASE}/tehran/interactions"
ONE = {"external_id": "A-1", "channel": "phone", "created_at": "2026-03-02T09:00:00+03:30"}


@pytest.mark.django_db
class TestTokens:
    def test_missing_token_is_401_json(self, org):
        response = Client().get(LIST)
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert "Bearer" in response.json()["detail"]

    def test_unknown_token_is_401(self, org):
        response = ApiClient("gd_not-a-real-token").get(LIST)
        assert response.status_code == 401
        assert "not valid" in response.json()["detail"]
        assert response["WWW-Authenticate"] == "Bearer"

    def test_malformed_header_is_401(self, org):
        response = Client().get(LIST, headers={"Authorization": "Basic abc"})
        assert response.status_code == 401

    def test_revoked_token_is_401(self, org):
        raw = make_token(org, Role.MANAGER, revoked_at=timezone.now())
        assert ApiClient(raw).get(LIST).status_code == 401

    def test_token_of_another_organisation_is_404(self, org, other_org):
        raw = make_token(other_org, Role.MANAGER)
        response = ApiClient(raw).get(LIST)
        assert response.status_code == 404
        # …while the same token works on its own organisation
        assert ApiClient(raw).get(f"{BASE}/berlin/interactions").status_code == 200

    def test_unknown_organisation_is_404(self, api):
        assert api.get(f"{BASE}/nowhere/interactions").status_code == 404

    def test_viewer_token_reads_but_cannot_write(self, viewer_api):
        assert viewer_api.get(LIST).status_code == 200
        response = viewer_api.post(LIST, ONE)
        assert response.status_code == 403
        assert "read" in response.json()["detail"]
        bulk = viewer_api.post(f"{LIST}/bulk", {"records": [ONE]})
        assert bulk.status_code == 403
        assert viewer_api.get(f"{LIST}/A-1").status_code == 404  # nothing was written

    def test_manager_token_writes(self, api):
        assert api.post(LIST, ONE).status_code == 201

    def test_last_used_is_recorded_at_most_once_a_minute(self, org):
        raw = make_token(org, Role.VIEWER)
        token = ApiToken.objects.get(organisation=org)
        assert token.last_used_at is None
        ApiClient(raw).get(LIST)
        token.refresh_from_db()
        first = token.last_used_at
        assert first is not None
        ApiClient(raw).get(LIST)
        token.refresh_from_db()
        assert token.last_used_at == first  # a second call within the minute writes nothing
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
        ApiClient(raw).get(LIST)
        token.refresh_from_db()
        assert token.last_used_at > first


@pytest.mark.django_db
class TestSession:
    def test_member_reads_with_session(self, client_as):
        assert client_as(Role.VIEWER).get(LIST).status_code == 200

    def test_outsider_gets_404(self, org, outsider_client):
        assert outsider_client.get(LIST).status_code == 404

    def test_viewer_and_agent_cannot_write(self, client_as):
        for role in (Role.VIEWER, Role.AGENT):
            client = ApiClient(client=client_as(role))
            assert client.post(LIST, ONE).status_code == 403

    def test_manager_writes_with_csrf_token_only(self, org, member):
        client = Client(enforce_csrf_checks=True)
        client.force_login(member(Role.MANAGER))
        api = ApiClient(client=client)
        refused = api.post(LIST, ONE)
        assert refused.status_code == 403
        assert "CSRF" in refused.json()["detail"]
        client.get("/api/docs")  # any page that renders a CSRF token sets the cookie
        csrf = client.cookies["csrftoken"].value
        assert api.post(LIST, ONE, **{"X-CSRFToken": csrf}).status_code == 201

    def test_bad_token_does_not_fall_back_to_the_session(self, client_as):
        client = client_as(Role.OWNER)
        response = client.get(LIST, headers={"Authorization": "Bearer gd_wrong"})
        assert response.status_code == 401


def test_caller_of_gives_the_authenticated_caller_and_refuses_a_request_without_one(rf):
    from goaldesk.api.auth import Caller, caller_of

    request = rf.get("/api/v1/orgs/tehran/goals")
    with pytest.raises(TypeError, match="was not authenticated"):
        caller_of(request)
    caller = Caller(user="someone")
    request.auth = caller
    assert caller_of(request) is caller


@pytest.mark.django_db(transaction=True)
def test_a_call_is_answered_while_another_writer_holds_the_database(org):
    """Noting a token's last use never keeps a call waiting behind a long write (an import's
    batch): while another connection holds SQLite's write lock the call is answered and the
    note is left for a later call."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite lets one writer in at a time; PostgreSQL locks rows, not the database")
    raw = make_token(org, Role.VIEWER)
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the write lock, as an import's batch holds it
        assert ApiClient(raw).get(LIST).status_code == 200
        assert ApiToken.objects.get(organisation=org).last_used_at is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ApiClient(raw).get(LIST).status_code == 200
    assert ApiToken.objects.get(organisation=org).last_used_at is not None
