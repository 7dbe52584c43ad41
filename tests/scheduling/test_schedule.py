"""Scheduling in the web app: profiles and rules, building, editing, publishing, swaps, feeds."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goaldesk.accounts.models import Membership, Role
from goaldesk.scheduling.models import AgentProfile, Schedule, ScheduledShift, ShiftSwap
from goaldesk.scheduling.selectors import schedule_evaluate, week_start_for
from goaldesk.scheduling.services import (
    ScheduleError,
    agent_profile_save,
    calendar_feed_revoke,
    calendar_feed_token,
    schedule_create,
    schedule_publish,
    scheduling_rules_save,
    shift_add,
    swap_decide,
    swap_offer,
    swap_take,
)
from goaldesk.team.models import AgentSkill
from tests.factories import AgentFactory, MembershipFactory, UserFactory

# Saturday 7 March 2026 in Tehran (+03:30, Friday weekend): the week runs Saturday to Friday.
SATURDAY = dt.date(2026, 3, 7)


def local(org, day_offset, hour, minute=0):
    day = SATURDAY + dt.timedelta(days=day_offset)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=org.tzinfo)


def requirement_csv(org, rows):
    """CSV text: (day offset, first hour, end hour, skill, agents) on a 60-minute grid."""
    lines = ["start,interval_minutes,skill,required"]
    for day, first, end, skill, n in rows:
        for hour in range(first, end):
            lines.append(f"{local(org, day, hour).isoformat()},60,{skill},{n}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def desk(org):
    """Tehran desk, Friday weekend, 8-hour shifts, no breaks, two phone agents and a chat agent."""
    org.weekend_days = [5]
    org.save()
    scheduling_rules_save(
        organisation=org,
        values={"shift_lengths_minutes": [480], "break_minutes": 0, "within_opening_hours": False},
    )
    people = {}
    for key, skills in (("sara", ["phone"]), ("reza", ["phone", "chat"]), ("mina", ["chat"])):
        agent = AgentFactory(organisation=org, key=key, name=key.title())
        agent_profile_save(agent=agent, values={"channels": skills, "max_days_per_week": 6})
        people[key] = agent
    return org, people


def build(org, rows, *, limit=10):
    from goaldesk.scheduling.files import read_requirements

    requirement = read_requirements(requirement_csv(org, rows), timezone=org.timezone)
    return schedule_create(
        organisation=org,
        week_start=SATURDAY,
        time_limit_seconds=limit,
        requirement=requirement,
        run_now=True,
    )


def test_week_starts_after_the_local_weekend(org):
    org.weekend_days = [5]
    assert week_start_for(org, dt.date(2026, 3, 11)) == SATURDAY  # a Wednesday
    org.weekend_days = [5, 6]
    assert week_start_for(org, dt.date(2026, 3, 11)) == dt.date(2026, 3, 8)  # Sunday
    org.weekend_days = [6, 7]
    assert week_start_for(org, dt.date(2026, 3, 11)) == dt.date(2026, 3, 9)  # Monday


def test_solved_schedule_covers_a_day_shift_exactly(desk):
    org, _people = desk
    # Saturday 09–17: one phone agent and one chat agent: Sara (phone) and Mina (chat), 8 h each.
    schedule = build(org, [(0, 9, 17, "phone", 1), (0, 9, 17, "chat", 1)])
    assert schedule.state == Schedule.State.DONE and schedule.status == "optimal"
    shifts = list(schedule.shifts.order_by("agent__key"))
    assert len(shifts) == 2
    assert all((s.start, s.end) == (local(org, 0, 9), local(org, 0, 17)) for s in shifts)
    state = schedule_evaluate(schedule)
    assert state.evaluation.under_coverage == 0
    assert state.evaluation.over_coverage == 0
    assert state.evaluation.violations == ()


def test_impossible_coverage_keeps_the_best_partial_schedule_and_says_why(desk, client_as):
    org, _people = desk
    # Three phone agents needed, only two people can take phone calls.
    schedule = build(org, [(0, 9, 17, "phone", 3)])
    assert schedule.state == Schedule.State.DONE
    assert schedule.shifts.count() == 2
    state = schedule_evaluate(schedule)
    assert state.evaluation.under_coverage == 8  # one agent short for 8 hours
    page = client_as(Role.VIEWER).get(
        reverse("scheduling:schedule_detail", args=[org.slug, schedule.pk])
    )
    text = page.content.decode()
    assert "Short intervals and why" in text
    assert "Only 2 agents with Phone are available; 3 needed." in text  # the skill by its label


def test_manual_move_recomputes_coverage_and_flags_the_rest_rule(desk, client_as):
    org, _people = desk
    schedule = build(org, [(0, 9, 17, "phone", 1), (1, 9, 17, "phone", 1)])
    sara_or_reza = schedule.shifts.order_by("start")
    first, second = list(sara_or_reza)
    client = client_as(Role.MANAGER)
    # Give Sunday's shift to the agent of Saturday's, starting Sunday 01:00: 8 h rest after 17:00.
    response = client.post(
        reverse("scheduling:schedule_shift_edit", args=[org.slug, schedule.pk, second.pk]),
        {
            "agent": first.agent_id,
            "day": "2026-03-08",
            "start": "۰۱:۰۰",
            "hours": "8",
            "action": "move",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.start == local(org, 1, 1) and second.edited
    state = schedule_evaluate(schedule)
    assert [v.code for v in state.evaluation.violations] == ["rest"]
    # Sunday 09–17 is now covered only 09:00–09:00+0: 01–09 on duty, so 09–17 is short 8 h.
    assert state.evaluation.under_coverage == 8
    page = client.get(
        reverse("scheduling:schedule_detail", args=[org.slug, schedule.pk])
    ).content.decode()
    assert "less than 11 h rest between shifts" in page
    assert 'class="shift-bar broken' in page
    # Removing it leaves Sunday uncovered but breaks no rule.
    client.post(
        reverse("scheduling:schedule_shift_edit", args=[org.slug, schedule.pk, second.pk]),
        {"action": "remove"},
    )
    state = schedule_evaluate(schedule)
    assert state.evaluation.violations == ()
    assert state.evaluation.under_coverage == 8


def test_build_form_with_an_uploaded_requirement(
    desk, client_as, django_capture_on_commit_callbacks
):
    org, _people = desk
    client = client_as(Role.MANAGER)
    upload = SimpleUploadedFile(
        "req.csv", requirement_csv(org, [(2, 10, 18, "chat", 1)]).encode(), content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scheduling:schedule_home", args=[org.slug]),
            {
                "week_start": SATURDAY.isoformat(),
                "time_limit_seconds": "۵",
                "requirement_file": upload,
            },
        )
    schedule = Schedule.objects.get(organisation=org)
    assert response.status_code == 302
    assert schedule.state == Schedule.State.DONE and schedule.time_limit_seconds == 5
    [shift] = schedule.shifts.all()
    assert shift.start == local(org, 2, 10)
    progress = client.get(reverse("scheduling:schedule_progress", args=[org.slug, schedule.pk]))
    assert "Finished." in progress.content.decode()


def test_build_form_names_the_bad_row(desk, client_as):
    org, _people = desk
    upload = SimpleUploadedFile("req.csv", b"start,skill,required\n2026-03-07T09:00,phone,-1\n")
    response = client_as(Role.MANAGER).post(
        reverse("scheduling:schedule_home", args=[org.slug]),
        {"week_start": SATURDAY.isoformat(), "time_limit_seconds": "5", "requirement_file": upload},
    )
    assert response.status_code == 200
    assert "row 2, field “required”" in response.content.decode()
    assert not Schedule.objects.exists()


def test_without_a_forecast_the_build_says_what_to_do(desk):
    org, _people = desk
    with pytest.raises(ScheduleError, match="run a forecast first"):
        schedule_create(organisation=org, week_start=SATURDAY)


def test_profile_form_validation_and_persian_digits(desk, client_as):
    org, people = desk
    client = client_as(Role.MANAGER)
    url = reverse("scheduling:schedule_profile", args=[org.slug, people["sara"].pk])
    bad = client.post(
        url,
        {"channels": ["phone"], "min_hours_per_week": "30", "max_hours_per_week": "20",
         "max_days_per_week": "5", "available_1": "9 to 5"},
    )  # fmt: skip
    text = bad.content.decode()
    assert "The minimum hours are more than the maximum hours." in text
    assert "“9 to 5” is not a time span like 09:00-17:00." in text
    good = client.post(
        url,
        {"channels": ["phone", "chat"], "languages": ["fa"], "min_hours_per_week": "۱۰",
         "max_hours_per_week": "۳۰", "max_days_per_week": "۴", "available_6": "۰۹:۰۰-۱۷:۰۰",
         "preferred_day_parts": ["morning"], "preferred_start_times": "۰۹:۰۰", "preferred_days_off": ["4"]},
    )  # fmt: skip
    assert good.status_code == 302
    profile = AgentProfile.objects.get(agent=people["sara"])
    # The ticked channels and language went to team's skills at level Proficient.
    skills = AgentSkill.objects.filter(agent=people["sara"]).select_related("skill")
    assert sorted((s.skill.scheduling_code, s.level) for s in skills) == [
        ("chat", 3),
        ("lang:fa", 3),
        ("phone", 3),
    ]
    assert (profile.min_hours_per_week, profile.max_hours_per_week, profile.max_days_per_week) == (
        10,
        30,
        4,
    )
    assert profile.availability == {"6": [["09:00", "17:00"]]}
    assert profile.preferred_start_times == ["09:00"]
    assert profile.preferred_days_off == [4]


def test_availability_and_leave_keep_an_agent_off(desk):
    org, people = desk
    # Sara may only work Saturdays; Reza is on leave all Sunday: Sunday's phone need stays short.
    agent_profile_save(agent=people["sara"], values={"availability": {"6": [["08:00", "18:00"]]}})
    from goaldesk.scheduling.services import agent_absence_add

    agent_absence_add(
        agent=people["reza"], kind="leave", start=local(org, 1, 0), end=local(org, 2, 0)
    )
    schedule = build(org, [(1, 9, 17, "phone", 1)])
    assert schedule.shifts.count() == 0
    state = schedule_evaluate(schedule)
    assert {s.reason for s in state.evaluation.shortfalls} == {"nobody_available"}


def test_rules_form_validation(desk, client_as):
    org, _people = desk
    client = client_as(Role.MANAGER)
    url = reverse("scheduling:schedule_rules", args=[org.slug])
    data = {
        "shift_lengths": "8, ۶", "start_times": "08:00, 9:30", "within_opening_hours": "on",
        "break_minutes": "30", "break_after_hours": "6", "break_window_start_percent": "60",
        "break_window_end_percent": "40", "min_rest_hours": "11", "max_consecutive_days": "6",
        "evening_after": "19:00", "weekend_unpopular": "on",
    }  # fmt: skip
    response = client.post(url, data)
    assert "The break window must end after it starts." in response.content.decode()
    data["break_window_end_percent"] = "90"
    data["shift_lengths"] = "8, 7.1"
    response = client.post(url, data)
    assert (
        "7.1 h is not a length between 0.25 and 24 hours in quarter hours."
        in response.content.decode()
    )
    data["shift_lengths"] = "8, ۶"
    assert client.post(url, data).status_code == 302
    from goaldesk.scheduling.selectors import engine_rules

    rules = engine_rules(organisation=org)
    assert rules.shift_lengths_minutes == (480, 360)
    assert [t.isoformat("minutes") for t in rules.shift_start_times] == ["08:00", "09:30"]
    assert rules.min_rest_minutes == 660 and rules.weekend_days == frozenset({5})


# --- publishing, my shifts, swaps ------------------------------------------------------------


@pytest.fixture
def published(desk):
    """A published week: Saturday 09–17 Sara (phone); Monday 09–17 Sara and Reza (phone)."""
    org, people = desk
    schedule = Schedule.objects.create(
        organisation=org, week_start=SATURDAY, interval_minutes=60, state=Schedule.State.DONE,
        requirement=[[local(org, d, h).isoformat(), "phone", 1] for d in (0, 2) for h in range(9, 17)],
    )  # fmt: skip
    shift_add(schedule=schedule, agent=people["sara"], start=local(org, 0, 9), minutes=480)
    shift_add(schedule=schedule, agent=people["reza"], start=local(org, 2, 9), minutes=480)
    schedule_publish(schedule=schedule)
    return org, people, schedule


@pytest.fixture
def now_before_the_week(monkeypatch):
    from django.utils import timezone

    moment = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_swap_offer_take_and_approve(published, now_before_the_week):
    _org, people, schedule = published
    saturday = schedule.shifts.get(agent=people["sara"])
    swap = swap_offer(shift=saturday, agent=people["sara"])
    # Mina serves chat only: not qualified for a phone shift.
    with pytest.raises(ScheduleError, match="lacks the skills this shift needs: Phone"):
        swap_take(swap=swap, agent=people["mina"])
    swap_take(swap=swap, agent=people["reza"])
    manager = UserFactory(username="boss")
    swap = swap_decide(swap=swap, approve=True, decided_by=manager)
    assert swap.state == ShiftSwap.State.APPROVED
    saturday.refresh_from_db()
    assert saturday.agent == people["reza"]


def test_swap_breaking_a_rule_is_rejected_with_the_rule_named(published, now_before_the_week):
    org, people, schedule = published
    # Sara offers Monday... no: Reza offers Monday 09–17; Sara already works Monday 01:00–09:00?
    shift_add(schedule=schedule, agent=people["sara"], start=local(org, 1, 22), minutes=480)
    monday = schedule.shifts.get(agent=people["reza"])
    swap = swap_offer(shift=monday, agent=people["reza"])
    # Sara's Sunday 22:00–06:00 leaves 3 h before Monday 09:00: the rest rule.
    with pytest.raises(ScheduleError, match="less than 11 h rest between shifts"):
        swap_take(swap=swap, agent=people["sara"])
    # Approval checks again: the rule broke after the colleague took the shift.
    ScheduledShift.objects.filter(agent=people["sara"], start=local(org, 1, 22)).delete()
    swap_take(swap=swap, agent=people["sara"])
    shift_add(schedule=schedule, agent=people["sara"], start=local(org, 1, 22), minutes=480)
    swap = swap_decide(swap=swap, approve=True, decided_by=None)
    assert swap.state == ShiftSwap.State.REJECTED
    assert "less than 11 h rest between shifts" in swap.reason
    assert schedule.shifts.get(start=local(org, 2, 9)).agent == people["reza"]


def test_swap_pages_for_agents_and_managers(published, now_before_the_week, client):
    org, people, schedule = published
    for key in ("sara", "reza"):
        user = UserFactory(username=key)
        MembershipFactory(user=user, organisation=org, role=Role.AGENT)
        people[key].user = user
        people[key].save()
    client.force_login(people["sara"].user)
    page = client.get(reverse("scheduling:my_shifts", args=[org.slug])).content.decode()
    assert "My shifts" in page and "Offer for a swap" in page
    saturday = schedule.shifts.get(agent=people["sara"])
    client.post(reverse("scheduling:swap_offer", args=[org.slug, saturday.pk]))
    swap = ShiftSwap.objects.get()
    client.force_login(people["reza"].user)
    page = client.get(reverse("scheduling:my_shifts", args=[org.slug])).content.decode()
    assert "Take this shift" in page
    client.post(reverse("scheduling:swap_take", args=[org.slug, swap.pk]))
    swap.refresh_from_db()
    assert swap.state == ShiftSwap.State.TAKEN and swap.taken_by == people["reza"]
    boss = UserFactory(username="boss")
    MembershipFactory(user=boss, organisation=org, role=Role.MANAGER)
    client.force_login(boss)
    client.post(
        reverse("scheduling:swap_decide", args=[org.slug, swap.pk]), {"decision": "approve"}
    )
    swap.refresh_from_db()
    assert swap.state == ShiftSwap.State.APPROVED


# --- calendar feed ---------------------------------------------------------------------------


@pytest.fixture
def linked(published):
    """`published` with Sara and Reza linked to their own sign-ins, members with the agent role."""
    org, people, _schedule = published
    for key in ("sara", "reza"):
        user = UserFactory(username=f"{key}-feed")
        MembershipFactory(user=user, organisation=org, role=Role.AGENT)
        people[key].user = user
        people[key].save()
    return published


def feed_url(agent, token=None):
    return reverse(
        "calendar_feed",
        kwargs={"agent_id": agent.pk, "token": token or calendar_feed_token(agent=agent)},
    )


def unfold(text):
    return text.replace("\r\n ", "")


def test_calendar_feed_is_valid_icalendar_with_the_shifts_in_utc(
    linked, client, now_before_the_week
):
    _org, people, _schedule = linked
    people["sara"].name = "Sara " + "Ahmadi-" * 12  # a long name: the calendar name line folds
    people["sara"].save()
    response = client.get(feed_url(people["sara"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    text = unfold(body.decode())
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.count("BEGIN:VEVENT") == 1  # Sara's Saturday shift only
    # Saturday 7 March 09:00–17:00 in Tehran (+03:30) is 05:30–13:30 UTC.
    assert "DTSTART:20260307T053000Z\r\n" in text
    assert "DTEND:20260307T133000Z\r\n" in text
    assert re.search(r"UID:shift-\d+@goaldesk\.tehran\r\n", text)
    assert re.search(r"DTSTAMP:\d{8}T\d{6}Z\r\n", text)
    assert "X-WR-CALNAME:Shifts of Sara Ahmadi-" in text
    assert text.endswith("END:VCALENDAR\r\n")


def test_calendar_feed_refuses_unsigned_tampered_foreign_and_revoked_tokens(linked, client):
    _org, people, _schedule = linked
    sara, reza = people["sara"], people["reza"]
    good = calendar_feed_token(agent=sara)
    assert client.get(feed_url(sara, good)).status_code == 200
    assert client.get(feed_url(sara, "not-a-token")).status_code == 404
    assert (
        client.get(
            feed_url(sara, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
        ).status_code
        == 404
    )
    # Reza's valid token on Sara's address does not open it.
    assert client.get(feed_url(sara, calendar_feed_token(agent=reza))).status_code == 404
    calendar_feed_revoke(agent=sara)
    assert client.get(feed_url(sara, good)).status_code == 404
    assert client.get(feed_url(sara)).status_code == 200


def test_calendar_feed_stops_for_a_deactivated_agent(linked, client):
    _org, people, _schedule = linked
    sara = people["sara"]
    url = feed_url(sara)
    assert client.get(url).status_code == 200
    sara.active = False
    sara.save()
    assert client.get(url).status_code == 404
    sara.active = True
    sara.save()
    assert client.get(url).status_code == 200


def test_calendar_feed_stops_when_the_member_is_removed_or_unlinked(linked, client):
    org, people, _schedule = linked
    sara, reza = people["sara"], people["reza"]
    sara_url, reza_url = feed_url(sara), feed_url(reza)
    assert client.get(sara_url).status_code == 200
    Membership.objects.filter(user=sara.user, organisation=org).delete()
    assert client.get(sara_url).status_code == 404
    reza.user = None  # the agent record no longer belongs to a sign-in
    reza.save()
    assert client.get(reza_url).status_code == 404


def test_calendar_feed_stops_for_a_deactivated_account(linked, client):
    _org, people, _schedule = linked
    url = feed_url(people["sara"])
    people["sara"].user.is_active = False
    people["sara"].user.save()
    assert client.get(url).status_code == 404


def test_a_manager_revokes_an_agents_feed_from_the_profile_page(linked, client, client_as):
    org, people, _schedule = linked
    sara, reza = people["sara"], people["reza"]
    sara_url, reza_url = feed_url(sara), feed_url(reza)
    profile = reverse("scheduling:schedule_profile", args=[org.slug, sara.pk])
    revoke = reverse("scheduling:schedule_profile_feed_revoke", args=[org.slug, sara.pk])
    manager = client_as(Role.MANAGER)
    assert revoke in manager.get(profile).content.decode()
    response = manager.post(revoke, follow=True)
    assert response.redirect_chain[-1][0] == profile
    assert "the old one no longer works" in response.content.decode()
    assert client.get(sara_url).status_code == 404
    assert client.get(feed_url(sara)).status_code == 200  # the agent's new address works
    assert client.get(reza_url).status_code == 200  # only Sara's address changed
    client.force_login(sara.user)  # the agent may not revoke through the manager's page
    assert client.post(revoke).status_code == 403


def test_unpublished_shifts_stay_out_of_the_feed_and_the_csv_export(
    linked, client, client_as, now_before_the_week
):
    org, people, schedule = linked
    schedule.published_at = None
    schedule.save()
    text = client.get(feed_url(people["sara"])).content.decode()
    assert "BEGIN:VEVENT" not in text
    export = client_as(Role.VIEWER).get(
        reverse("scheduling:schedule_export", args=[org.slug, schedule.pk])
    )
    rows = export.content.decode().splitlines()
    assert rows[0] == "agent,name,start,end,break_start,break_end,hours"
    assert rows[1] == "sara,Sara,2026-03-07T09:00+03:30,2026-03-07T17:00+03:30,,,8"
    assert len(rows) == 3
