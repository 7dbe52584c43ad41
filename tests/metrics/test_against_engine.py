"""The SQL metrics against the oracle (tests/oracles/metrics.py), on random data.

The oracle's compute_metrics is a plain Python loop per definition, written independently;
both must give the same numbers for every catalogue metric, period and filter.
"""

import datetime as dt
import math
import random

import pytest

from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.interactions.models import Review
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interactions_upsert
from goaldesk.metrics.catalogue import KEYS as ALL_KEYS
from goaldesk.metrics.catalogue import metric
from goaldesk.metrics.selectors import REVIEW_KEYS, kpis_breakdown, kpis_for_period
from tests.coaching.factories import review_make, rubric_make
from tests.factories import AgentFactory, TeamFactory, UserFactory
from tests.metrics.conftest import make_interaction
from tests.oracles.metrics import compute_metrics, make_record

#: Provided metrics (surveys, the FAQ) have their own tests (tests/knowledge/, tests/feedback/).
KEYS = tuple(k for k in ALL_KEYS if metric(k).source != "provided")

START = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
CHANNELS = ("phone", "email", "chat", "social", "walk_in", "web", "field")


def same(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and all(same(a[k], b[k]) for k in b)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def random_organisation(desk, seed, n=250):
    rng = random.Random(seed)
    teams = [TeamFactory(organisation=desk, name=f"T{i}") for i in range(2)]
    agents = [AgentFactory(organisation=desk, key=f"a{i}", team=teams[i % 2]) for i in range(3)]
    raws = []
    # Quality reviews from their own random stream, so the interactions stay as they were.
    qa_rng = random.Random(seed * 7919)
    rubric = rubric_make(desk).versions.get()
    reviewers = [UserFactory(username=f"reviewer{i}") for i in range(2)]
    for i in range(n):
        # Whole hours on a coarse grid so that ties and exact 168 h repeats happen.
        created = START + dt.timedelta(hours=rng.randrange(0, 24 * 30, 6))
        channel = rng.choice(CHANNELS)
        status = rng.choice(("resolved", "resolved", "unresolved", "abandoned", "open"))
        agent = rng.choice([*agents, None])
        raw = {
            "external_id": f"R{i}",
            "channel": channel,
            "created_at": created,
            "customer_id": rng.choice(("", "k1", "k2", "k3", "k4", "k5")),
            "category": rng.choice(("", "billing", "repair")),
            "status": status,
            "outcome": rng.choice(("", "success", "failure")),
            "wait_seconds": rng.choice((None, 5.0, 20.0, 21.0, 300.0)),
            "handle_seconds": rng.choice((None, 60.0, 240.5)),
            "csat": rng.choice((None, 1, 2, 3, 4, 5)),
            "nps": rng.choice((None, 0, 6, 7, 8, 9, 10)),
            "ces": rng.choice((None, 1, 4, 7)),
            "sentiment_start": rng.choice(("", "negative", "neutral", "positive")),
            "sentiment_end": rng.choice(("", "negative", "neutral", "positive")),
        }
        if rng.random() < 0.6:
            raw["first_response_at"] = created + dt.timedelta(seconds=rng.randrange(1, 90000))
        if status == "resolved" and rng.random() < 0.9:
            raw["resolved_at"] = created + dt.timedelta(seconds=rng.randrange(60, 400000))
        if channel == "field" and rng.random() < 0.8:
            raw["arrived_at"] = created + dt.timedelta(seconds=rng.randrange(600, 20000))
            raw["fixed_at"] = raw["arrived_at"] + dt.timedelta(seconds=rng.randrange(60, 9000))
        interaction = make_interaction(desk, **raw, agent=agent, team=agent.team if agent else None)
        raw["qa_scores"] = quality_reviews(interaction, qa_rng, rubric, reviewers)
        raws.append(
            raw | {"agent": agent.key if agent else "", "team": agent.team.name if agent else ""}
        )
    for i in range(20):
        Review.objects.create(
            organisation=desk,
            external_id=f"V{i}",
            rating=rng.randrange(1, 6),
            date=START.date() + dt.timedelta(days=rng.randrange(30)),
        )
    calendar = business_calendar_for(desk)
    records = [make_record(raw, calendar=calendar) for raw in raws]
    return records, calendar


def quality_reviews(interaction, rng, version, reviewers):
    """No review, one, or two reviewers' (the hand rubric: greeting 0–2, solution 0–4 critical,
    follow-up 0–1 or not applicable); returns the stored scores, as the oracle reads them."""
    scores = []
    for reviewer in reviewers[: rng.choice((0, 0, 0, 1, 2))]:
        review = review_make(
            interaction,
            version,
            reviewer,
            points={
                "greeting": rng.randrange(3),
                "solution": rng.randrange(5),
                "follow_up": rng.choice((None, 0, 1)),
            },
        )
        scores.append(review.score)
    return tuple(scores)


def reference(desk, records, calendar, first, last, keep=lambda r: True):
    reviews = [(r.date, r.rating) for r in Review.objects.filter(organisation=desk)]
    return compute_metrics(
        [r for r in records if keep(r)],
        first=first,
        last=last,
        open_days=calendar.open_days(first, last),
        answer_target_seconds=desk.answer_target_seconds,
        reviews=reviews,
        all_records=records,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_metric_matches_the_reference(desk, seed):
    records, calendar = random_organisation(desk, seed)
    assert sum(len(r.qa_scores) for r in records) > 50  # the quality score is really exercised
    rng = random.Random(seed)
    periods = [(START.date(), START.date() + dt.timedelta(days=29))]
    for _ in range(3):
        first = START.date() + dt.timedelta(days=rng.randrange(25))
        periods.append((first, first + dt.timedelta(days=rng.randrange(1, 10))))
    for first, last in periods:
        ours = kpis_for_period(organisation=desk, date_from=first, date_to=last)
        theirs = reference(desk, records, calendar, first, last)
        for key in KEYS:
            assert same(ours[key], theirs[key]), (key, first, last, ours[key], theirs[key])


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("channel", "phone", "channel"),
        ("agent", "a1", "agent"),
        ("team", "T0", "team"),
        ("category", "billing", "category"),
    ],
)
def test_filtered_metrics_match_the_reference(desk, name, value, field):
    records, calendar = random_organisation(desk, 7)
    first, last = START.date(), START.date() + dt.timedelta(days=29)
    ours = kpis_for_period(organisation=desk, date_from=first, date_to=last, filters={name: value})
    theirs = reference(
        desk, records, calendar, first, last, keep=lambda r: getattr(r, field) == value
    )
    for key in KEYS:
        if key in REVIEW_KEYS:
            assert ours[key] is None  # reviews have no channel, agent, team or category
            continue
        assert same(ours[key], theirs[key]), (key, ours[key], theirs[key])


