"""The public help centre under load and when empty: "contact us" and the answers throttled per
client address (429 in the visitor's language, nothing saved lost), a help centre without
published articles, and the visitor's message on the interaction's page."""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.core.models import ThrottleHit
from goaldesk.interactions.models import Interaction
from goaldesk.knowledge.models import ContactFromArticle, Vote
from tests.knowledge.factories import article_make

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def article(org):
    return article_make(org, {"en": ("Refunds", "Within 14 days."), "fa": ("بازپرداخت", "۱۴ روز")})


@pytest.fixture
def limits(settings):
    settings.GOALDESK_THROTTLES = {
        **settings.GOALDESK_THROTTLES,
        "help_contact": (5, HOUR),
        "help_answer": (3, HOUR),
    }


def contact(client, org, address, *, message="Where is my money?", lang="en", article=None):
    data = {"lang": lang, "email": "sara@example.org", "name": "Sara", "message": message}
    if article is not None:
        data["article"] = article.pk
    return client.post(
        reverse("knowledge_public:contact", args=[org.slug]), data, REMOTE_ADDR=address
    )


def test_the_sixth_message_in_an_hour_from_one_address_is_refused_and_creates_nothing(
    org, client, limits
):
    for number in range(5):
        assert contact(client, org, "10.0.0.1", message=f"Question {number}").status_code == 200
    assert Interaction.objects.count() == 5

    refused = contact(client, org, "10.0.0.1", message="My sixth question")
    page = refused.content.decode()
    assert refused.status_code == 429
    # the 5 messages counted are within the hour: the first leaves it in 60 minutes
    assert refused["Retry-After"] == "3600"
    assert "Your message was not sent yet." in page
    assert "please send it again in 60 minutes" in page
    assert "My sixth question" in page  # what was typed is still in the form
    assert Interaction.objects.count() == 5 and ContactFromArticle.objects.count() == 5

    # another address is not held back by the first one
    assert contact(client, org, "10.0.0.2").status_code == 200
    assert Interaction.objects.count() == 6


def test_after_the_hour_the_same_address_may_write_again(org, client, limits):
    for _ in range(5):
        contact(client, org, "10.0.0.1")
    assert contact(client, org, "10.0.0.1").status_code == 429
    ThrottleHit.objects.update(at=F("at") - HOUR - dt.timedelta(seconds=1))
    assert contact(client, org, "10.0.0.1").status_code == 200
    assert Interaction.objects.count() == 6
    # the counted messages that left the hour were deleted: only the new one is left
    assert ThrottleHit.objects.filter(scope="help_contact").count() == 1


def test_the_limit_counts_per_organisation(org, other_org, client, limits):
    for _ in range(5):
        contact(client, org, "10.0.0.1")
    assert contact(client, other_org, "10.0.0.1").status_code == 200


def test_the_refusal_is_written_in_the_visitors_language_and_direction(org, client, limits):
    for _ in range(5):
        contact(client, org, "10.0.0.1", lang="fa")
    page = contact(client, org, "10.0.0.1", lang="fa").content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert "۶۰" in page  # the wait in Persian digits


def test_a_trusted_proxys_forwarded_address_is_the_one_counted(org, client, limits, settings):
    settings.GOALDESK_TRUSTED_PROXIES = ["10.9.9.9"]
    for number in range(6):  # six visitors behind one proxy: each counted on their own
        response = client.post(
            reverse("knowledge_public:contact", args=[org.slug]),
            {"email": "a@b.org", "message": "Hi"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
        assert response.status_code == 200
    assert Interaction.objects.count() == 6


def test_answers_are_throttled_and_those_already_given_are_kept(org, article, client, limits):
    url = reverse("knowledge_public:vote", args=[org.slug, article.pk])
    for number in range(3):
        client.cookies.clear()  # three visitors behind one address
        response = client.post(
            url, {"helpful": "no", "missing": f"x{number}"}, REMOTE_ADDR="1.2.3.4"
        )
        assert response.status_code == 302
    client.cookies.clear()
    refused = client.post(url, {"helpful": "no", "lang": "ar"}, REMOTE_ADDR="1.2.3.4")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert '<html lang="ar" dir="rtl">' in page and 'class="help-throttled"' in page
    assert sorted(Vote.objects.values_list("missing", flat=True)) == ["x0", "x1", "x2"]
    assert client.post(url, {"helpful": "yes"}, REMOTE_ADDR="1.2.3.5").status_code == 302


# --- a help centre with nothing published ------------------------------------------------


def test_a_help_centre_without_published_articles_says_so_kindly(org, client):
    article_make(org, {"en": ("Draft", "Not yet.")}, state="draft")
    org.language = "fa"
    org.save()
    response = client.get(reverse("knowledge_public:home", args=[org.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in page  # the organisation's language
    assert 'class="help-empty"' in page and "Draft" not in page
    assert reverse("knowledge_public:contact", args=[org.slug]) in page
    # the visitor's browser, when it asks for one of ours, wins over the organisation's
    arabic = client.get(
        reverse("knowledge_public:home", args=[org.slug]), HTTP_ACCEPT_LANGUAGE="ja, ar;q=0.8"
    )
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()
    # and the visitor's own choice of language wins over both
    english = client.get(reverse("knowledge_public:home", args=[org.slug]) + "?lang=en")
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert "No articles yet" in english.content.decode()
    # and writing to the organisation works before any article is published
    assert contact(client, org, "10.0.0.1").status_code == 200


def test_an_unknown_help_centre_is_still_not_found(db, client):
    assert client.get(reverse("knowledge_public:home", args=["nobody"])).status_code == 404
    assert contact(client, type("Org", (), {"slug": "nobody"}), "10.0.0.1").status_code == 404


def test_a_help_centre_with_articles_does_not_say_it_has_none(org, article, client):
    page = client.get(reverse("knowledge_public:home", args=[org.slug])).content.decode()
    assert "Refunds" in page and 'class="help-empty"' not in page


# --- the message on the interaction, the visitor's confirmation ----------------------------


def test_the_visitor_sees_what_they_sent_and_where_the_answer_goes(org, article, client):
    page = contact(client, org, "10.0.0.1", article=article, message="Where is\nmy money?")
    text = page.content.decode()
    assert page.status_code == 200 and "Message sent" in text
    assert "sara@example.org" in text and "Where is<br>my money?" in text
    assert "Refunds" in text  # the article it was about


@pytest.mark.parametrize("role", [Role.AGENT, Role.VIEWER])
def test_an_agent_opening_the_interaction_reads_the_visitors_message(
    org, article, client, client_as, role
):
    contact(client, org, "10.0.0.1", article=article, lang="fa", message="پولم <b>کجاست</b>؟")
    interaction = Interaction.objects.get()
    page = client_as(role).get(reverse("interactions:detail", args=[org.slug, interaction.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Message from the help centre" in text
    assert "پولم &lt;b&gt;کجاست&lt;/b&gt;؟" in text  # the visitor's words, escaped
    assert "Sara" in text and "mailto:sara@example.org" in text
    assert "Refunds" in text  # the article, in the reader's language (English here)
    article_link = reverse("knowledge:article", args=[org.slug, article.pk])
    assert (article_link in text) == (role == Role.AGENT)  # viewers cannot open articles


def test_an_interaction_not_sent_from_the_help_centre_has_no_message_section(org, client_as):
    from tests.factories import InteractionFactory

    interaction = InteractionFactory(organisation=org)
    page = client_as(Role.AGENT).get(
        reverse("interactions:detail", args=[org.slug, interaction.pk])
    )
    assert "Message from the help centre" not in page.content.decode()
