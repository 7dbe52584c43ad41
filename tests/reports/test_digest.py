"""What a digest says and to whom: the dashboard's figures for the same period, too little
data, each role's part, each reader's language, calendar and digits."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.mail import absolute
from goaldesk.accounts.models import Calendar, Role
from goaldesk.notifications.models import DigestFrequency, DigestSetting
from goaldesk.reports.selectors import digest_data
from goaldesk.reports.services import digests_send
from tests.metrics.conftest import at, make_interaction
from tests.reports.conftest import TODAY, WEEK, WEEK_BEFORE

pytestmark = pytest.mark.django_db


def _send(desk):
    return digests_send(organisation=desk, today=TODAY)


def test_the_digest_figures_are_the_dashboards_for_the_same_period(desk, person, client):
    data = digest_data(
        organisation=desk,
        frequency=DigestFrequency.WEEKLY,
        period_start=WEEK[0],
        period_end=WEEK[1],
    )
    assert (data.previous_start, data.previous_end) == WEEK_BEFORE
    client.force_login(person("vera", Role.VIEWER))
    page = client.get(
        reverse("metrics:dashboard", args=[desk.slug]),
        {"from": WEEK[0].isoformat(), "to": WEEK[1].isoformat()},
    )
    assert page.context["previous_from"] == WEEK_BEFORE[0]
    rows = {row["metric"].key: row for row in page.context["rows"]}
    for figure in data.figures:
        assert figure.value == rows[figure.key]["value"], figure.key
    by_key = {figure.key: figure for figure in data.figures}
    # By hand: 5 contacts in the week, 2 the week before; CSAT answers 4, 5, 2 → 2 of 3
    # satisfied (4 or 5) = 66.7 %.
    assert by_key["contacts"].value == 5 and by_key["contacts"].previous == 2
    assert by_key["csat_pct"].value == pytest.approx(200 / 3)


def test_a_manager_gets_the_weekly_digest_with_links_and_staffing(desk, person, mailoutbox):
    person("mona", Role.MANAGER)
    outcomes = _send(desk)
    assert [(o.email, o.result, o.period_start) for o in outcomes] == [
        ("mona@example.com", "sent", WEEK[0])
    ]
    (mail,) = mailoutbox
    assert mail.subject == "GoalDesk weekly digest: Harbour Desk, 2026-03-02 – 2026-03-08"
    body = mail.body
    assert "* Contacts: 5; Previous period: 2; Change: +150 %" in body
    assert absolute("/o/harbour/?from=2026-03-02&to=2026-03-08") in body
    assert absolute("/o/harbour/goals/level/?from=2026-03-02&to=2026-03-08") in body
    assert absolute("/o/harbour/planning/schedule/") in body
    assert "Staffing, the next 7 days" in body
    assert "No published schedule covers the coming week." in body
    html = mail.alternatives[0][0]
    assert 'dir="ltr"' in html and "Key figures" in html
    assert "List-Unsubscribe" in mail.extra_headers


def test_too_little_data_instead_of_a_figure_on_a_small_sample(desk, person, mailoutbox):
    person("mona", Role.MANAGER)
    _send(desk)
    body = mailoutbox[0].body
    # 3 CSAT answers (fewer than 30): no percentage; contacts are a count, always shown.
    assert "* CSAT: too little data to judge; Previous period: too little data to judge" in body
    assert "66.7" not in body


def test_a_big_enough_sample_shows_the_figure(desk, person, mailoutbox):
    for n in range(30):
        make_interaction(desk, external_id=f"S{n}", created_at=at("2026-03-05", "12:00"), csat=5)
    person("mona", Role.MANAGER)
    _send(desk)
    # 32 satisfied of 33 answers = 97.0 %
    assert "* CSAT: 97.0 %;" in mailoutbox[0].body


def test_each_role_sees_its_part(desk, person, mailoutbox):
    viewer = person("vera", Role.VIEWER)
    agent = person("arash", Role.AGENT)
    person("olga", Role.OWNER)
    # Viewers and agents get no digest unless they ask for one.
    assert [o.email for o in digests_send(organisation=desk, today=TODAY, dry_run=True)] == [
        "olga@example.com"
    ]
    DigestSetting.objects.create(user=viewer, frequency=DigestFrequency.WEEKLY)
    DigestSetting.objects.create(user=agent, frequency=DigestFrequency.DAILY)
    _send(desk)
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert set(mails) == {"vera@example.com", "arash@example.com", "olga@example.com"}
    assert "Staffing" not in mails["vera@example.com"].body
    assert "Staffing" not in mails["arash@example.com"].body
    assert "Staffing, the next 7 days" in mails["olga@example.com"].body
    # Everyone sees the figures and the level (the dashboard and level page are open to all).
    for mail in mails.values():
        assert "Contacts:" in mail.body and "Service level:" in mail.body
    # The agent's daily digest is about yesterday, 10 March (no contacts).
    assert mails["arash@example.com"].subject.endswith("2026-03-10")
    assert "2026-03-10" in mails["arash@example.com"].subject


def test_persian_digest_in_jalali_with_persian_digits(desk, person, mailoutbox):
    person("parisa", Role.MANAGER, language="fa", calendar=Calendar.JALALI)
    _send(desk)
    (mail,) = mailoutbox
    # 2–8 March 2026 = 11–17 Esfand 1404.
    assert "۱۴۰۴/۱۲/۱۱" in mail.subject and "۱۴۰۴/۱۲/۱۷" in mail.subject
    assert "2026" not in mail.subject
    assert "۵" in mail.body  # five contacts, in Persian digits
    assert 'dir="rtl"' in mail.alternatives[0][0]
    assert mail.extra_headers["Content-Language"] == "fa"


def test_arabic_digest_in_hijri_with_arabic_indic_digits(desk, person, mailoutbox):
    desk.arabic_indic_digits = True
    desk.save()
    person("amal", Role.MANAGER, language="ar", calendar=Calendar.HIJRI)
    _send(desk)
    (mail,) = mailoutbox
    # 2 March 2026 is 13 Ramadan 1447.
    assert "١٤٤٧" in mail.subject and "١٣" in mail.subject
    assert "2026" not in mail.subject
    assert 'dir="rtl"' in mail.alternatives[0][0]


def test_sending_twice_sends_nothing_new(desk, person, mailoutbox):
    person("mona", Role.MANAGER)
    assert [o.result for o in _send(desk)] == ["sent"]
    assert _send(desk) == []
    assert len(mailoutbox) == 1
    # The next week is another period: one more.
    assert [
        o.period_start for o in digests_send(organisation=desk, today=TODAY + dt.timedelta(days=7))
    ] == [dt.date(2026, 3, 9)]


def test_a_failed_send_is_tried_again(desk, person, mailoutbox, monkeypatch):
    from goaldesk.reports import services
    from goaldesk.reports.models import DigestDelivery

    person("mona", Role.MANAGER)

    def broken(**kwargs):
        raise OSError("the mail server is down")

    monkeypatch.setattr(services, "digest_email", broken)
    assert [o.result for o in _send(desk)] == ["failed"]
    assert not DigestDelivery.objects.exists()
    monkeypatch.undo()
    assert [o.result for o in _send(desk)] == ["sent"]
    assert len(mailoutbox) == 1
