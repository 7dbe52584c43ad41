"""Each person's preferences: the page, what `notify` does with them, the digest's default."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from goaldesk.accounts.models import Role
from goaldesk.notifications.kinds import KINDS
from goaldesk.notifications.models import DigestSetting, Notification, Preference
from goaldesk.notifications.selectors import digest_frequency_for
from goaldesk.notifications.services import notify
from tests.factories import MembershipFactory, UserFactory


def _person(org, role, *, email="reza@example.org"):
    user = UserFactory(username=f"{role}-person", email=email)
    MembershipFactory(user=user, organisation=org, role=role)
    client = Client()
    client.force_login(user)
    return user, client


def _as_shown(page):
    """The form's data as the page shows it (checked boxes and the selected digest)."""
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not False}
    return {name: ("on" if value is True else value) for name, value in data.items()}


def test_the_page_lists_every_kind_with_its_defaults(org):
    _user, client = _person(org, Role.AGENT)
    page = client.get(reverse("notifications:preferences"))
    html = page.content.decode()
    for kind in KINDS.values():
        assert escape(str(kind.label)) in html and escape(capfirst(str(kind.audience))) in html
    # "finished" is only shown in the app; "failed" comes by e-mail too.
    assert 'name="job_finished-email"' in html
    assert 'name="job_finished-email" id="id_job_finished-email">' in html  # unchecked
    assert 'name="job_failed-email" id="id_job_failed-email" checked>' in html
    assert "You have no e-mail address" not in html


def test_saved_choices_are_what_notify_does(org, django_capture_on_commit_callbacks):
    user, client = _person(org, Role.AGENT)
    data = _as_shown(client.get(reverse("notifications:preferences")))
    del data["shifts_published-in_app"]
    del data["goal_achieved-email"]
    answer = client.post(reverse("notifications:preferences"), data)
    assert answer.status_code == 302
    # Only what changed is stored; the rest keeps following the defaults.
    assert {(p.kind, p.in_app, p.email) for p in Preference.objects.filter(user=user)} == {
        ("shifts_published", False, True),
        ("goal_achieved", True, False),
    }
    assert not DigestSetting.objects.filter(user=user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="shifts_published", recipients=[user], organisation=org, params={})
    assert not Notification.objects.filter(recipient=user).exists()
    assert [m.to for m in mail.outbox] == [["reza@example.org"]]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="goal_achieved", recipients=[user], organisation=org, params={"goal": "CSAT"})
    assert Notification.objects.filter(recipient=user, kind="goal_achieved").count() == 1
    assert mail.outbox == []

    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="shifts_published-in_app" id="id_shifts_published-in_app">' in page


@pytest.mark.parametrize(
    ("role", "default"),
    [(Role.OWNER, "weekly"), (Role.MANAGER, "weekly"), (Role.AGENT, "none"), (Role.VIEWER, "none")],
)
def test_the_digest_defaults_to_weekly_for_managers_and_owners(org, role, default):
    user, client = _person(org, role)
    assert digest_frequency_for(user, role) == default
    page = client.get(reverse("notifications:preferences"))
    assert f'<option value="{default}" selected>' in page.content.decode()

    client.post(reverse("notifications:preferences"), {**_as_shown(page), "digest": "monthly"})
    assert DigestSetting.objects.get(user=user).frequency == "monthly"
    assert digest_frequency_for(user, role) == "monthly"
    assert digest_frequency_for(user, Role.OWNER) == "monthly"  # a choice holds for every role


def test_a_manager_who_keeps_the_weekly_default_stores_no_choice(org):
    user, client = _person(org, Role.MANAGER)
    client.post(
        reverse("notifications:preferences"),
        _as_shown(client.get(reverse("notifications:preferences"))),
    )
    assert not DigestSetting.objects.filter(user=user).exists()
    assert not Preference.objects.filter(user=user).exists()


def test_a_digest_frequency_that_does_not_exist_is_refused_by_name(org):
    user, client = _person(org, Role.MANAGER)
    data = {**_as_shown(client.get(reverse("notifications:preferences"))), "digest": "hourly"}
    page = client.post(reverse("notifications:preferences"), data)
    assert page.status_code == 200
    assert "hourly is not one of the available choices" in page.content.decode()
    assert not DigestSetting.objects.filter(user=user).exists()


def test_a_person_without_an_e_mail_address_is_told_where_to_add_one(org):
    user, client = _person(org, Role.AGENT, email="")
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "You have no e-mail address" in html
    assert f'<a href="{reverse("accounts:profile")}">' in html

    profile = client.get(reverse("accounts:profile"))
    assert 'name="email"' in profile.content.decode()
    client.post(
        reverse("accounts:profile"), {"language": "", "calendar": "", "email": "r@example.org"}
    )
    user.refresh_from_db()
    assert user.email == "r@example.org"
    assert (
        "You have no e-mail address"
        not in client.get(reverse("notifications:preferences")).content.decode()
    )
    client.post(
        reverse("accounts:profile"), {"language": "", "calendar": "", "email": "not an address"}
    )
    user.refresh_from_db()
    assert user.email == "r@example.org"


def test_an_agent_who_manages_another_organisation_is_shown_the_weekly_default(org, other_org):
    user, client = _person(org, Role.AGENT)
    assert (
        '<option value="none" selected>'
        in client.get(reverse("notifications:preferences")).content.decode()
    )
    MembershipFactory(user=user, organisation=other_org, role=Role.MANAGER)
    assert (
        '<option value="weekly" selected>'
        in client.get(reverse("notifications:preferences")).content.decode()
    )
    assert digest_frequency_for(user, Role.AGENT) == "none"  # each membership its own default
