"""The pulse pages: answering once, the threshold as a person sees it, GET changes nothing,
settings, opening a round now, right-to-left."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role, today_in
from goaldesk.coaching import pulse_services as services
from goaldesk.coaching.models import PulseReceipt, PulseRound, PulseSettings, PulseTally
from goaldesk.notifications.models import Notification
from tests.coaching.test_pulse_services import FIVE, agents, answered_round, pulse_on


def snapshot():
    return (
        list(PulseRound.objects.values_list("pk", "answers", "closes_on")),
        list(PulseTally.objects.filter(count__gt=0).values_list("pk", "count")),
        PulseReceipt.objects.count(),
        PulseSettings.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def open_round(org):
    pulse_on(org)
    pulse_round, _ = services.pulse_round_create(
        organisation=org, opens_on=today_in(org), open_days=3
    )
    return pulse_round


def test_an_agent_answers_once_and_is_thanked(org, member, client, open_round):
    client.force_login(member(Role.AGENT))
    url = reverse("coaching:pulse_answer", args=[org.slug])
    page = client.get(url)
    assert page.status_code == 200 and b'name="recommend"' in page.content

    answer = {"workload": "4", "fairness": "2", "recommend": "۹"}  # Persian digits too
    response = client.post(url, answer, follow=True)
    assert b"Thank you! Your answer was counted anonymously." in response.content
    assert b'name="recommend"' not in response.content  # the form is gone
    again = client.post(url, {"workload": "1", "fairness": "1", "recommend": "0"}, follow=True)
    assert b"You have already answered this round." in again.content
    open_round.refresh_from_db()
    assert open_round.answers == 1
    counted = dict(
        PulseTally.objects.filter(round=open_round, count__gt=0).values_list("question", "value")
    )
    assert counted == {"workload": 4, "fairness": 2, "recommend": 9}


def test_a_bad_answer_says_what_is_wrong_and_counts_nothing(org, member, client, open_round):
    client.force_login(member(Role.AGENT))
    url = reverse("coaching:pulse_answer", args=[org.slug])
    page = client.post(url, {"workload": "4", "fairness": "9"})
    assert page.status_code == 200
    assert b"Select a valid choice" in page.content and b"This field is required" in page.content
    open_round.refresh_from_db()
    assert open_round.answers == 0 and not PulseReceipt.objects.exists()


def test_a_member_not_asked_is_told_so(org, member, client, open_round):
    client.force_login(member(Role.VIEWER))
    url = reverse("coaching:pulse_answer", args=[org.slug])
    assert b"you are not asked" in client.get(url).content
    response = client.post(url, {"workload": "4", "fairness": "2", "recommend": "9"}, follow=True)
    assert b"you are not asked" in response.content
    assert not PulseReceipt.objects.exists()


def test_the_results_show_a_round_only_from_five_answers(org, client_as):
    today = today_in(org)
    answered_round(org, FIVE[:4], opens_on=today - dt.timedelta(days=20))
    answered_round(org, FIVE, opens_on=today - dt.timedelta(days=6))
    page = client_as(Role.AGENT).get(reverse("coaching:pulse", args=[org.slug]))
    text = page.content.decode()
    assert "Not enough answers to show (4 of 5)" in text
    # 3.6, 2.8 and +20 worked by hand in test_pulse_services.
    assert ">3.6<" in text and ">2.8<" in text and ">+20<" in text
    # Answers of the people asked when the round opened (the first round's four are asked again).
    assert "4 of 4" in text and "5 of 9" in text
    for username in PulseReceipt.objects.values_list("user__username", flat=True):
        assert username not in text  # who answered is never shown


def test_pages_change_nothing_on_get(org, client_as, open_round):
    agents(org, 2)
    due_round = PulseRound.objects.get()
    PulseRound.objects.filter(pk=due_round.pk).update(
        opens_on=today_in(org) - dt.timedelta(days=30),
        closes_on=today_in(org) - dt.timedelta(days=28),
    )  # a round is due: only the clock or a POST opens it
    before = snapshot()
    for role in (Role.AGENT, Role.MANAGER, Role.OWNER):
        client = client_as(role)
        for name in ("coaching:pulse", "coaching:pulse_answer", "coaching:pulse_settings"):
            client.get(reverse(name, args=[org.slug]))
        opening = client.get(reverse("coaching:pulse_open", args=[org.slug])).status_code
        assert opening == (403 if role == Role.AGENT else 405)
    assert snapshot() == before


def test_settings_are_saved_and_checked(org, client_as):
    client = client_as(Role.MANAGER)
    url = reverse("coaching:pulse_settings", args=[org.slug])
    page = client.post(url, {"enabled": "on", "every_weeks": "1", "open_days": "9"})
    assert page.status_code == 200
    assert b"less than or equal to 7" in page.content
    assert not PulseSettings.objects.exists()
    response = client.post(url, {"enabled": "on", "every_weeks": "1", "open_days": "۴"})
    assert response.status_code == 302
    saved = PulseSettings.objects.get(organisation=org)
    assert (saved.enabled, saved.every_weeks, saved.open_days) == (True, 1, 4)


def test_a_manager_opens_a_round_now(org, client_as):
    (agent,) = agents(org, 1)
    client = client_as(Role.MANAGER)
    url = reverse("coaching:pulse_open", args=[org.slug])
    off = client.post(url, follow=True)
    assert b"The pulse is off" in off.content and not PulseRound.objects.exists()
    pulse_on(org)
    opened = client.post(url, follow=True)
    assert b"the people asked were told" in opened.content
    assert PulseRound.objects.count() == 1
    assert Notification.objects.filter(kind="pulse_open", recipient=agent).count() == 1
    again = client.post(url, follow=True)
    assert b"already open" in again.content and PulseRound.objects.count() == 1


@pytest.mark.parametrize("language", ["fa", "ar", "de"])
def test_pages_in_other_languages(org, client_as, open_round, language):
    answered_round(org, FIVE, opens_on=today_in(org) - dt.timedelta(days=10))
    clients = {role: client_as(role) for role in (Role.AGENT, Role.MANAGER)}
    for role, name in (
        (Role.AGENT, "coaching:pulse"),
        (Role.AGENT, "coaching:pulse_answer"),
        (Role.MANAGER, "coaching:pulse_settings"),
    ):
        client = clients[role]
        client.cookies["django_language"] = language
        page = client.get(reverse(name, args=[org.slug]))
        assert page.status_code == 200
        assert ('dir="rtl"' in page.content.decode()) == (language != "de")
