"""A customer answers a survey in Persian on a phone (390×844): the page is right to left,
nothing is loaded from elsewhere, nothing scrolls sideways, the answer lands in the interaction,
and opening the link again says it was answered."""

import pytest

from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import SurveyResponse
from goaldesk.interactions.models import Interaction
from tests.browser.conftest import shot
from tests.feedback.conftest import interaction

pytestmark = pytest.mark.browser


def test_a_customer_answers_in_persian_on_a_phone(live_server, desk, new_page):
    row = interaction(desk, "F-1", customer="c1")
    url = services.invitation_create(
        organisation=desk, interaction=row, delivery="link", language="fa"
    ).url
    path = url[url.index("/s/") :]

    page = new_page(locale="fa-IR", viewport=(390, 844))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    labels = page.locator(".survey-scale span").all_inner_texts()
    assert labels[:5] == ["۱", "۲", "۳", "۴", "۵"]
    shot(page, "survey-fa-phone")

    # Sending without the required answer: told where, the comment kept.
    page.fill("textarea", "خیلی سریع بود")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.locator(".survey-error").first.is_visible()
    assert page.input_value("textarea") == "خیلی سریع بود"

    page.locator(".survey-scale label", has_text="۴").first.click()
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.locator("h1").inner_text() != ""
    assert page.locator("[role=status]").is_visible()
    shot(page, "survey-fa-phone-thanks")
    assert Interaction.objects.get(pk=row.pk).csat == 4
    assert SurveyResponse.objects.get().comment == "خیلی سریع بود"

    page.goto(live_server.url + path)
    assert page.locator(".survey-note").is_visible()
    assert page.locator("form").count() == 0
    assert outside == []
