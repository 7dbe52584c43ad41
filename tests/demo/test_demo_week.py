"""The demo's published week as a manager checks it: the requirement fits the demo's own team on
every day and in the week, and every working day has shifts inside each agent's contract.

The team's hours are worked out here from the Agent, profile, rules and opening-hours rows:
each agent works at most one shift a day, at most the longest allowed shift that fits the day's
opening (less its break), and in the week at most their contract. The requirement is summed
from the stored requirement rows (people to schedule, shrinkage included)."""

import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goaldesk.accounts.models import BusinessHours, Holiday, Organisation, today_in
from goaldesk.coaching.skills_selectors import skills_matrix
from goaldesk.forecasting.models import ForecastRun, RequirementInterval
from goaldesk.scheduling.models import AgentProfile, Schedule, SchedulingRules
from goaldesk.scheduling.selectors import schedule_evaluate, week_start_for
from goaldesk.team.models import Agent, Skill, TrainingRecord
from goaldesk.team.selectors import agent_skill_codes
from tests.demo_once import demo_built

pytestmark = pytest.mark.django_db

SLUGS = ("demo", "demo-fa")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo at its natural volume, built once for this module (without its goals, which
    the schedule does not read)."""
    with demo_built(django_db_blocker, tmp_path_factory.mktemp("demo"), without="goals_demo_build"):
        yield {slug: Organisation.objects.get(slug=slug) for slug in SLUGS}


def _published(org):
    schedule = Schedule.objects.get(organisation=org, published_at__isnull=False)
    return schedule, [schedule.week_start + dt.timedelta(days=d) for d in range(7)]


def _opening(org, day):
    """The day's opening as (first opening, last closing) in minutes, or None when closed."""
    if (
        day.isoweekday() in org.weekend_days
        or Holiday.objects.filter(organisation=org, date=day).exists()
    ):
        return None
    spans = BusinessHours.objects.filter(organisation=org, weekday=day.isoweekday())
    if not spans:
        return None
    first = min(s.opens.hour * 60 + s.opens.minute for s in spans)
    last = max(s.closes.hour * 60 + s.closes.minute for s in spans)
    return first, last


def _requirement_hours(org, days):
    """People to schedule, in person-hours, per local day and channel of the latest forecast."""
    run = ForecastRun.objects.filter(organisation=org, state="done").latest("pk")
    hours = defaultdict(lambda: defaultdict(float))
    for row in RequirementInterval.objects.filter(run=run):
        day = row.start.astimezone(org.tzinfo).date()
        if day in days:
            hours[day][row.channel] += row.agents_with_shrinkage * run.interval_minutes / 60
    return hours


def _planned_skills(org, week_start):
    """Agent id → the skills the week was planned with. The demo lets one certificate run out
    after publishing (demo/skills.py, for the skills matrix), so certificates are not asked for
    here: that gap is the last test here."""
    Skill.objects.filter(organisation=org).update(requires_certification=False)
    return agent_skill_codes(organisation=org, on=week_start)


def _team_hours(org, days):
    """(hours per day, hours per day per channel, hours in the week) the active agents can work."""
    rules = SchedulingRules.objects.get(organisation=org)
    profiles = list(AgentProfile.objects.filter(agent__organisation=org, agent__active=True))
    assert len(profiles) == Agent.objects.filter(organisation=org, active=True).count()
    skills = _planned_skills(org, days[0])
    per_day = {}
    per_channel = defaultdict(lambda: defaultdict(float))
    for day in days:
        opening = _opening(org, day)
        span = opening[1] - opening[0] if opening else 0
        fits = [m for m in rules.shift_lengths_minutes if m <= span]
        longest = max(fits, default=0)
        on_duty = longest - (rules.break_minutes if longest > rules.break_after_minutes else 0)
        per_day[day] = 0.0
        for profile in profiles:
            hours = min(on_duty, 60 * profile.max_hours_per_week) / 60
            per_day[day] += hours
            for channel in skills[profile.agent_id]:
                per_channel[day][channel] += hours
    full_day = max(rules.shift_lengths_minutes) / 60
    working_days = sum(1 for day in days if _opening(org, day))
    week = sum(
        min(p.max_hours_per_week, min(p.max_days_per_week, working_days) * full_day)
        for p in profiles
    )
    return per_day, per_channel, week


