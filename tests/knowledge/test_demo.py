"""The demo's help centre on its own (the whole demo is built in tests/demo/): published
articles in both languages, metrics with values, and the warranty article first to rewrite."""

import datetime as dt

from goaldesk.demo.knowledge import knowledge_demo_build
from goaldesk.knowledge.models import Article, ArticleTranslation
from goaldesk.knowledge.selectors import failing_articles
from goaldesk.metrics.providers import provided

TODAY = dt.date(2026, 3, 31)


def web_forms(org, n=40):
    """`n` web-form interactions over the 30 days before TODAY, two a day at 11:00 and 15:00."""
    from tests.factories import InteractionFactory

    for i in range(n):
        day = TODAY - dt.timedelta(days=1 + i // 2)
        at = dt.datetime.combine(day, dt.time(11 + 4 * (i % 2)), org.tzinfo)
        InteractionFactory(organisation=org, channel="web", created_at=at, local_date=day)


def test_the_demo_help_centre_shows_something_believable(org):
    web_forms(org)
    knowledge_demo_build(organisation=org, today=TODAY, languages=("fa", "en"), seed=7)
    assert Article.objects.filter(organisation=org, state="published").count() == 5
    assert set(Article.objects.filter(organisation=org).values_list("state", flat=True)) == {
        "published",
        "draft",
        "archived",
    }
    assert set(ArticleTranslation.objects.values_list("language", flat=True)) == {"fa", "en"}
    period = [(TODAY - dt.timedelta(days=29), TODAY)]
    values = {
        key: provided(key, organisation=org, periods=period)[0].value
        for key in ("faq_visits", "faq_helpful_rate", "self_service_rate", "deflection_rate")
    }
    assert values["faq_visits"] > 100
    assert 40 < values["faq_helpful_rate"] < 90
    assert 50 < values["deflection_rate"] < 100
    assert 0 < values["self_service_rate"] < 100
    worst = failing_articles(organisation=org, date_from=period[0][0], date_to=TODAY)[0]
    assert worst.article.translations.get(language="en").title == "Warranty repairs"
    # deterministic: the same organisation and seed build the same figures again
    from goaldesk.interactions.models import Interaction
    from goaldesk.knowledge.models import Category, Visit

    for model in (Visit, Article, Category, Interaction):
        model.objects.filter(organisation=org).delete()
    web_forms(org)
    knowledge_demo_build(organisation=org, today=TODAY, languages=("fa", "en"), seed=7)
    again = provided("faq_visits", organisation=org, periods=period)[0].value
    assert again == values["faq_visits"]
