"""A manager builds a week's schedule in the browser (solved by the real worker), moves a shift
and sees the coverage chart change, publishes, and reads an agent's calendar feed."""

import datetime as dt
import json

import pytest

from goaldesk.accounts.models import today_in
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.selectors import week_start_for
from goaldesk.scheduling.services import agent_profile_save, scheduling_rules_save
from tests.browser.conftest import shot, sign_in
from tests.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.browser


def _coverage(page):
    return json.loads(page.text_content("#coverage-data"))


def test_build_edit_publish_and_subscribe(live_server, desk, new_page, worker, uploads, tmp_path):
    org = desk
    org.weekend_days = [5]
    org.save()
    scheduling_rules_save(
        organisation=org,
        values={"shift_lengths_minutes": [480], "break_minutes": 0, "within_opening_hours": False},
    )
    maryam = UserFactory(username="maryam")
    people = {}
    for key, skills in (("sara", ["phone"]), ("reza", ["phone", "chat"]), ("mina", ["chat"])):
        people[key] = AgentFactory(organisation=org, key=key, name=key.title())
        agent_profile_save(agent=people[key], values={"channels": skills})

    week = week_start_for(org, today_in(org)) + dt.timedelta(days=7)
    tz = org.tzinfo
    lines = ["start,interval_minutes,skill,required"]
    for day in range(5):  # Saturday … Wednesday, 09:00–17:00, one phone agent; chat on Saturday
        date = week + dt.timedelta(days=day)
        for hour in range(9, 17):
            start = dt.datetime(date.year, date.month, date.day, hour, tzinfo=tz).isoformat()
            lines.append(f"{start},60,phone,1")
            if day == 0:
                lines.append(f"{start},60,chat,1")
    requirement = tmp_path / "requirement.csv"
    requirement.write_text("\n".join(lines) + "\n")

    page = new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/{org.slug}/planning/schedule/")
    page.fill("#id_week_start", week.isoformat())
    page.fill("#id_time_limit_seconds", "5")
    page.set_input_files("#id_requirement_file", str(requirement))
    with page.expect_navigation():
        page.get_by_role("button", name="Build schedule").click()
    # The worker solves it; the progress bar reloads the page when it is done.
    page.wait_for_selector("#coverage canvas[data-ready='1']", timeout=60_000)
    schedule = Schedule.objects.get(organisation=org)
    assert schedule.state == Schedule.State.DONE
    before = _coverage(page)
    assert sum(before["short"]) == 0  # 5 phone days and 1 chat day: 3 agents, 5 days each
    assert sum(before["required"]) == 48
    # The week comes first: its grid starts within the first screenful (900 px high).
    page.evaluate("window.scrollTo(0, 0)")
    grid = page.locator("#week .week-grid").bounding_box()
    assert grid is not None and grid["y"] < 900 - 100
    shot(page, "schedule-week")

    # Move Saturday's phone shift two hours later: 09–11 becomes short, 17–19 surplus.
    saturday = schedule.shifts.filter(start__date=week).exclude(agent=people["mina"]).first()
    page.click(f"button.shift-bar[data-shift='{saturday.pk}']")
    editor = page.locator(f"#edit-{saturday.pk}")
    editor.locator("input[name=start]").fill("11:00")
    with page.expect_navigation():
        editor.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_selector("#coverage canvas[data-ready='1']")
    after = _coverage(page)
    assert sum(after["short"]) == 2
    assert sum(after["surplus"]) == sum(before["surplus"]) + 2
    assert page.get_attribute("#under-hours", "data-value") == "2.0"
    shot(page, "schedule-after-edit")

    # Remove asks once; dismissed (from the keyboard), nothing is posted and the shift stays.
    other = schedule.shifts.exclude(pk=saturday.pk).order_by("start").last()
    page.click(f"button.shift-bar[data-shift='{other.pk}']")
    editor = page.locator(f"#edit-{other.pk}")
    # Remove looks destructive: another colour than Move beside it.
    colour = "el => getComputedStyle(el).backgroundColor"
    remove_colour = editor.get_by_role("button", name="Remove", exact=True).evaluate(colour)
    move_colour = editor.get_by_role("button", name="Move", exact=True).evaluate(colour)
    assert remove_colour != move_colour
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    editor.get_by_role("button", name="Remove", exact=True).press("Enter")
    page.wait_for_timeout(300)
    assert asked == ["Remove this shift?"]
    assert schedule.shifts.filter(pk=other.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        editor.get_by_role("button", name="Remove", exact=True).click()
    assert not schedule.shifts.filter(pk=other.pk).exists()
    page.wait_for_selector("#coverage canvas[data-ready='1']")

    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    agent = saturday.agent  # Maryam's own agent record: her calendar feed has its shifts
    agent.user = maryam
    agent.save()
    page.goto(f"{live_server.url}/o/{org.slug}/my-shifts/")
    feed = page.input_value("#feed-url")
    response = page.request.get(feed)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert body.count("BEGIN:VEVENT") == schedule.shifts.filter(agent=agent).count() > 0
    assert "\r\nEND:VCALENDAR\r\n" in body
    assert page.request.get(feed[:-6] + "xx.ics").status == 404
