"""Guessing API tokens is slowed down: 20 bad tokens from one address → 429 for 10 minutes."""

import datetime as dt

import pytest
from django.db.models import F
from django.test import Client

from goaldesk.accounts.models import ApiTokenFailure, Role
from tests.api.conftest import BASE, make_token

LIST = f"{BASE}/tehran/interactions"
ATTACKER = "198.51.100.66"
OFFICE = "203.0.113.10"


def call(token: str, address: str):
    return Client().get(LIST, headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=address)


def guess(times: int, address: str = ATTACKER) -> list[int]:
    return [call(f"gd_guess-{n}", address).status_code for n in range(times)]


def travel_back(minutes: float) -> None:
    """As if the counting windows had started `minutes` earlier."""
    ApiTokenFailure.objects.update(
        window_started_at=F("window_started_at") - dt.timedelta(minutes=minutes)
    )


@pytest.mark.django_db
class TestTokenGuessing:
    def test_twenty_bad_tokens_then_429_json_with_retry_after(self, org):
        assert guess(20) == [401] * 20
        response = call("gd_guess-21", ATTACKER)
        assert response.status_code == 429
        assert response["Content-Type"].startswith("application/json")
        assert response["Retry-After"] == "600"
        assert response.json() == {
            "detail": "Too many invalid API tokens came from your address. Try again in 10 min."
        }

    def test_a_good_token_from_the_guessing_address_is_refused_too(self, org):
        good = make_token(org, Role.MANAGER)
        guess(20)
        # Otherwise the guessing could go on, and a right guess would get through.
        assert call(good, ATTACKER).status_code == 429

    def test_a_good_token_from_another_address_is_unaffected(self, org):
        good = make_token(org, Role.MANAGER)
        guess(20)
        response = call(good, OFFICE)
        assert response.status_code == 200

    def test_good_tokens_are_never_counted(self, org):
        good = make_token(org, Role.VIEWER)
        assert [call(good, OFFICE).status_code for _ in range(25)] == [200] * 25
        assert guess(1, address=OFFICE) == [401]

    def test_the_refusal_ends_with_the_window(self, org):
        good = make_token(org, Role.MANAGER)
        guess(20)
        travel_back(minutes=9)
        response = call(good, ATTACKER)
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
        travel_back(minutes=1.01)
        assert call(good, ATTACKER).status_code == 200
        # A new window: the next bad tokens are counted from one again.
        assert guess(20) == [401] * 20
        assert guess(1) == [429]

    def test_bad_tokens_spread_over_windows_are_not_added_up(self, org):
        guess(19)
        travel_back(minutes=10.01)
        assert guess(19) == [401] * 19
