"""Invitations by e-mail: an owner or manager invites someone with a role; the link works once,
expires after 7 days and can be withdrawn or sent again."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goaldesk.accounts.models import Invitation, Membership, Role
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "a fresh tangerine 42"


@pytest.fixture
def invite(client_as, django_capture_on_commit_callbacks, org):
    """invite(email, role, by=role) → the link path sent by e-mail to `email`."""

    def make(email="sara@example.org", role=Role.AGENT, by=Role.OWNER):
        client = client_as(by)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("accounts:invitations", args=[org.slug]), {"email": email, "role": role}
            )
        assert response.status_code == 302, response.content.decode()
        return link_in(mail.outbox[-1])

    return make


def link_in(message) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/invite/[\w-]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_email_is_in_the_organisations_language(org, invite, monkeypatch):
    org.language = "fa"
    org.calendar = "jalali"
    org.save()
    # Sent on 2026-12-04 08:00 UTC: the link works until 2026-12-11 08:00 UTC, 11:30 in Tehran,
    # 20 Azar 1405.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC))
    invite(email="sara@example.org", role=Role.MANAGER)
    [message] = mail.outbox
    assert message.to == ["sara@example.org"]
    assert message.subject == "به Tehran Desk در GoalDesk بپیوندید"
    assert "owner-user شما را دعوت می‌کند با نقش مدیر به Tehran Desk در GoalDesk بپیوندید" in (
        message.body
    )
    assert "این پیوند یک بار و تا ۱۴۰۵/۰۹/۲۰ ۱۱:۳۰ کار می‌کند." in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'dir="rtl"' in html
    assert "List-Unsubscribe" not in message.extra_headers


def test_only_a_hash_of_the_token_is_stored(invite):
    link = invite()
    raw = link.split("/")[2]
    invitation = Invitation.objects.get()
    assert raw not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        dt.timedelta(days=7), abs=dt.timedelta(seconds=5)
    )


def test_a_new_person_creates_an_account_and_joins_with_the_role(org, invite):
    link = invite(role=Role.MANAGER)
    visitor = Client()
    page = visitor.get(link)
    text = page.content.decode()
    assert page.status_code == 200 and "Tehran Desk" in text and "owner-user" in text
    assert f"/signin/?next={link.replace('/', '%2F')}" in text
    assert not Membership.objects.filter(user__username="sara").exists()  # GET changed nothing
    response = visitor.post(
        link,
        {"join-username": "sara", "join-password1": NEW_PASSWORD, "join-password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("metrics:dashboard", args=[org.slug])
    membership = Membership.objects.get(user__username="sara", organisation=org)
    assert membership.role == Role.MANAGER
    assert membership.user.email == "sara@example.org"
    assert membership.user.check_password(NEW_PASSWORD)
    assert visitor.get(reverse("metrics:dashboard", args=[org.slug])).status_code == 200


def test_a_weak_password_is_refused_beside_the_field(invite):
    link = invite()
    response = Client().post(
        link, {"join-username": "sara", "join-password1": "12345", "join-password2": "12345"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Membership.objects.filter(user__username="sara").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_signed_in_person_joins(org, other_org, invite):
    link = invite(role=Role.VIEWER)
    sara = UserFactory(username="sara")
    MembershipFactory(user=sara, organisation=other_org, role=Role.OWNER)
    client = Client()
    client.force_login(sara)
    assert "Join" in client.get(link).content.decode()
    assert not Membership.objects.filter(user=sara, organisation=org).exists()
    client.post(link)
    assert Membership.objects.get(user=sara, organisation=org).role == Role.VIEWER
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == sara and invitation.accepted_at is not None


def test_the_second_use_is_refused(org, invite):
    link = invite()
    Client().post(
        link,
        {"join-username": "sara", "join-password1": NEW_PASSWORD, "join-password2": NEW_PASSWORD},
    )
    second = Client().post(
        link,
        {"join-username": "eve", "join-password1": NEW_PASSWORD, "join-password2": NEW_PASSWORD},
    )
    assert second.status_code == 410
    assert "This invitation was used already" in second.content.decode()
    assert not Membership.objects.filter(user__username="eve").exists()
    assert Client().get(link).status_code == 410


def test_an_expired_invitation_is_refused_and_says_whom_to_ask(org, invite):
    link = invite()
    Invitation.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = Client().get(link)
    assert page.status_code == 410
    text = page.content.decode()
    assert "This invitation has expired" in text and "owner-user" in text
    posted = Client().post(
        link,
        {"join-username": "sara", "join-password1": NEW_PASSWORD, "join-password2": NEW_PASSWORD},
    )
    assert posted.status_code == 410
    assert not Membership.objects.filter(user__username="sara").exists()


def test_a_revoked_invitation_is_refused(org, invite, client_as):
    link = invite()
    invitation = Invitation.objects.get()
    manager = client_as(Role.MANAGER)
    response = manager.post(reverse("accounts:invitation_revoke", args=[org.slug, invitation.pk]))
    assert response.status_code == 302
    page = Client().get(link)
    assert page.status_code == 410 and "This invitation was withdrawn" in page.content.decode()
    pending = manager.get(reverse("accounts:invitations", args=[org.slug])).content.decode()
    assert f'id="invitation-{invitation.pk}"' not in pending
    assert "No pending invitations." in pending


def test_send_again_gives_a_new_link_and_the_old_one_stops(
    org, invite, client_as, django_capture_on_commit_callbacks
):
    old = invite()
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        client_as(Role.MANAGER).post(
            reverse("accounts:invitation_resend", args=[org.slug, invitation.pk])
        )
    new = link_in(mail.outbox[-1])
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_manager_cannot_invite_an_owner(org, client_as):
    response = client_as(Role.MANAGER).post(
        reverse("accounts:invitations", args=[org.slug]),
        {"email": "boss@example.org", "role": Role.OWNER},
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_manager_cannot_withdraw_an_owners_invitation(org, invite, client_as):
    invite(email="boss@example.org", role=Role.OWNER)
    invitation = Invitation.objects.get()
    response = client_as(Role.MANAGER).post(
        reverse("accounts:invitation_revoke", args=[org.slug, invitation.pk])
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_address_of_a_member_is_refused_beside_the_field(org, client_as):
    UserFactory(username="member", email="member@example.org")
    MembershipFactory(user=UserFactory(username="member"), organisation=org, role=Role.AGENT)
    response = client_as(Role.OWNER).post(
        reverse("accounts:invitations", args=[org.slug]),
        {"email": "Member@Example.org", "role": Role.AGENT},
    )
    assert response.status_code == 400
    assert "is already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_another_organisations_invitation_is_not_found(org, other_org, client_as):
    foreign = Invitation.objects.create(
        organisation=other_org,
        email="x@example.org",
        role=Role.AGENT,
        token_hash="0" * 64,
        expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    owner = client_as(Role.OWNER)
    for name in ("accounts:invitation_revoke", "accounts:invitation_resend"):
        assert owner.post(reverse(name, args=[org.slug, foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None and foreign.token_hash == "0" * 64


def test_an_unknown_link_is_not_found(db):
    assert Client().get("/invite/nothing-here/").status_code == 404


def test_sign_in_then_join(org, invite):
    link = invite()
    sara = UserFactory(username="sara")
    client = Client()
    signed_in = client.post(
        f"{reverse('accounts:login')}?next={link}",
        {"username": "sara", "password": PASSWORD, "next": link},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == link
    client.post(link)
    assert Membership.objects.filter(user=sara, organisation=org, role=Role.AGENT).exists()


def test_the_page_and_the_list_are_in_the_organisations_language_and_calendar(
    org, invite, client_as
):
    org.language = "fa"
    org.calendar = "jalali"
    org.save()
    link = invite()
    Invitation.objects.update(expires_at=dt.datetime(2026, 12, 11, 8, 0, tzinfo=dt.UTC))
    page = Client().get(link).content.decode()
    # 2026-12-11 08:00 UTC is 11:30 in Tehran on 20 Azar 1405.
    assert "این پیوند یک بار و تا ۱۴۰۵/۰۹/۲۰ ۱۱:۳۰ کار می‌کند." in page
    assert "ساختن حساب" in page and 'dir="rtl"' in page
    listing = client_as(Role.MANAGER).get(reverse("accounts:invitations", args=[org.slug]))
    assert "۱۴۰۵/۰۹/۲۰ ۱۱:۳۰" in listing.content.decode()
