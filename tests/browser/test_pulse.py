"""The pulse clicked through in Persian (right to left): the owner, who takes calls too, switches
the pulse on, opens a round, answers it once, and the results page counts the answer without
showing it (one answer is below the threshold, and the round is still open)."""

import pytest

from goaldesk.coaching.models import PulseReceipt, PulseRound, PulseTally
from tests.browser.conftest import shot, sign_in
from tests.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.browser


def test_pulse_on_open_and_answer_in_persian(live_server, desk, new_page):
    desk.language = "fa"
    desk.save()
    owner = UserFactory._meta.model.objects.get(username="maryam")
    AgentFactory(organisation=desk, user=owner)

    page = new_page(locale="fa-IR")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/{desk.slug}/team/pulse/settings/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.check("#id_enabled")
    page.select_option("#id_every_weeks", "1")
    page.fill("#id_open_days", "۳")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    with page.expect_navigation():
        page.click("form[action$='/team/pulse/open/'] button")
    pulse_round = PulseRound.objects.get(organisation=desk)
    assert (pulse_round.closes_on - pulse_round.opens_on).days == 2

    with page.expect_navigation():
        page.click("#pulse-current a.button")
    page.check("input[name=workload][value='5']")
    page.check("input[name=fairness][value='2']")
    page.check("input[name=recommend][value='6']")
    shot(page, "pulse-answer-fa")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#pulse-state").is_visible()
    assert page.locator("input[name=workload]").count() == 0

    page.goto(f"{live_server.url}/o/{desk.slug}/team/pulse/")
    shot(page, "pulse-results-fa")
    assert page.locator("#pulse-current a.button").count() == 0  # answered: no second go
    row = page.locator("#pulse-rounds tbody tr").first
    assert "۱" in row.inner_text()  # one answer, in Persian digits; no figures
    assert PulseReceipt.objects.filter(user=owner).count() == 1
    counted = PulseTally.objects.filter(round=pulse_round, count=1)
    assert sorted(counted.values_list("question", "value")) == [
        ("fairness", 2), ("recommend", 6), ("workload", 5),
    ]  # fmt: skip
