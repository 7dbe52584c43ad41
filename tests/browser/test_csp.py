"""The Content-Security-Policy refuses nothing the pages need: the dashboard draws its charts,
the import page, a schedule with its coverage chart, the forecast page's channel switch and the
API docs (Swagger UI) work, and Chromium reports no violation on any of them."""

import datetime as dt

import pytest

from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.services import agent_profile_save, scheduling_rules_save, shift_add
from tests.browser.conftest import sign_in
from tests.factories import AgentFactory
from tests.metrics.conftest import at, make_interaction

pytestmark = pytest.mark.browser

# A violation reported by the page's own script (inline handlers, injected <style>) or by
# Chromium itself (the console line "Refused to … because it violates … Content Security Policy").
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _watched_page(new_page):
    page = new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return page, console


def _violations(page, console):
    return console + page.evaluate("window.__cspViolations")


def test_pages_work_under_the_content_security_policy(live_server, desk, new_page):
    org = desk
    for day, channel in (("2026-11-02", "phone"), ("2026-11-03", "email")):
        make_interaction(org, channel=channel, created_at=at(day, "10:00", org.timezone), csat=4)
    scheduling_rules_save(
        organisation=org,
        values={"shift_lengths_minutes": [480], "break_minutes": 0, "within_opening_hours": False},
    )
    agent = AgentFactory(organisation=org, key="sara", name="Sara")
    agent_profile_save(agent=agent, values={"channels": ["phone"]})
    start = dt.datetime(2026, 11, 7, 9, tzinfo=org.tzinfo)
    schedule = Schedule.objects.create(
        organisation=org, week_start=start.date(), interval_minutes=60,
        state=Schedule.State.DONE,
        requirement=[[(start + dt.timedelta(hours=h)).isoformat(), "phone", 1] for h in range(8)],
    )  # fmt: skip
    shift_add(schedule=schedule, agent=agent, start=start, minutes=480)

    page, console = _watched_page(new_page)
    response = page.goto(f"{live_server.url}/signin/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "camera=()" in response.headers["permissions-policy"]
    sign_in(page, live_server)

    page.goto(f"{live_server.url}/o/tehran/?from=2026-11-01&to=2026-11-07")
    page.wait_for_function("Chart.getChart(document.getElementById('chart-contacts'))")
    assert page.evaluate("Chart.getChart(document.getElementById('chart-csat')).data.datasets[0]")
    page.click("#tab-category")  # a breakdown tab, loaded by htmx
    page.wait_for_selector("#breakdown-panel table")
    assert _violations(page, console) == []

    page.goto(f"{live_server.url}/o/tehran/import/")
    assert page.locator("input[type=file]").count() == 1
    assert _violations(page, console) == []

    page.goto(f"{live_server.url}/o/tehran/planning/schedule/{schedule.pk}/")
    page.wait_for_selector("#coverage canvas[data-ready='1']")
    assert _violations(page, console) == []

    # The language switch sends its form on change without an inline handler.
    with page.expect_navigation():
        page.select_option("#lang-select", "de")
    assert page.locator("html").get_attribute("lang") == "de"
    assert _violations(page, console) == []

    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() > 5
    page.click(".swagger-ui .opblock-summary >> nth=0")  # unfold one operation
    page.wait_for_selector(".swagger-ui .opblock-body")
    assert _violations(page, console) == []

    # The watch sees a violation when there is one: an injected <style> element is refused.
    page.goto(f"{live_server.url}/o/tehran/import/")
    page.evaluate("document.head.appendChild(document.createElement('style')).textContent='p{}'")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("style-src" in line for line in _violations(page, console))
