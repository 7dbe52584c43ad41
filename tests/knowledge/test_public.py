"""The public help centre: publish states, GET changes nothing, answers with a visitor key,
the contact form, bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.interactions.models import Interaction
from goaldesk.knowledge.models import ContactFromArticle, PageView, Visit, Vote
from goaldesk.knowledge.public_views import VISITOR_COOKIE
from goaldesk.knowledge.services import article_state_set
from tests.knowledge.factories import article_make


@pytest.fixture
def faq(org):
    return {
        "published": article_make(
            org, {"en": ("Refunds", "Within **14 days**."), "fa": ("بازپرداخت", "تا ۱۴ روز.")}
        ),
        "draft": article_make(org, {"en": ("Secret plan", "Not yet.")}, state="draft"),
        "archived": article_make(org, {"en": ("Old prices", "Gone.")}, state="archived"),
    }


def _counts():
    return (
        Visit.objects.count(),
        PageView.objects.count(),
        Vote.objects.count(),
        ContactFromArticle.objects.count(),
        Interaction.objects.count(),
    )


def test_only_published_articles_are_public(org, faq, client):
    home = client.get(reverse("knowledge_public:home", args=[org.slug]))
    assert b"Refunds" in home.content
    assert b"Secret plan" not in home.content and b"Old prices" not in home.content
    for state in ("draft", "archived"):
        url = reverse("knowledge_public:article", args=[org.slug, faq[state].pk])
        assert client.get(url).status_code == 404
    article_state_set(article=faq["draft"], state="published", user=None)
    assert (
        client.get(
            reverse("knowledge_public:article", args=[org.slug, faq["draft"].pk])
        ).status_code
        == 200
    )


def test_an_article_in_persian_reads_right_to_left_with_sanitised_markdown(org, faq, client):
    url = reverse("knowledge_public:article", args=[org.slug, faq["published"].pk])
    fa = client.get(url + "?lang=fa").content.decode()
    assert 'lang="fa" dir="rtl"' in fa and "بازپرداخت" in fa
    en = client.get(url + "?lang=en").content.decode()
    assert 'lang="en" dir="ltr"' in en and "<strong>14 days</strong>" in en


def test_get_never_changes_data_and_never_sets_the_visitor_cookie(org, faq, client):
    before = _counts()
    for url in (
        reverse("knowledge_public:home", args=[org.slug]) + "?q=refund",
        reverse("knowledge_public:article", args=[org.slug, faq["published"].pk]),
        reverse("knowledge_public:contact", args=[org.slug]) + f"?article={faq['published'].pk}",
        reverse("knowledge_public:visit", args=[org.slug]),
        reverse("knowledge_public:vote", args=[org.slug, faq["published"].pk]) + "?helpful=yes",
    ):
        response = client.get(url)
        assert response.status_code in (200, 405)
        assert VISITOR_COOKIE not in response.cookies
    assert _counts() == before


def test_a_visitor_counts_once_when_answering_twice(org, faq):
    client = Client(enforce_csrf_checks=True)
    article = faq["published"]
    page = client.get(reverse("knowledge_public:article", args=[org.slug, article.pk]))
    token = page.cookies["csrftoken"].value
    vote_url = reverse("knowledge_public:vote", args=[org.slug, article.pk])
    assert client.post(vote_url, {"helpful": "no", "missing": "x"}).status_code == 403  # no token
    first = client.post(
        vote_url,
        {"helpful": "no", "missing": "The fee", "text_lang": "en", "csrfmiddlewaretoken": token},
    )
    assert first.status_code == 302 and VISITOR_COOKIE in first.cookies
    client.post(vote_url, {"helpful": "yes", "text_lang": "en", "csrfmiddlewaretoken": token})
    vote = Vote.objects.get()
    assert vote.helpful is True and vote.missing == "" and vote.language == "en"
    # another visitor (no cookie) is another vote
    other = Client()
    other.post(vote_url, {"helpful": "no", "text_lang": "en"})
    assert Vote.objects.count() == 2


def test_the_visit_beacon_records_one_visit_for_a_visitors_views(org, faq, client):
    url = reverse("knowledge_public:visit", args=[org.slug])
    assert client.post(url, {"lang": "en"}).status_code == 204
    assert client.post(url, {"article": faq["published"].pk, "lang": "en"}).status_code == 204
    visit = Visit.objects.get()
    assert visit.viewed_article and visit.views.count() == 2
    # a draft or a foreign article is refused, nothing recorded
    assert client.post(url, {"article": faq["draft"].pk}).status_code == 400
    assert PageView.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"helpful": "maybe"},
        {"helpful": "no", "missing": "x" * 5000},
        {"helpful": "", "text_lang": "xx"},
        {},
    ],
)
def test_bad_answers_are_refused_with_a_message_never_a_500(org, faq, client, data):
    url = reverse("knowledge_public:vote", args=[org.slug, faq["published"].pk])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert Vote.objects.count() == 0
    assert "Choose “Yes” or “No”" in response.content.decode()


def test_the_contact_form_creates_a_web_interaction_linked_to_the_article(org, faq, client):
    article = faq["published"]
    url = reverse("knowledge_public:contact", args=[org.slug])
    client.post(
        reverse("knowledge_public:visit", args=[org.slug]), {"article": article.pk, "lang": "fa"}
    )
    response = client.post(
        url,
        {
            "article": article.pk,
            "lang": "fa",
            "name": "Sara",
            "email": "Sara@Example.org",
            "message": "Where is my money?",
        },
    )
    assert response.status_code == 200
    contact = ContactFromArticle.objects.get()
    assert contact.article == article and contact.language == "fa"
    assert contact.visit == Visit.objects.get()  # sent during the visit
    interaction = contact.interaction
    assert interaction.channel == "web" and interaction.organisation == org
    assert interaction.customer_id == "sara@example.org" and interaction.local_date is not None


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not an address", "message": "Hi"},
        {"email": "a@b.org", "message": ""},
        {"email": "a@b.org", "message": "x" * 6000},
        {"article": "99999999999999999999", "email": "a@b.org"},
    ],
)
def test_a_bad_contact_form_keeps_what_was_typed_and_says_what_is_wrong(org, faq, client, data):
    response = client.post(reverse("knowledge_public:contact", args=[org.slug]), data)
    assert response.status_code == 200
    assert "Nothing was sent" in response.content.decode()
    assert Interaction.objects.count() == 0


def test_nothing_of_another_organisation_is_shown(org, other_org, faq, client):
    theirs = article_make(other_org, {"en": ("Their refunds", "x")})
    assert (
        b"Their refunds"
        not in client.get(reverse("knowledge_public:home", args=[org.slug])).content
    )
    assert (
        client.get(reverse("knowledge_public:article", args=[org.slug, theirs.pk])).status_code
        == 404
    )


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_created(org, faq, client):
    response = client.post(
        reverse("knowledge_public:contact", args=[org.slug]),
        {"email": "bot@example.org", "message": "Buy now", "website": "http://spam.example"},
    )
    assert response.status_code == 200 and "Message sent" in response.content.decode()
    assert Interaction.objects.count() == 0


def test_the_contact_page_does_not_count_as_reading_the_article_again(org, faq, client):
    page = client.get(
        reverse("knowledge_public:contact", args=[org.slug]) + f"?article={faq['published'].pk}"
    ).content.decode()
    beacon = page[page.index('id="help-visit"') :]
    assert 'name="article"' not in beacon[: beacon.index("</form>")]


def test_an_existing_web_interaction_is_linked_to_the_visit_it_was_sent_in(org, faq):
    import datetime as dt

    from goaldesk.knowledge.services import contact_link, page_view_record
    from tests.factories import InteractionFactory

    sent = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    page_view_record(
        organisation=org,
        visitor_key="v" * 20,
        article=faq["published"],
        at=sent - dt.timedelta(minutes=29),
    )
    web = InteractionFactory(organisation=org, channel="web", created_at=sent)
    contact = contact_link(
        interaction=web, article=faq["published"], language="en", visitor_key="v" * 20
    )
    assert contact.visit is not None and contact.visit.last_seen_at == sent
    late = InteractionFactory(
        organisation=org, channel="web", created_at=sent + dt.timedelta(minutes=31)
    )
    assert (
        contact_link(interaction=late, article=None, language="en", visitor_key="v" * 20).visit
        is None
    )
