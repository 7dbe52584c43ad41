"""The seeds' desk goal, clicked through: "about 20 customers a day, 30 next month, 50
eventually" from its template, two action steps, one ticked, progress read from imported data."""

import datetime as dt

import pytest

from goaldesk import cli
from goaldesk.accounts.models import today_in
from goaldesk.goals.models import BusinessGoal, Goal
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def _write_visits(path, today: dt.date) -> None:
    """20 resolved walk-in visits a day from 42 to 15 days ago, 30 a day since."""
    lines = ["external_id,channel,created_at,status"]
    for back in range(1, 43):
        day = today - dt.timedelta(days=back)
        for n in range(20 if back > 14 else 30):
            lines.append(f"d{back}-{n},walk_in,{day.isoformat()}T10:00:00,resolved")
    path.write_text("\n".join(lines) + "\n")


def test_desk_goal_from_its_template(live_server, desk, new_page, tmp_path, capsys):
    today = today_in(desk)
    csv_file = tmp_path / "visits.csv"
    _write_visits(csv_file, today)
    assert cli.main(["import", "interactions", str(csv_file), "--org", desk.slug]) == 0
    capsys.readouterr()
    BusinessGoal.objects.create(
        organisation=desk, kind="increase_revenue", title="Increase in-store revenue"
    )

    page = new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/{desk.slug}/goals/")
    with page.expect_navigation():
        page.click("a[data-template=desk_customers]")
    assert page.input_value("#id_title") == "Help 50 customers a day at the service desk"
    assert page.input_value("#id_target") == "50.0"
    assert page.input_value("#id_milestone_value_1") == "30.0"
    assert page.input_value("#id_scope_channel") == "walk_in"

    start = today - dt.timedelta(days=14)
    page.fill("#id_baseline_from", (start - dt.timedelta(days=28)).isoformat())
    page.fill("#id_baseline_to", (start - dt.timedelta(days=1)).isoformat())
    page.fill("#id_start", start.isoformat())
    page.locator("#id_start").dispatch_event("change")
    # The live SMART check measures the baseline from the imported visits.
    page.wait_for_selector("#smart-panel >> text=Baseline: 20.0 a day from 28 observations")
    assert page.locator("#smart-panel [data-letter=R]").get_attribute("data-status") == "pass"
    shot(page, "goal-form-desk")
    page.check("#id_confirm_warnings")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the goal").click()

    goal = Goal.objects.get(organisation=desk)
    assert (goal.baseline_value, goal.target) == (20.0, 50.0)
    for title in (
        "One employee walks the floor and brings customers who need help to the desk.",
        "An extra employee at the desk processes returns.",
    ):
        page.fill("#id_title", title)
        with page.expect_navigation():
            page.get_by_role("button", name="Add", exact=True).click()
    with page.expect_navigation():
        page.locator(".objective", has_text="walks the floor").get_by_role(
            "button", name="Mark done"
        ).click()
    assert page.locator("#objective-counts").inner_text() == "1 done, 1 to do"

    # The last 7 complete days had 30 visits each: 30 a day, a third of the way from 20 to 50.
    assert page.locator("#goal-current").inner_text() == "30.0 a day"
    assert "33 % of the way" in page.locator("#goal-progress").inner_text()
    assert page.locator("#goal-chart").is_visible()
    shot(page, "goal-detail-desk")
