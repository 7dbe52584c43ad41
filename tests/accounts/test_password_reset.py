"""Password reset by e-mail: in the user's language and calendar, once, never telling whether an
address has an account, and throttled per address and per client address."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goaldesk.accounts.models import Membership, Profile, Role
from goaldesk.accounts.throttling import PASSWORD_RESET_LIMIT
from goaldesk.core.models import ThrottleHit
from tests.conftest import PASSWORD
from tests.factories import UserFactory

FORGOT = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_done")
NEW_PASSWORD = "a fresh tangerine 42"
#: 2026-12-04 08:00 UTC: a reset link asked for then works until 2026-12-07 08:00 UTC, which is
#: 11:30 in Tehran (the organisation's time zone) on 16 Azar 1405 (Jalali), 1405/09/16.
ASKED_AT = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def reza(org):
    org.calendar = "jalali"
    org.save()
    user = UserFactory(username="reza", email="reza@example.org")
    Membership.objects.create(organisation=org, user=user, role=Role.AGENT)
    Profile.objects.create(user=user, language="fa", last_organisation=org)
    return user


@pytest.fixture
def anna(org):
    user = UserFactory(username="anna", email="anna@example.org")
    Membership.objects.create(organisation=org, user=user, role=Role.AGENT)
    Profile.objects.create(user=user, language="de", calendar="gregorian")
    return user


def ask(email: str, address: str = "10.0.0.1"):
    return Client().post(FORGOT, {"email": email}, REMOTE_ADDR=address)


def link_in(message) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/signin/reset/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_signin_page_offers_the_reset(db):
    UserFactory(username="someone")
    page = Client().get(reverse("accounts:login"))
    assert f'href="{FORGOT}"' in page.content.decode()
    assert Client().get(FORGOT).status_code == 200


def test_the_email_is_in_persian_with_the_jalali_date_in_persian_digits(reza, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: ASKED_AT)
    response = ask("reza@example.org")
    assert response.status_code == 302 and response["Location"] == SENT
    [message] = mail.outbox
    assert message.to == ["reza@example.org"]
    assert message.subject == "تعیین گذرواژهٔ تازه برای GoalDesk"
    assert "۱۴۰۵/۰۹/۱۶ ۱۱:۳۰" in message.body
    assert "گذرواژهٔ شما تغییری نمی‌کند" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'dir="rtl"' in html and 'lang="fa"' in html
    assert "List-Unsubscribe" not in message.extra_headers
    assert "Stop these e-mails" not in message.body


def test_the_email_is_in_german_with_the_gregorian_date(anna, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: ASKED_AT)
    ask("anna@example.org")
    [message] = mail.outbox
    assert message.subject == "Neues GoalDesk-Passwort festlegen"
    assert "07.12.2026 11:30" in message.body, message.body
    assert "Ihr Passwort bleibt, wie es ist" in message.body
    assert 'dir="ltr"' in message.alternatives[0][0]


def test_the_link_sets_a_new_password_and_then_no_longer_works(anna):
    for _ in range(5):  # someone guessed: the account is locked
        Client().post(reverse("accounts:login"), {"username": "anna", "password": "wrong"})
    locked = Client().post(reverse("accounts:login"), {"username": "anna", "password": PASSWORD})
    assert locked.status_code == 429
    ask("anna@example.org")
    link = link_in(mail.outbox[0])
    browser = Client()
    form = browser.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = browser.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD) and not anna.check_password(PASSWORD)
    # The new password signs in at once, although the guesses had locked the account.
    signed_in = Client().post(
        reverse("accounts:login"), {"username": "anna", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302

    again = Client().get(link, follow=True)
    assert 'name="new_password1"' not in again.content.decode()
    assert "This link does not work any more" in again.content.decode()


def test_the_link_expires(anna, monkeypatch, settings):
    ask("anna@example.org")
    link = link_in(mail.outbox[0])
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 3600
    settings.PASSWORD_RESET_TIMEOUT = 60
    from django.contrib.auth.tokens import default_token_generator

    later = default_token_generator._now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = Client().get(link, follow=True).content.decode()
    assert "This link does not work any more" in page


def test_an_unknown_address_gets_the_same_page_and_no_email(anna):
    known = ask("anna@example.org")
    unknown = ask("nobody@example.org", address="10.0.0.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    page = Client().get(SENT).content.decode()
    assert "If the address belongs to an account" in page


def test_after_the_limit_per_address_nothing_more_is_sent(anna):
    for number in range(PASSWORD_RESET_LIMIT + 2):
        response = ask("anna@example.org", address=f"10.0.1.{number}")
        assert response.status_code == 302 and response["Location"] == SENT
    assert len(mail.outbox) == PASSWORD_RESET_LIMIT


def test_after_the_limit_per_client_address_nothing_more_is_sent(anna, reza):
    emails = ["anna@example.org", "reza@example.org"] * PASSWORD_RESET_LIMIT
    for email in emails:
        ask(email, address="10.0.0.9")
    assert len(mail.outbox) == PASSWORD_RESET_LIMIT


def test_the_count_forgets_requests_older_than_an_hour(anna):
    for _ in range(PASSWORD_RESET_LIMIT):
        ask("anna@example.org")
    ask("anna@example.org")
    assert len(mail.outbox) == PASSWORD_RESET_LIMIT
    ThrottleHit.objects.update(at=F("at") - dt.timedelta(minutes=61))
    ask("anna@example.org")
    assert len(mail.outbox) == PASSWORD_RESET_LIMIT + 1
    # the old rows were pruned: one for the e-mail address, one for the client address
    assert ThrottleHit.objects.filter(scope="password_reset").count() == 2
