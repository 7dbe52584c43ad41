"""The public pages on a phone (390×844) in both directions: each question's legend sits inside
its box, below the box's top border (a legend drawn on the border overlapped it), and nothing
scrolls sideways — the survey page and the help centre's article page, in English, Persian and
Arabic."""

import pytest

from goaldesk.feedback import survey_services as services
from tests.browser.conftest import shot
from tests.feedback.conftest import interaction
from tests.knowledge.factories import article_make

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "fa": "fa-IR", "ar": "ar-EG"}

#: For each fieldset: how far the legend's top is below the fieldset's top border.
LEGEND_GAPS = """(selector) => [...document.querySelectorAll(selector)].map((set) => {
  const legend = set.querySelector("legend").getBoundingClientRect();
  const box = set.getBoundingClientRect();
  const border = parseFloat(getComputedStyle(set).borderTopWidth);
  return {gap: legend.top - (box.top + border), inside: legend.right <= box.right + 0.5
    && legend.left >= box.left - 0.5};
})"""


def _check(page, selector, language):
    assert page.locator("html").get_attribute("dir") == ("ltr" if language == "en" else "rtl")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    legends = page.evaluate(LEGEND_GAPS, selector)
    assert legends, selector
    for legend in legends:
        assert legend["gap"] >= 0 and legend["inside"], legends


@pytest.mark.parametrize("language", ["en", "fa", "ar"])
def test_survey_questions_keep_their_legend_inside_the_box(live_server, desk, new_page, language):
    row = interaction(desk, f"P-{language}", customer="c1")
    url = services.invitation_create(
        organisation=desk, interaction=row, delivery="link", language=language
    ).url
    page = new_page(locale=LOCALES[language], viewport=(390, 844))
    page.goto(live_server.url + url[url.index("/s/") :])
    _check(page, "fieldset.survey-q", language)
    shot(page, f"survey-phone-{language}")


@pytest.mark.parametrize("language", ["en", "fa", "ar"])
def test_the_help_article_answer_box_keeps_its_legend_inside(live_server, desk, new_page, language):
    article = article_make(
        desk,
        {
            "en": ("Where is my order?", "Every order gets a **tracking number**."),
            "fa": ("سفارش من کجاست؟", "هر سفارش یک **کد رهگیری** می‌گیرد."),
            "ar": ("أين طلبي؟", "يصلك **رقم التتبع** برسالة."),
        },
    )
    page = new_page(locale=LOCALES[language], viewport=(390, 844))
    page.goto(f"{live_server.url}/help/{desk.slug}/articles/{article.pk}/?lang={language}")
    page.check("input[name=helpful][value=no]")  # shows "what was missing?"
    _check(page, ".help-vote fieldset", language)
    shot(page, f"help-article-phone-{language}")
