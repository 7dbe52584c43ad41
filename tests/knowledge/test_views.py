"""The organisation's FAQ pages: managers write and publish (who and when recorded), agents
read drafts but change nothing."""

import re

from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.knowledge.models import Article, ArticleTranslation, Category
from tests.knowledge.factories import article_make


def test_a_manager_writes_translates_and_publishes_an_article(org, client_as, member):
    client = client_as(Role.MANAGER)
    created = client.post(reverse("knowledge:article_new", args=[org.slug]))
    article = Article.objects.get()
    assert created["Location"] == reverse("knowledge:article_edit", args=[org.slug, article.pk])
    assert article.state == "draft"
    edit = reverse("knowledge:article_edit", args=[org.slug, article.pk])
    response = client.post(edit, {"lang": "fa", "title": "كيف أدفع؟", "body": "با **کارت**"})
    assert response.status_code == 302
    client.post(edit, {"lang": "en", "title": "How to pay", "body": "By card."})
    fa = ArticleTranslation.objects.get(language="fa")
    assert fa.search_text == "کیفادفع؟با**کارت**"  # folded: ك→ک, ي→ی, أ→ا, no spaces
    page = client.get(reverse("knowledge:article", args=[org.slug, article.pk])).content.decode()
    assert '<article lang="fa" dir="rtl">' in page and "<strong>کارت</strong>" in page
    client.post(
        reverse("knowledge:article_state", args=[org.slug, article.pk]), {"state": "published"}
    )
    article.refresh_from_db()
    assert article.state == "published" and article.state_changed_at is not None
    assert article.state_changed_by.memberships.get(organisation=org).role == Role.MANAGER
    assert article.state_changes.count() == 2  # created as draft, then published


def test_an_empty_title_is_refused_and_what_was_typed_stays(org, client_as):
    article = article_make(org, {}, state="draft")
    client = client_as(Role.MANAGER)
    response = client.post(
        reverse("knowledge:article_edit", args=[org.slug, article.pk]),
        {"lang": "en", "title": "", "body": "Kept text"},
    )
    assert response.status_code == 200 and "Kept text" in response.content.decode()
    assert not ArticleTranslation.objects.exists()


def test_an_article_without_text_cannot_be_published(org, client_as):
    article = article_make(org, {}, state="draft")
    response = client_as(Role.MANAGER).post(
        reverse("knowledge:article_state", args=[org.slug, article.pk]),
        {"state": "published"},
        follow=True,
    )
    assert "before publishing" in response.content.decode()
    article.refresh_from_db()
    assert article.state == "draft"


def test_agents_read_drafts_but_change_nothing(org, client_as):
    draft = article_make(org, {"en": ("Coming soon", "Gift cards")}, state="draft")
    agent = client_as(Role.AGENT)
    assert (
        "Coming soon" in agent.get(reverse("knowledge:articles", args=[org.slug])).content.decode()
    )
    assert (
        "Gift cards"
        in agent.get(reverse("knowledge:article", args=[org.slug, draft.pk])).content.decode()
    )
    url = reverse("knowledge:article_state", args=[org.slug, draft.pk])
    assert agent.post(url, {"state": "published"}).status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert (
        client_as(Role.VIEWER).get(reverse("knowledge:articles", args=[org.slug])).status_code
        == 403
    )


def test_categories_are_added_and_bad_input_says_so(org, client_as):
    client = client_as(Role.MANAGER)
    url = reverse("knowledge:categories", args=[org.slug])
    response = client.post(url, {"position": "1"})
    assert response.status_code == 200 and "at least one language" in response.content.decode()
    client.post(url, {"position": "1", "name_fa": "پرداخت", "name_en": "Payment"})
    assert Category.objects.get().names == {"fa": "پرداخت", "en": "Payment"}
    assert client.post(url, {"position": "x", "name_en": "A"}).status_code == 200


def test_the_article_page_shows_its_helpful_rate_and_deflection_per_language(org, client_as):
    """Two readers in English today: one answers "yes", the other "no" and sends the contact
    form in the same visit: 2 visits, helpful 1 of 2 = 50 %, deflection 1 of 2 = 50 %. One
    Persian reader who only reads: 1 visit, no answer (—), deflection 100 %."""
    from django.utils import timezone

    from goaldesk.knowledge.services import (
        contact_from_article_create,
        page_view_record,
        vote_record,
    )

    article = article_make(org, {"en": ("Pay", "By card."), "fa": ("پرداخت", "با کارت.")})
    now = timezone.now()
    for key, helpful in (("a" * 20, True), ("b" * 20, False)):
        page_view_record(organisation=org, visitor_key=key, article=article, language="en", at=now)
        vote_record(article=article, language="en", visitor_key=key, helpful=helpful, at=now)
    contact_from_article_create(
        organisation=org, article=article, language="en", visitor_key="b" * 20, name="",
        email="b@example.org", message="help", at=now,
    )  # fmt: skip
    page_view_record(organisation=org, visitor_key="c" * 20, article=article, language="fa", at=now)
    page = client_as(Role.AGENT).get(reverse("knowledge:article", args=[org.slug, article.pk]))
    rows = [
        [cell.strip() for cell in row]
        for row in re.findall(
            r"<tr><td>([^<]*)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>"
            r"<td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>",
            page.content.decode(),
        )
    ]
    assert rows == [
        ["English", "2", "2", "50 %", "1", "50 %"],
        ["Persian", "1", "0", "—", "0", "100 %"],
    ]