def test_breakdown_groups_match_the_reference(desk):
    records, calendar = random_organisation(desk, 11)
    first, last = START.date(), START.date() + dt.timedelta(days=29)
    for row in kpis_breakdown(organisation=desk, date_from=first, date_to=last, by="channel"):
        theirs = reference(
            desk, records, calendar, first, last, keep=lambda r, c=row["group"]: r.channel == c
        )
        for key in KEYS:
            if key in REVIEW_KEYS:
                continue
            assert same(row[key], theirs[key]), (row["group"], key, row[key], theirs[key])
    days = kpis_breakdown(organisation=desk, date_from=first, date_to=last, by="day")
    for row in days[:10]:
        theirs = reference(desk, records, calendar, row["group"], row["group"])
        for key in KEYS:
            assert same(row[key], theirs[key]), (row["group"], key, row[key], theirs[key])


def test_fcr_written_through_the_upsert_matches_the_reference(desk):
    """next_contact_at kept by interactions_upsert (batches in any order, re-imports that move
    interactions to another customer, category or time) gives the reference's fcr_rate."""
    rng = random.Random(5)
    raws = {}
    for i in range(300):
        raws[f"U{i}"] = {
            "external_id": f"U{i}",
            "channel": rng.choice(CHANNELS),
            "created_at": START + dt.timedelta(hours=rng.randrange(0, 24 * 30, 6)),
            "customer_id": rng.choice(("", "k1", "k2", "k3", "k4")),
            "category": rng.choice(("", "billing", "repair")),
            "status": rng.choice(("resolved", "resolved", "open")),
        }
    order = list(raws)
    rng.shuffle(order)
    for start in range(0, len(order), 100):
        interactions_upsert(
            organisation=desk,
            records=[InteractionData(**raws[key]) for key in order[start : start + 100]],
        )
    moved = rng.sample(order, 60)
    for key in moved:
        raws[key] |= {
            "customer_id": rng.choice(("", "k1", "k5")),
            "category": rng.choice(("billing", "returns")),
            "created_at": raws[key]["created_at"] + dt.timedelta(hours=rng.choice((-48, 6, 90))),
        }
    interactions_upsert(organisation=desk, records=[InteractionData(**raws[key]) for key in moved])
    calendar = business_calendar_for(desk)
    records = [make_record(raw, calendar=calendar) for raw in raws.values()]
    for first, last in ((START.date(), START.date() + dt.timedelta(days=29)),
                        (START.date() + dt.timedelta(days=3), START.date() + dt.timedelta(days=9))):  # fmt: skip
        ours = kpis_for_period(organisation=desk, date_from=first, date_to=last, keys=["fcr_rate"])
        theirs = reference(desk, records, calendar, first, last)
        assert same(ours["fcr_rate"], theirs["fcr_rate"]), (first, last)
        for row in kpis_breakdown(
            organisation=desk, date_from=first, date_to=last, by="channel", keys=["fcr_rate"]
        ):
            theirs = reference(
                desk, records, calendar, first, last, keep=lambda r, c=row["group"]: r.channel == c
            )
            assert same(row["fcr_rate"], theirs["fcr_rate"]), (row["group"], first, last)
