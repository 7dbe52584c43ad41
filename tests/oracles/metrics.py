"""The oracle: every metric of the catalogue computed from METRICS.md's definitions, over plain
records (no database).

Written to be obviously correct rather than fast: one loop per metric, straight from the
definition, sharing nothing with metrics.selectors but the key list and engine.stats. Tests of
the SQL implementation (tests/metrics/test_against_engine.py) use it as the independent
method, so when the two disagree, read this file next to METRICS.md first. A new catalogue
entry needs its loop here too: `compute_metrics` fails with a KeyError naming it until then.

Choices where METRICS.md leaves room (docs/metrics.md states them for users):

* Counts (`contacts`, `review_count`) are 0 for an empty period, because "no contacts" is the
  answer; per-open-day rates are None when the period has no open day. Everything else (means,
  percentages) is None when nothing qualifies, never 0.
* Metrics reported as mean, median and p90 are a nested dict
  `{"mean": …, "median": …, "p90": …, "count": n}` (see `stats.summary`); with no data it is
  `{"mean": None, "median": None, "p90": None, "count": 0}`.
* Percentages are 0–100 floats.
* first_response_business_seconds measures the same span as first_response_seconds: created_at
  to first_response_at, or created_at to created_at + wait_seconds when only the wait is known.
* fcr_rate: a repeat is an interaction of the same customer_id and the same category (two
  uncategorised interactions share the empty category) created strictly after this one and at
  most 168 h after it, of any channel, status, team or agent. `all_records` must therefore be
  every interaction of the organisation, not only those matching a channel/team/agent filter.
* time_to_arrive / time_to_fix use every record with arrived_at / fixed_at (only field visits
  carry them), whatever its channel.
* Live channels are phone, chat and walk_in. Every live contact counts as offered.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from goaldesk.engine.business_hours import BusinessCalendar
from goaldesk.engine.stats import Summary, mean, summary
from goaldesk.metrics.catalogue import KEYS, metric

LIVE_CHANNELS = frozenset({"phone", "chat", "walk_in"})
FCR_WINDOW = dt.timedelta(hours=168)

MetricValue = int | float | Summary | None


@dataclass(frozen=True)
class MetricRecord:
    """One interaction: the canonical fields of METRICS.md plus its local day and business spans.

    `first_response_business_seconds` and `resolution_business_seconds` are used only when
    `compute_metrics` is given no calendar; `make_record` fills them from one.
    """

    external_id: str
    channel: str
    created_at: dt.datetime
    local_date: dt.date
    customer_id: str = ""
    agent: str = ""
    team: str = ""
    category: str = ""
    first_response_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    status: str = "open"
    outcome: str = ""
    wait_seconds: float | None = None
    handle_seconds: float | None = None
    csat: int | None = None
    nps: int | None = None
    ces: int | None = None
    sentiment_start: str = ""
    sentiment_end: str = ""
    arrived_at: dt.datetime | None = None
    fixed_at: dt.datetime | None = None
    first_response_business_seconds: float | None = None
    resolution_business_seconds: float | None = None
    #: The scores (0–100) of the interaction's quality reviews, one per review.
    qa_scores: tuple[float, ...] = ()


_CANONICAL_DEFAULTS: dict[str, Any] = {
    "customer_id": "",
    "agent": "",
    "team": "",
    "category": "",
    "first_response_at": None,
    "resolved_at": None,
    "status": "open",
    "outcome": "",
    "wait_seconds": None,
    "handle_seconds": None,
    "csat": None,
    "nps": None,
    "ces": None,
    "sentiment_start": "",
    "sentiment_end": "",
    "arrived_at": None,
    "fixed_at": None,
}


def make_record(source: Mapping[str, Any] | object, *, calendar: BusinessCalendar) -> MetricRecord:
    """A `MetricRecord` from a mapping or an object with the canonical fields (e.g. an
    `InteractionData`), with local_date and business seconds worked out with `calendar`.

    Missing optional fields take their defaults; None in a text field becomes "".
    """

    def read(name: str, default: Any) -> Any:
        if isinstance(source, Mapping):
            value = source.get(name, default)
        else:
            value = getattr(source, name, default)
        if value is None and isinstance(default, str):
            return default
        return value

    values = {name: read(name, default) for name, default in _CANONICAL_DEFAULTS.items()}
    # METRICS.md: status defaults to resolved if resolved_at is given, else open.
    default_status = "resolved" if values["resolved_at"] is not None else "open"
    values["status"] = read("status", None) or default_status
    created_at: dt.datetime = read("created_at", None)
    response_end = first_response_end(
        created_at, values["first_response_at"], values["wait_seconds"]
    )
    resolved_at: dt.datetime | None = values["resolved_at"]
    return MetricRecord(
        external_id=str(read("external_id", "")),
        channel=str(read("channel", "")),
        created_at=created_at,
        local_date=calendar.local_date(created_at),
        first_response_business_seconds=(
            None if response_end is None else calendar.business_seconds(created_at, response_end)
        ),
        resolution_business_seconds=(
            None if resolved_at is None else calendar.business_seconds(created_at, resolved_at)
        ),
        qa_scores=tuple(read("qa_scores", ())),
        **values,
    )


def first_response_end(
    created_at: dt.datetime, first_response_at: dt.datetime | None, wait_seconds: float | None
) -> dt.datetime | None:
    """When the first response came: first_response_at, else created_at + wait_seconds, else None."""
    if first_response_at is not None:
        return first_response_at
    if wait_seconds is not None:
        return created_at + dt.timedelta(seconds=wait_seconds)
    return None


def percent(part: int, whole: int) -> float | None:
    """100 × part / whole, or None when whole is 0."""
    if whole == 0:
        return None
    return 100.0 * part / whole


def compute_metrics(
    records: Iterable[MetricRecord],
    *,
    first: dt.date,
    last: dt.date,
    open_days: int,
    answer_target_seconds: float = 20,
    reviews: Iterable[tuple[dt.date, int] | Any] = (),
    all_records: Iterable[MetricRecord] | None = None,
    calendar: BusinessCalendar | None = None,
) -> dict[str, MetricValue]:
    """Every metric of METRICS.md for the period `first`–`last` (both days included).

    `records` outside the period (by local_date) are ignored, so passing all of them is fine.
    `open_days` is the period's number of open days. `reviews` are (date, rating) pairs or objects with `.date` and `.rating`.
    `all_records` are the interactions searched for repeat contacts by fcr_rate (default:
    `records`). With a `calendar`, business seconds are worked out from the timestamps;
    without one, the records' own business-second fields are used.

    Returns a dict keyed by the catalogue's KEYS, in order: counts as int, rates in %, times in seconds,
    summary metrics as {"mean", "median", "p90", "count"}; None where no data qualifies.
    """
    everything = list(records)
    in_period = [r for r in everything if first <= r.local_date <= last]
    repeat_pool = everything if all_records is None else list(all_records)
    period_reviews = [
        (day, rating) for day, rating in map(_review_pair, reviews) if first <= day <= last
    ]

    result: dict[str, MetricValue] = {}

    # Volume.
    result["contacts"] = len(in_period)
    resolved = [r for r in in_period if r.status == "resolved"]
    result["contacts_per_open_day"] = len(in_period) / open_days if open_days else None
    result["customers_helped_per_day"] = len(resolved) / open_days if open_days else None

    # First response.
    response_seconds = []
    response_business_seconds = []
    for r in in_period:
        end = first_response_end(r.created_at, r.first_response_at, r.wait_seconds)
        if end is None:
            continue
        if r.first_response_at is not None:
            response_seconds.append((r.first_response_at - r.created_at).total_seconds())
        elif r.wait_seconds is not None:
            response_seconds.append(float(r.wait_seconds))
        if calendar is not None:
            response_business_seconds.append(calendar.business_seconds(r.created_at, end))
        elif r.first_response_business_seconds is not None:
            response_business_seconds.append(r.first_response_business_seconds)
    result["first_response_seconds"] = summary(response_seconds)
    result["first_response_business_seconds"] = summary(response_business_seconds)

    # Resolution.
    resolution_seconds = []
    resolution_business_seconds = []
    for r in resolved:
        if r.resolved_at is None:
            continue
        resolution_seconds.append((r.resolved_at - r.created_at).total_seconds())
        if calendar is not None:
            resolution_business_seconds.append(
                calendar.business_seconds(r.created_at, r.resolved_at)
            )
        elif r.resolution_business_seconds is not None:
            resolution_business_seconds.append(r.resolution_business_seconds)
    result["resolution_seconds"] = summary(resolution_seconds)
    result["resolution_business_seconds"] = summary(resolution_business_seconds)

    # Outcome.
    successes = sum(1 for r in in_period if r.outcome == "success")
    failures = sum(1 for r in in_period if r.outcome == "failure")
    result["success_rate"] = percent(successes, successes + failures)

    # First-contact resolution.
    fcr_candidates = [r for r in resolved if r.customer_id]
    without_repeat = 0
    for r in fcr_candidates:
        repeated = any(
            other.customer_id == r.customer_id
            and other.category == r.category
            and r.created_at < other.created_at <= r.created_at + FCR_WINDOW
            for other in repeat_pool
        )
        if not repeated:
            without_repeat += 1
    result["fcr_rate"] = percent(without_repeat, len(fcr_candidates))

    # Surveys.
    csat_answers = [r.csat for r in in_period if r.csat is not None]
    result["csat_pct"] = percent(sum(1 for a in csat_answers if a >= 4), len(csat_answers))
    result["csat_avg"] = mean(csat_answers)
    nps_answers = [r.nps for r in in_period if r.nps is not None]
    promoters = sum(1 for a in nps_answers if a >= 9)
    detractors = sum(1 for a in nps_answers if a <= 6)
    promoter_pct = percent(promoters, len(nps_answers))
    detractor_pct = percent(detractors, len(nps_answers))
    result["nps"] = (
        None if promoter_pct is None or detractor_pct is None else promoter_pct - detractor_pct
    )
    result["ces_avg"] = mean(r.ces for r in in_period if r.ces is not None)

    # Recovery: negative on arrival, positive on leaving.
    arrived_negative = [r for r in in_period if r.sentiment_start == "negative"]
    recovered = sum(
        1
        for r in arrived_negative
        if r.sentiment_end == "positive"
        or (r.sentiment_end == "" and r.csat is not None and r.csat >= 4)
    )
    result["recovery_rate"] = percent(recovered, len(arrived_negative))

    # Returning customers: seen on two or more different days of the period.
    days_by_customer: dict[str, set[dt.date]] = {}
    for r in in_period:
        if r.customer_id:
            days_by_customer.setdefault(r.customer_id, set()).add(r.local_date)
    returning = sum(1 for days in days_by_customer.values() if len(days) >= 2)
    result["returning_customer_rate"] = percent(returning, len(days_by_customer))

    # Live queues.
    offered = [r for r in in_period if r.channel in LIVE_CHANNELS]
    abandoned = [r for r in offered if r.status == "abandoned"]
    answered_with_wait = [
        r for r in offered if r.status != "abandoned" and r.wait_seconds is not None
    ]
    in_time = [
        r
        for r in answered_with_wait
        if r.wait_seconds is not None and r.wait_seconds <= answer_target_seconds
    ]
    result["service_level"] = percent(len(in_time), len(offered))
    result["abandon_rate"] = percent(len(abandoned), len(offered))
    result["asa_seconds"] = mean(
        r.wait_seconds for r in answered_with_wait if r.wait_seconds is not None
    )
    result["aht_seconds"] = mean(
        r.handle_seconds for r in in_period if r.handle_seconds is not None
    )

    # Field service.
    result["time_to_arrive_seconds"] = summary(
        (r.arrived_at - r.created_at).total_seconds() for r in in_period if r.arrived_at is not None
    )
    result["time_to_fix_seconds"] = summary(
        (r.fixed_at - r.created_at).total_seconds() for r in in_period if r.fixed_at is not None
    )

    # Reviews.
    result["review_rating_avg"] = mean(rating for _, rating in period_reviews)
    result["review_count"] = len(period_reviews)

    # Quality reviews: every review of an interaction of the period counts once.
    result["qa_score"] = mean(score for r in in_period for score in r.qa_scores)

    # Metrics an upper app provides (surveys, the FAQ) are not computed from interactions: their
    # own tests check them (tests/knowledge/, tests/feedback/).
    return {key: result[key] for key in KEYS if metric(key).source != "provided"}


def _review_pair(review: tuple[dt.date, int] | Any) -> tuple[dt.date, int]:
    if isinstance(review, tuple):
        day, rating = review
        return day, rating
    return review.date, review.rating
