"""Sign-in is throttled per account and per address: 5 failures lock it for 15 minutes."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.accounts.throttling import client_ip_address
from tests.conftest import PASSWORD

SIGNIN = reverse("accounts:login")
LOCKED = "Too many failed sign-ins for this account or from this address."
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def sign_in(username: str, password: str, address: str = HOME, client: Client | None = None):
    return (client or Client()).post(
        SIGNIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(times: int, username: str = "owner-user", address: str = HOME) -> list[int]:
    return [sign_in(username, "wrong", address).status_code for _ in range(times)]


def travel_back(minutes: float) -> None:
    """As if every counted failure happened `minutes` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


@pytest.fixture
def owner(member):
    return member(Role.OWNER)


@pytest.mark.django_db
class TestLockout:
    def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(self, owner, org):
        # The first four are ordinary "wrong password" pages; the fifth reaches the limit.
        assert fail(5) == [200, 200, 200, 200, 429]
        client = Client()
        response = sign_in("owner-user", PASSWORD, client=client)
        assert response.status_code == 429
        page = response.content.decode()
        assert LOCKED in page
        assert "try again in 15 min." in page
        assert response["Retry-After"] == "900"
        assert 'name="password"' in page  # GoalDesk's own sign-in page, not a bare text
        # And the right password did not sign in.
        settings_url = reverse("accounts:settings", args=[org.slug])
        assert client.get(settings_url).status_code == 302

    def test_a_wrong_password_says_so_without_the_lock_message(self, owner):
        response = sign_in("owner-user", "wrong")
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert LOCKED not in response.content.decode()

    def test_the_account_is_locked_from_every_address(self, owner):
        fail(5, address=HOME)
        response = sign_in("owner-user", PASSWORD, address=ELSEWHERE)
        assert response.status_code == 429
        assert LOCKED in response.content.decode()

    def test_the_address_is_locked_for_every_account(self, owner, member):
        member(Role.MANAGER)
        # One guess each on five accounts, none of them locked on its own.
        for username in ["a", "b", "c", "d"]:
            fail(1, username=username)
        assert fail(1, username="owner-user") == [429]
        response = sign_in("manager-user", PASSWORD, address=HOME)
        assert response.status_code == 429
        # Another address is not concerned for an account that had no failures.
        assert sign_in("manager-user", PASSWORD, address=ELSEWHERE).status_code == 302

    def test_the_lock_ends_after_fifteen_minutes(self, owner):
        fail(5)
        travel_back(minutes=14)
        response = sign_in("owner-user", PASSWORD)
        assert response.status_code == 429
        assert "try again in 1 min." in response.content.decode()
        assert response["Retry-After"] == "60"
        travel_back(minutes=1.01)
        assert sign_in("owner-user", PASSWORD).status_code == 302

    def test_tries_during_the_lock_do_not_extend_it(self, owner):
        fail(5)
        travel_back(minutes=10)
        assert fail(3) == [429, 429, 429]
        travel_back(minutes=5.01)
        assert sign_in("owner-user", PASSWORD).status_code == 302

    def test_a_successful_sign_in_before_the_limit_starts_the_count_again(self, owner):
        assert fail(4) == [200] * 4
        assert sign_in("owner-user", PASSWORD).status_code == 302
        assert fail(4) == [200] * 4
        assert fail(1) == [429]

    def test_signing_in_to_ones_own_account_does_not_clear_guesses_at_others(self, owner):
        for username in ["a", "b", "c", "d"]:
            fail(1, username=username)
        assert sign_in("owner-user", PASSWORD).status_code == 302
        assert fail(1, username="e") == [429]

    def test_the_password_change_still_works_after_failed_sign_ins(self, owner):
        fail(3)
        client = Client()
        assert sign_in("owner-user", PASSWORD, client=client).status_code == 302
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "ripe mango on tuesday",
                "new_password2": "ripe mango on tuesday",
            },
            REMOTE_ADDR=HOME,
        )
        assert response.status_code == 302
        assert sign_in("owner-user", "ripe mango on tuesday").status_code == 302


class TestClientAddress:
    def test_the_peer_address_is_used_when_no_proxy_is_trusted(self, settings):
        settings.GOALDESK_TRUSTED_PROXIES = []
        request = RequestFactory().get(
            "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1"
        )
        assert client_ip_address(request) == "203.0.113.9"

    def test_behind_a_trusted_proxy_the_last_untrusted_forwarded_address(self, settings):
        settings.GOALDESK_TRUSTED_PROXIES = ["10.0.0.0/8"]
        request = RequestFactory().get(
            "/",
            REMOTE_ADDR="10.1.2.3",
            # The client wrote the first entry itself; the proxies appended the other two.
            HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7, 10.9.9.9",
        )
        assert client_ip_address(request) == "198.51.100.7"

    def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(self, settings):
        settings.GOALDESK_TRUSTED_PROXIES = ["10.0.0.0/8"]
        request = RequestFactory().get(
            "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1"
        )
        assert client_ip_address(request) == "203.0.113.9"

    def test_garbage_in_the_forwarded_header_falls_back_to_the_proxy(self, settings):
        settings.GOALDESK_TRUSTED_PROXIES = ["10.0.0.0/8"]
        request = RequestFactory().get(
            "/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="not-an-address"
        )
        assert client_ip_address(request) == "10.1.2.3"