@pytest.mark.parametrize("slug", SLUGS)
def test_the_published_weeks_requirement_fits_the_demo_team_with_slack(demo, slug):
    org = demo[slug]
    _schedule, days = _published(org)
    required = _requirement_hours(org, days)
    team_day, team_channel, team_week = _team_hours(org, days)
    assert sum(sum(c.values()) for c in required.values()) > 0
    for day in days:
        need = sum(required[day].values())
        # A little slack on every day: at most 90 % of what the team can be on duty.
        assert need <= 0.9 * team_day[day], (day, need, team_day[day])
        for channel, hours in required[day].items():
            assert hours <= team_channel[day][channel], (day, channel, hours)
    week_need = sum(sum(c.values()) for c in required.values())
    assert week_need <= 0.85 * team_week, (week_need, team_week)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_published_week_has_shifts_on_every_working_day_within_each_contract(demo, slug):
    org = demo[slug]
    schedule, days = _published(org)
    assert schedule.state == Schedule.State.DONE
    _planned_skills(org, schedule.week_start)
    state = schedule_evaluate(schedule)
    tz = org.tzinfo
    working = [day for day in days if _opening(org, day)]
    # A whole week, not what is left of one: it starts today or later, on the day after the
    # weekend, and has working days.
    assert schedule.week_start >= today_in(org)
    assert schedule.week_start == week_start_for(org, schedule.week_start)
    assert working
    on_duty = defaultdict(set)
    hours_on = defaultdict(float)
    minutes = defaultdict(float)
    days_worked = defaultdict(set)
    for shift in state.shifts:
        start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
        opening = _opening(org, start.date())
        assert opening is not None, shift  # never on a weekend or a holiday
        assert opening[0] <= start.hour * 60 + start.minute
        assert end.date() == start.date() and end.hour * 60 + end.minute <= opening[1]
        on_duty[start.date()].add(shift.agent_id)
        hours_on[start.date()] += (shift.end - shift.start).total_seconds() / 3600
        minutes[shift.agent_id] += (shift.end - shift.start).total_seconds() / 60
        days_worked[shift.agent_id].add(start.date())
    required = _requirement_hours(org, days)
    for day in working:
        # Several people on every working day, on duty at least as long as the day requires.
        assert sum(required[day].values()) > 0
        assert len(on_duty[day]) >= 2, day
        assert hours_on[day] >= sum(required[day].values()), (day, hours_on[day])
    for profile in AgentProfile.objects.filter(agent__organisation=org):
        assert minutes[profile.agent_id] <= 60 * profile.max_hours_per_week + 1e-6
        # Nobody on a full contract gets a token week: at least four fifths of it.
        assert minutes[profile.agent_id] >= 0.8 * 60 * profile.max_hours_per_week - 1e-6
        assert len(days_worked[profile.agent_id]) <= profile.max_days_per_week
    assert state.evaluation.violations == ()
    # Coverage met or close: at most 5 % of the required person-hours short.
    short_hours = state.evaluation.under_coverage * schedule.interval_minutes / 60
    assert short_hours <= 0.05 * sum(sum(c.values()) for c in required.values())


@pytest.mark.parametrize("slug", SLUGS)
def test_one_expired_certificate_leaves_a_peak_of_the_week_short_on_the_skills_matrix(
    demo, slug, client
):
    org = demo[slug]
    today = today_in(org)
    expired = TrainingRecord.objects.filter(
        agent__organisation=org, result="passed", expires_on__lte=today
    )
    assert expired.count() == 1
    record = expired.get()
    assert record.skill.requires_certification
    # A product skill that needs a certificate, with its training records.
    product = Skill.objects.get(organisation=org, kind=Skill.Kind.PRODUCT)
    assert product.requires_certification and product.training_records.exists()

    matrix = skills_matrix(organisation=org, today=today)
    short = [gap for peak in matrix.peaks for gap in peak.skills if gap.short]
    assert short, "no skill is short at the week's peaks"
    causes = {(n.agent.pk, n.why) for gap in short for n in gap.not_counting}
    assert causes == {(record.agent_id, "expired")}

    client.force_login(get_user_model().objects.get(username="demo"))
    page = client.get(reverse("coaching:skills", args=[org.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'class="short"' in text
    assert str(record.agent) in text
