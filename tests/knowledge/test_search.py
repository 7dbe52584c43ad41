"""The help centre's search folds the query and the stored text the same way."""

import pytest

from goaldesk.knowledge import search
from goaldesk.knowledge.selectors import help_centre_articles
from tests.knowledge.factories import article_make


def test_folding_meets_persian_arabic_and_german_spellings():
    assert search.search_text("كيف") == search.search_text("کیف")  # Arabic kaf/yeh, Persian
    assert search.search_text("مُحَمَّد") == search.search_text("محمد")  # harakat
    assert search.search_text("كتـــاب") == search.search_text("کتاب")  # tatweel
    assert search.search_text("می\u200cخواهم") == search.search_text("میخواهم")  # ZWNJ
    assert search.search_text("Rückerstattung") == search.search_text("Rueckerstattung")
    assert search.query_terms("ÄNDERUNG Straße") == ["aenderung", "strasse"]


@pytest.fixture
def articles(org):
    return {
        "fa": article_make(org, {"fa": ("پیگیری سفارش", "کد رهگیری را در پیامک می‌بینید.")}),
        "de": article_make(org, {"de": ("Rückerstattung", "Das Geld kommt in 5 Tagen zurück.")}),
        "draft": article_make(org, {"fa": ("پیگیری پیش‌نویس", "")}, state="draft"),
    }


def _found(org, query, language="en"):
    return {
        t.article_id for t in help_centre_articles(organisation=org, language=language, query=query)
    }


def test_search_finds_persian_text_typed_with_arabic_letters(org, articles):
    # ي (Arabic yeh) and ك (Arabic kaf) typed for ی and ک
    assert _found(org, "پيگيري") == {articles["fa"].pk}
    assert _found(org, "كد رهگيري") == {articles["fa"].pk}
    # with or without the half-space
    assert _found(org, "میبینید") == {articles["fa"].pk}
    assert _found(org, "می بینید") == {articles["fa"].pk}


def test_search_finds_umlauts_written_out_and_the_other_way(org, articles):
    assert _found(org, "rueckerstattung") == {articles["de"].pk}
    assert _found(org, "ZURÜCK") == {articles["de"].pk}
    assert _found(org, "zurueck geld") == {articles["de"].pk}
    assert _found(org, "zurueck nichts") == set()  # every word must occur


def test_search_never_shows_a_draft_or_another_organisations_article(org, other_org, articles):
    article_make(other_org, {"fa": ("پیگیری سفارش دیگر", "")})
    assert _found(org, "پیگیری") == {articles["fa"].pk}
