"""A goal as a Persian or Arabic reader sees it: Persian digits in every sentence with a number,
English titles isolated so they keep their order, arrows that point along the reading direction,
plural-aware sentences."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from goaldesk.accounts.models import Role
from goaldesk.goals.forms import GoalForm
from goaldesk.goals.models import Confidence
from goaldesk.goals.wording import format_value, smart_sentence
from tests.factories import UserFactory
from tests.goals.factories import goal_make

TITLE = "Raise chat satisfaction to 86 %"


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def persian_goal(org):
    org.language = "fa"
    org.save()
    goal = goal_make(org, title=TITLE, tracking_window_days=28)
    for n, rating in enumerate((4, 5, 3)):
        Confidence.objects.create(goal=goal, user=UserFactory(username=f"voter{n}"), rating=rating)
    return goal


def test_a_persian_goal_page_writes_its_numbers_in_persian_and_isolates_the_english_title(
    org, persian_goal, client_as
):
    html = (
        client_as(Role.VIEWER)
        .get(reverse("goals:detail", args=[org.slug, persian_goal.pk]))
        .content.decode()
    )
    assert f"<h1><bdi>{TITLE}</bdi></h1>" in html
    text = _visible(html)
    assert "در ۲۸ روز گذشته" in text
    assert "در 28" not in text
    # three votes, average 4.0: the counter of the plural sentence is written in Persian too
    assert "میانگین ۴٫۰ از ۵ بر اساس ۳ رأی." in text


def test_from_to_arrows_turn_in_right_to_left_pages(org, persian_goal, client_as):
    panel = client_as(Role.VIEWER).get(reverse("goals:dashboard_panel", args=[org.slug]))
    html = panel.content.decode()
    assert f"<bdi>{TITLE}</bdi>" in html
    # "now → target" reads right to left in Persian: the arrow is one that turns (.flip)
    assert re.search(r'<small class="muted">[^<]* <span class="flip">→</span> ', html)


def test_percentages_in_goal_wording_take_the_readers_percent_sign(db):
    translation.activate("fa")
    assert format_value("csat_pct", 86.0) == "۸۶٫۰٪"
    translation.activate("en")
    assert format_value("csat_pct", 86.0) == "86.0 %"


@pytest.mark.parametrize(
    ("milestones", "sentence"),
    [
        (1, "Runs 30 days, 2026-01-01–2026-01-31, with 1 milestone."),
        (2, "Runs 30 days, 2026-01-01–2026-01-31, with 2 milestones."),
    ],
)
def test_the_time_bound_sentence_counts_its_milestones(db, milestones, sentence):
    params = {
        "start": dt.date(2026, 1, 1),
        "deadline": dt.date(2026, 1, 31),
        "days": 30,
        "milestones": milestones,
    }
    shown = smart_sentence("time_bound", params, metric_key="csat_pct", value_unit="hours")
    assert shown == sentence


def test_team_votes_are_counted_in_the_readers_digits(db):
    translation.activate("fa")
    shown = smart_sentence(
        "team_confidence_too_few_votes",
        {"votes": 1, "minimum": 3},
        metric_key="csat_pct",
        value_unit="hours",
    )
    assert "۱" in shown and "۳" in shown
    assert not re.search(r"[0-9]", shown)


def test_the_business_goal_title_in_a_smart_sentence_is_isolated(org, persian_goal, client_as):
    """An English business goal title inside a Persian sentence keeps its own direction."""
    html = (
        client_as(Role.VIEWER)
        .get(reverse("goals:detail", args=[org.slug, persian_goal.pk]))
        .content.decode()
    )
    assert "«<bdi>Increase revenue</bdi>»" in html


def test_the_example_of_a_target_for_each_agent_takes_the_readers_percent_sign(shop):
    with translation.override("fa"):
        help_text = str(GoalForm(organisation=shop).fields["person_target"].help_text)
    assert "۸۵٪" in help_text
    assert "%" not in help_text
    with translation.override("en"):
        help_text = str(GoalForm(organisation=shop).fields["person_target"].help_text)
    assert "CSAT at least 85 %;" in help_text
