"""Pages: who may do what, the live SMART check, the goal form, the level page."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goaldesk.accounts.models import Role, today_in
from goaldesk.goals.models import Confidence, Goal
from tests.goals.factories import business_goal_make, goal_make, objective_make, resolved_visits


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def goal(org):
    return goal_make(org)


def test_viewers_read_but_do_not_rate_or_edit(org, goal, client_as):
    viewer = client_as(Role.VIEWER)
    assert viewer.get(reverse("goals:detail", args=[org.slug, goal.pk])).status_code == 200
    rate = reverse("goals:confidence", args=[org.slug, goal.pk])
    assert viewer.post(rate, {"rating": 4}).status_code == 403
    assert viewer.get(reverse("goals:edit", args=[org.slug, goal.pk])).status_code == 403


def test_agents_rate_confidence_but_do_not_edit_goals(org, goal, client_as):
    agent = client_as(Role.AGENT)
    rate = reverse("goals:confidence", args=[org.slug, goal.pk])
    assert agent.post(rate, {"rating": 2, "comment": "Too few of us."}).status_code == 302
    vote = Confidence.objects.get(goal=goal)
    assert (vote.rating, vote.comment, vote.user.username) == (2, "Too few of us.", "agent-user")
    assert agent.get(reverse("goals:new", args=[org.slug])).status_code == 403
    assert agent.post(reverse("goals:edit", args=[org.slug, goal.pk]), {}).status_code == 403
    add = reverse("goals:objective_add", args=[org.slug, goal.pk])
    assert agent.post(add, {"title": "x"}).status_code == 403


def test_agents_tick_their_own_objectives_only(org, goal, client_as):
    agent = client_as(Role.AGENT)
    me = get_user_model().objects.get(username="agent-user")
    mine = objective_make(goal, title="Walk the floor", owner=me)
    theirs = objective_make(goal, title="Process returns")
    toggle = "goals:objective_toggle"
    assert agent.post(reverse(toggle, args=[org.slug, mine.pk]), {"done": "1"}).status_code == 302
    assert agent.post(reverse(toggle, args=[org.slug, theirs.pk]), {"done": "1"}).status_code == 403
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.done and mine.done_by == me
    assert not theirs.done
    page = _text(agent.get(reverse("goals:detail", args=[org.slug, goal.pk])))
    assert "1 done, 1 to do" in page


def test_the_live_smart_check_words_each_letter(org, client_as):
    today = today_in(org)
    manager = client_as(Role.MANAGER)
    check = reverse("goals:check", args=[org.slug])
    vague = manager.post(check, {"title": "Better service"})
    assert vague.status_code == 200
    text = _text(vague)
    assert "Choose the metric this goal will move" in text
    assert "Link the goal to a business goal." in text
    assert 'data-letter="S" data-status="warning"' in vague.content.decode()

    for back in range(1, 29):
        resolved_visits(org, today - dt.timedelta(days=back), 20)
    full = manager.post(
        check,
        {
            "metric_key": "customers_helped_per_day",
            "scope_channel": "walk_in",
            "baseline_from": (today - dt.timedelta(days=28)).isoformat(),
            "baseline_to": (today - dt.timedelta(days=1)).isoformat(),
            "target": "30",
            "start": today.isoformat(),
            "deadline": (today + dt.timedelta(days=20)).isoformat(),
            "business_goal": business_goal_make(org).pk,
            "reason": "More sales.",
            "tracking_window_days": "7",
        },
    )
    html = full.content.decode()
    for letter in "SRT":
        assert f'data-letter="{letter}" data-status="pass"' in html
    text = _text(full)
    assert "Baseline: 20.0 a day from 28 observations" in text
    assert "The baseline 20.0 a day rests on 28 observations (at least 7 needed)." in text


def test_a_manager_creates_a_goal_from_the_form(org, client_as):
    today = today_in(org)
    for back in range(1, 29):
        resolved_visits(org, today - dt.timedelta(days=back), 20)
    manager = client_as(Role.MANAGER)
    new = reverse("goals:new", args=[org.slug])
    page = manager.get(new + "?template=desk_customers")
    assert page.status_code == 200
    assert 'value="Help 50 customers a day at the service desk"' in page.content.decode()
    form = {
        "title": "Desk: 30 a day",
        "goal_type": "productivity",
        "metric_key": "customers_helped_per_day",
        "statistic": "median",
        "value_unit": "hours",
        "scope_channel": "walk_in",
        "baseline_from": (today - dt.timedelta(days=28)).isoformat(),
        "baseline_to": (today - dt.timedelta(days=1)).isoformat(),
        "target": "30",
        "start": today.isoformat(),
        "deadline": (today + dt.timedelta(days=60)).isoformat(),
        "milestone_date_1": (today + dt.timedelta(days=30)).isoformat(),
        "milestone_value_1": "25",
        "tracking_window_days": "7",
        "business_goal": business_goal_make(org).pk,
        "reason": "More sales.",
    }
    unconfirmed = manager.post(new, form)
    assert unconfirmed.status_code == 200  # warnings (no history for 60 days) not confirmed
    assert "tick this box to save anyway" in _text(unconfirmed)
    # No team can have voted on a goal that does not exist yet: no "0 team votes" warning.
    assert "team votes so far" not in _text(unconfirmed)
    assert "Once the goal is saved, the team is asked how confident" in _text(unconfirmed)
    assert not Goal.objects.exists()
    saved = manager.post(new, {**form, "confirm_warnings": "on"})
    goal = Goal.objects.get()
    assert saved["Location"] == reverse("goals:detail", args=[org.slug, goal.pk])
    assert goal.baseline_value == pytest.approx(20.0)
    assert [(m.date, m.value) for m in goal.milestones.all()] == [
        (today + dt.timedelta(days=30), 25.0)
    ]
    # On its first day the goal shows where it stands: the 7 days to yesterday, 20 a day each,
    # not "Now —" and "No data yet".
    detail = _text(manager.get(saved["Location"]))
    assert "No data yet" not in detail
    assert re.search(r"Now\s+20\.0 a day", detail)
    listed = _text(manager.get(reverse("goals:list", args=[org.slug])))
    assert "No data yet" not in listed and "20.0 a day" in listed


def test_the_level_page_shows_the_level_its_reasons_and_a_way_up(org, client_as):
    today = today_in(org)
    day = today - dt.timedelta(days=3)
    # 40 phone calls, answered in 10 s, 36 rated 5 and 4 rated 2: CSAT 90 %, service level 100 %.
    resolved_visits(org, day, 36, channel="phone", csat=5, wait_seconds=10)
    resolved_visits(org, day, 4, prefix="low", channel="phone", csat=2, wait_seconds=10)
    owner = client_as(Role.OWNER)
    url = reverse("goals:level", args=[org.slug])
    query = {"from": (today - dt.timedelta(days=7)).isoformat(), "to": today.isoformat()}
    page = owner.get(url, query)
    text = _text(page)
    # The page is not called "service level" (that is the answered-in-time percentage); the
    # level is shown with its place among the four, and the top one cannot be read as lower.
    assert "<h1>Levels of service</h1>" in page.content.decode()
    assert "Exceptional (level 3 of 4)" in text
    assert "CSAT is 90.0 %; Beyond expectations needs 92.0 %." in text
    assert "To reach “Beyond expectations (level 4 of 4)”" in text
    assert "Exceeds expectations" not in text
    assert "Turn this into a goal" in text
    # The goal it pre-fills matches the step: CSAT for the whole organisation, 90 → 92 %.
    link = page.context["level_ctx"]["steps"][0]["link"]
    form = owner.get(link).context["form"]
    assert form.initial["goal_type"] == "satisfaction"
    assert form.initial["metric_key"] == "csat_pct"
    assert form.initial["whole_organisation"] is True
    assert form.initial["target"] == 92.0
    assert form.initial["title"] == (
        "Raise CSAT (the whole organisation) to 92.0 % for Beyond expectations"
    )
    # The owner raises the bar for exceptional CSAT to 95: the level drops.
    thresholds = reverse("goals:level_thresholds", args=[org.slug])
    fields = {
        "csat_pct__meets_expectations": "75",
        "csat_pct__exceptional": "95",
        "csat_pct__exceeds_expectations": "97",
    }
    form_page = owner.get(thresholds).content.decode()
    # Not "Service-level thresholds": service level is the answered-in-time percentage.
    assert "<h1>Thresholds of the levels of service</h1>" in form_page
    head = form_page[form_page.index("<thead>") : form_page.index("</thead>")]
    assert re.findall(r"<th>([^<]*)</th>", head)[1:] == [
        "Meets expectations (level 2 of 4)",
        "Exceptional (level 3 of 4)",
        "Beyond expectations (level 4 of 4)",
    ]
    assert owner.post(thresholds, fields).status_code == 302
    assert "Meets expectations" in _text(owner.get(url, query))
    assert client_as(Role.MANAGER).get(thresholds).status_code == 403


def test_the_dashboard_loads_the_goals_panel_for_its_own_period(org, goal, client_as):
    viewer = client_as(Role.VIEWER)
    query = "from=2026-01-01&to=2026-01-31"
    dashboard = viewer.get(reverse("metrics:dashboard", args=[org.slug]) + "?" + query)
    panel_url = reverse("goals:dashboard_panel", args=[org.slug]) + "?" + query
    assert f'hx-get="{panel_url.replace("&", "&amp;")}"' in dashboard.content.decode()

    panel = viewer.get(panel_url)
    text = _text(panel)
    assert "Levels of service and goals" in text
    assert "Help 50 customers a day" in text  # the active goal, with its status
    # The level link keeps the dashboard's period.
    assert "from=2026-01-01&amp;to=2026-01-31" in panel.content.decode()


def test_the_level_page_refuses_a_period_over_five_years(org, client_as):
    viewer = client_as(Role.VIEWER)
    url = reverse("goals:level", args=[org.slug])
    # 2021-03-07 .. 2026-03-08 is 1,828 days; at most 1,827 (five years).
    response = viewer.get(url, {"from": "2021-03-07", "to": "2026-03-08"})
    assert response.status_code == 200
    assert "at most 1827 days" in _text(response)
    scope = response.context["scope"]
    assert (scope.days, scope.date_to) == (30, today_in(org))


def test_the_goals_panel_falls_back_to_the_default_period_on_a_far_date(org, goal, client_as):
    panel = client_as(Role.VIEWER).get(
        reverse("goals:dashboard_panel", args=[org.slug]),
        {"from": "2026-01-01", "to": "9999-12-31"},
    )
    assert panel.status_code == 200
    today = today_in(org)
    default = f"from={(today - dt.timedelta(days=29)).isoformat()}&amp;to={today.isoformat()}"
    assert default in panel.content.decode()  # the level link carries the period measured


def test_the_level_page_names_the_channels_of_a_gap_by_their_labels(org, client_as):
    today = today_in(org)
    day = today - dt.timedelta(days=3)
    # 30 walk-in visits all rated 5 (CSAT 100 %), 30 chats all rated 3 (CSAT 0 %): a gap of 100
    # points between the best channel (walk-in) and the worst (chat).
    resolved_visits(org, day, 30, csat=5, wait_seconds=10)
    resolved_visits(org, day, 30, prefix="chat", channel="chat", csat=3, wait_seconds=10)
    query = {"from": (today - dt.timedelta(days=7)).isoformat(), "to": today.isoformat()}
    viewer = client_as(Role.VIEWER)
    text = _text(viewer.get(reverse("goals:level", args=[org.slug]), query))
    assert "Walk-in desk / Chat" in text
    assert "walk_in" not in text and "chat /" not in text
    viewer.cookies["django_language"] = "fa"
    text = _text(viewer.get(reverse("goals:level", args=[org.slug]), query))
    assert "مراجعه حضوری / چت" in text


def test_the_criteria_table_ranks_its_level_columns_and_places_a_wide_gap_at_no_level(
    org, client_as
):
    today = today_in(org)
    day = today - dt.timedelta(days=3)
    # Walk-in 30 visits rated 5 (CSAT 100 %), chat 30 rated 3 (0 %): a 100-point gap, whose only
    # bar (10 points) is for the top level.
    resolved_visits(org, day, 30, csat=5, wait_seconds=10)
    resolved_visits(org, day, 30, prefix="chat", channel="chat", csat=3, wait_seconds=10)
    query = {"from": (today - dt.timedelta(days=7)).isoformat(), "to": today.isoformat()}
    page = client_as(Role.VIEWER).get(reverse("goals:level", args=[org.slug]), query)
    html = page.content.decode()
    head = html[html.index("<thead>", html.index("Criteria")) : html.index("</thead>")]
    assert re.findall(r'<th class="num">([^<]*)</th>', head)[1:] == [
        "Meets expectations (level 2 of 4)",
        "Exceptional (level 3 of 4)",
        "Beyond expectations (level 4 of 4)",
    ]
    rows = {c["name"]: c for c in page.context["level_ctx"]["criteria"]}
    gap = rows["CSAT gap between channels"]
    assert gap["value"] == "100.0 points"
    assert gap["met_level"] == "Below the bar of Beyond expectations (level 4 of 4)"
    assert "Exceptional" not in gap["met_level"]
    # CSAT itself, 50 %, misses the 75 % bar for meeting expectations.
    assert rows["CSAT"]["met_level"] == "Unsatisfactory (level 1 of 4)"


def test_the_goal_form_offers_categories_by_name(org, client_as):
    from goaldesk.interactions.models import Category

    Category.objects.create(organisation=org, key="product_question", names={"en": "Products"})
    manager = client_as(Role.MANAGER)
    body = manager.get(
        reverse("goals:new", args=[org.slug]), {"template": "returns_week"}
    ).content.decode()
    field = body[
        body.index('name="scope_category"') : body.index(
            "</select>", body.index('name="scope_category"')
        )
    ]
    # The template's category (a default one) is chosen, by its name; the organisation's own
    # categories are offered by theirs.
    assert '<option value="returns" selected>Return or exchange</option>' in field
    assert '<option value="product_question">Products</option>' in field
