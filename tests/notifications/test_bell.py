"""The bell on every page, the list of notifications, marking read and opening one."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goaldesk.accounts.models import Profile, Role
from goaldesk.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

SENT_AT = dt.datetime(2026, 12, 7, 10, 30, tzinfo=dt.UTC)  # 14:00 in Tehran (UTC+03:30)


def _notification(user, org, *, read=False, url="/o/tehran/my-shifts/", **kwargs):
    return Notification.objects.create(
        recipient=user,
        organisation=org,
        kind=kwargs.pop("kind", "shifts_published"),
        params=kwargs.pop("params", {"week": "2026-12-07"}),
        url=url,
        created_at=kwargs.pop("created_at", SENT_AT),
        read_at=SENT_AT if read else None,
    )


@pytest.fixture
def reza(org):
    user = UserFactory(username="reza")
    MembershipFactory(user=user, organisation=org, role=Role.AGENT)
    return user


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_bell_counts_my_unread_notifications_only_with_one_query(org, reza):
    _notification(reza, org)
    _notification(reza, org)
    _notification(reza, org, read=True)
    someone = UserFactory(username="someone")
    _notification(someone, org)
    with CaptureQueriesContext(connection) as queries:
        page = _signed_in(reza).get(reverse("metrics:dashboard", args=[org.slug]))
    html = page.content.decode()
    assert 'aria-label="Notifications, 2 unread"' in html
    assert '<span class="bell-count" aria-hidden="true">2</span>' in html
    counted = [
        q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(counted) == 1 and counted[0].startswith("SELECT COUNT(")


def test_the_bell_without_unread_notifications_shows_no_count(org, reza):
    _notification(reza, org, read=True)
    html = _signed_in(reza).get(reverse("accounts:profile")).content.decode()
    assert 'class="bell" href="/notifications/" aria-label="Notifications"' in html
    assert "bell-count" not in html


def test_a_visitor_who_is_not_signed_in_sees_no_bell(org):
    assert b'class="bell"' not in Client().get(reverse("accounts:login")).content


def test_the_list_in_persian_has_persian_digits_and_jalali_dates(org, reza):
    Profile.objects.create(user=reza, language="fa", calendar="jalali", last_organisation=org)
    _notification(reza, org)
    _notification(reza, org, read=True, created_at=SENT_AT - dt.timedelta(days=1))
    _notification(UserFactory(username="someone"), org, params={"week": "2026-12-14"})
    with CaptureQueriesContext(connection) as queries:
        html = _signed_in(reza).get(reverse("notifications:list")).content.decode()
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT COUNT(") and "notifications_notification" in q["sql"]
    ]
    assert len(counts) == 2  # the bell's unread, the pager's all
    # The week of 2026-12-07 is 16 Azar 1405; sent at 14:00 Tehran time, 15 Azar the day before.
    assert html.count("۱۶ آذر ۱۴۰۵") == 2
    assert "۱۴۰۵/۰۹/۱۶ ۱۴:۰۰" in html and "۱۴۰۵/۰۹/۱۵ ۱۴:۰۰" in html
    assert html.index("۱۴۰۵/۰۹/۱۶ ۱۴:۰۰") < html.index("۱۴۰۵/۰۹/۱۵ ۱۴:۰۰")  # newest first
    assert '<span class="bell-count" aria-hidden="true">۱</span>' in html
    assert html.count('<tr class="unread">') == 1
    assert "۲۱ آذر ۱۴۰۵" not in html  # someone else's notification
    # A member of one organisation needs no organisation column.
    assert "<bdi>Tehran Desk</bdi></td>" not in html


def test_a_member_of_two_organisations_sees_each_notifications_organisation(org, other_org, reza):
    MembershipFactory(user=reza, organisation=other_org, role=Role.VIEWER)
    _notification(reza, org)
    _notification(reza, other_org, created_at=SENT_AT + dt.timedelta(hours=1))
    html = _signed_in(reza).get(reverse("notifications:list")).content.decode()
    assert html.index("<td><bdi>Berlin Support</bdi></td>") < html.index(
        "<td><bdi>Tehran Desk</bdi></td>"
    )


def test_the_list_shows_fifty_a_page(org, reza):
    for minutes in range(51):
        _notification(reza, org, created_at=SENT_AT + dt.timedelta(minutes=minutes))
    client = _signed_in(reza)
    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert first.count("<tr class=") == 50 and second.count("<tr class=") == 1
    assert "Page 1 of 2" in first
    assert "10:30" in second and "10:30" not in first  # the oldest is on the second page


def test_mark_one_and_all_read_by_post_only(org, reza):
    first, second = _notification(reza, org), _notification(reza, org)
    theirs = _notification(UserFactory(username="someone"), org)
    client = _signed_in(reza)
    assert client.get(reverse("notifications:read", args=[first.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 3

    answer = client.post(reverse("notifications:read", args=[first.pk]))
    assert answer.status_code == 302 and answer["Location"] == reverse("notifications:list")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None

    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert list(Notification.objects.filter(read_at__isnull=True)) == [theirs]


def test_open_marks_read_and_goes_to_the_page(org, reza):
    notification = _notification(reza, org, url="/o/tehran/my-shifts/?week=2026-12-07")
    client = _signed_in(reza)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    answer = client.post(reverse("notifications:open", args=[notification.pk]))
    assert answer.status_code == 302
    assert answer["Location"] == "/o/tehran/my-shifts/?week=2026-12-07"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_open_never_leaves_the_site(org, reza, url):
    notification = _notification(reza, org, url=url)
    answer = _signed_in(reza).post(reverse("notifications:open", args=[notification.pk]))
    assert answer.status_code == 302 and answer["Location"] == reverse("notifications:list")


def test_another_persons_notification_cannot_be_opened(org, reza):
    theirs = _notification(UserFactory(username="someone"), org)
    assert _signed_in(reza).post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
