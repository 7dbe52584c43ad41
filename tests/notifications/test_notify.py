"""notify(): in the app and by e-mail as each person chose, in each person's language."""

from django.core import mail
from django.test import Client
from django.urls import reverse

from goaldesk.accounts.mail import unsubscribe_token
from goaldesk.accounts.models import Profile
from goaldesk.notifications.models import Notification, Preference
from goaldesk.notifications.services import notify
from tests.factories import UserFactory


def test_in_app_and_email_by_default_in_the_recipients_language_and_calendar(
    org, django_capture_on_commit_callbacks
):
    org.calendar = "jalali"
    org.save()
    reza = UserFactory(username="reza", email="reza@example.org")
    Profile.objects.create(user=reza, language="fa")
    anna = UserFactory(username="anna", email="anna@example.org")
    Profile.objects.create(user=anna, language="de", calendar="gregorian")
    with django_capture_on_commit_callbacks(execute=True):
        told = notify(
            kind="shifts_published",
            recipients=[reza, anna, reza, None],
            organisation=org,
            params={"week": "2026-12-07"},
            url="/o/tehran/my-shifts/",
        )
    assert told == 2
    assert Notification.objects.filter(kind="shifts_published").count() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    # 2026-12-07 is 16 Azar 1405 in the Jalali calendar, in Persian digits.
    persian = by_address["reza@example.org"]
    assert "۱۶ آذر ۱۴۰۵" in persian.subject
    html, kind = persian.alternatives[0]
    assert kind == "text/html" and 'dir="rtl"' in html and 'lang="fa"' in html
    german = by_address["anna@example.org"]
    assert "7. Dezember 2026" in german.body or "07.12.2026" in german.body, german.body
    assert "http://127.0.0.1:8000/o/tehran/my-shifts/" in german.body
    assert german.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/unsubscribe/"
    )


def test_a_person_who_turned_email_off_is_only_told_in_the_app(
    org, django_capture_on_commit_callbacks
):
    reza = UserFactory(username="reza", email="reza@example.org")
    Preference.objects.create(user=reza, kind="goal_achieved", in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="goal_achieved", recipients=[reza], organisation=org, params={"goal": "CSAT"})
    assert mail.outbox == []
    assert (
        Notification.objects.get(recipient=reza).text()
        == "The goal “\u2068CSAT\u2069” was achieved."
    )


def test_unsubscribe_get_changes_nothing_and_the_post_does(org):
    reza = UserFactory(username="reza", email="reza@example.org")
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=reza.pk, kind="swap_offered")]
    )
    page = Client().get(url)
    assert page.status_code == 200 and b'<form method="post">' in page.content
    assert not Preference.objects.filter(user=reza).exists()
    Client().post(url)
    preference = Preference.objects.get(user=reza, kind="swap_offered")
    assert (preference.in_app, preference.email) == (True, False)
    assert Client().get(url[:-3] + "xx/").status_code == 404
