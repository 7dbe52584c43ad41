"""API tokens: the raw key is shown once and only its hash is stored."""

import hashlib
import re

import pytest
from django.urls import reverse

from goaldesk.accounts.models import ApiToken, Role


@pytest.fixture
def url(org):
    return reverse("accounts:tokens", args=[org.slug])


def test_token_is_shown_once_and_only_its_hash_is_stored(client_as, org, url):
    owner = client_as(Role.OWNER)
    response = owner.post(url, {"name": "Helpdesk sync", "role": Role.VIEWER})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    raw = re.search(r'<code class="token" dir="ltr">([^<]+)</code>', page).group(1)
    assert raw.startswith("gd_") and len(raw) > 30

    token = ApiToken.objects.get(organisation=org)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert raw not in stored
    assert (token.name, token.role) == ("Helpdesk sync", Role.VIEWER)

    again = owner.get(url).content.decode()
    assert raw not in again
    assert token.prefix in again and "Helpdesk sync" in again and "never" in again


def test_owner_role_is_not_offered_for_tokens(client_as, org, url):
    response = client_as(Role.OWNER).post(url, {"name": "x", "role": Role.OWNER})
    assert response.context["form"].errors["role"]
    assert not ApiToken.objects.exists()


def test_name_is_required(client_as, url):
    response = client_as(Role.OWNER).post(url, {"name": "", "role": Role.MANAGER})
    assert response.context["form"].errors["name"] == ["This field is required."]


def test_revoke(client_as, org, url):
    owner = client_as(Role.OWNER)
    owner.post(url, {"name": "Old", "role": Role.MANAGER})
    token = ApiToken.objects.get()
    response = owner.post(reverse("accounts:token_revoke", args=[org.slug, token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in owner.get(url).content.decode()


def test_manager_cannot_create_tokens(client_as, url):
    assert client_as(Role.MANAGER).post(url, {"name": "x", "role": Role.VIEWER}).status_code == 403
    assert not ApiToken.objects.exists()
