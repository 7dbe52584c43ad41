"""The metric catalogue, as data: one entry per metric of METRICS.md, in its order.

The dashboard, the API, the CLI, goals, levels and scorecards all read their names, units,
directions and definitions from here, so a metric means the same thing everywhere.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UNITS = ("count", "per_day", "seconds", "percent", "score")
DURATION_AGGREGATES = ("mean", "median", "p90")


@dataclass(frozen=True)
class Metric:
    """One metric: its key (a contract), what a reader calls it and how to read it.

    `better` says which way is good ("higher", "lower" or None when neither is). Duration
    metrics are reported as `aggregates` (mean, median, p90). `drilldown` and
    `drilldown_exclude` are field lookups selecting the interactions a value is computed from;
    `source` is "interactions" or "reviews".
    """

    key: str
    name: Promise | str
    unit: str
    better: str | None
    description: Promise | str
    aggregates: tuple[str, ...] = ()
    drilldown: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    drilldown_exclude: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    source: str = "interactions"

    @property
    def is_duration(self) -> bool:
        return bool(self.aggregates)

    def drilldown_q(self) -> Q:
        """The interactions this metric is computed from, as a filter (beyond period and scope)."""
        q = Q(**self.drilldown)
        if self.drilldown_exclude:
            q &= ~Q(**self.drilldown_exclude)
        return q


_LIVE = {"is_live": True}

CATALOGUE: tuple[Metric, ...] = (
    Metric(
        "contacts",
        _("Contacts"),
        "count",
        None,
        _("The number of interactions created in the period, from every channel."),
    ),
    Metric(
        "contacts_per_open_day",
        _("Contacts per open day"),
        "per_day",
        None,
        _(
            "Contacts divided by the number of open days (days with business hours, holidays excluded)."
        ),
    ),
    Metric(
        "customers_helped_per_day",
        _("Customers helped per day"),
        "per_day",
        "higher",
        _("Interactions with the status “resolved”, divided by the number of open days."),
        drilldown={"status": "resolved"},
    ),
    Metric(
        "first_response_seconds",
        _("First response time"),
        "seconds",
        "lower",
        _(
            "Time from the customer reaching out to the first reply by a person; when no reply "
            "time is known, the queue wait is used instead."
        ),
        DURATION_AGGREGATES,
        drilldown={"first_response_seconds__isnull": False},
    ),
    Metric(
        "first_response_business_seconds",
        _("First response time (business hours)"),
        "seconds",
        "lower",
        _("The first response time counted only inside business hours, holidays excluded."),
        DURATION_AGGREGATES,
        drilldown={"first_response_business_seconds__isnull": False},
    ),
    Metric(
        "resolution_seconds",
        _("Resolution time"),
        "seconds",
        "lower",
        _("Time from the customer reaching out to the resolution, over resolved interactions."),
        DURATION_AGGREGATES,
        drilldown={"resolution_seconds__isnull": False},
    ),
    Metric(
        "resolution_business_seconds",
        _("Resolution time (business hours)"),
        "seconds",
        "lower",
        _("The resolution time counted only inside business hours, holidays excluded."),
        DURATION_AGGREGATES,
        drilldown={"resolution_business_seconds__isnull": False},
    ),
    Metric(
        "success_rate",
        _("Success rate"),
        "percent",
        "higher",
        _(
            "The share of interactions with a known outcome in which the customer’s problem was solved."
        ),
        drilldown={"outcome__in": ("success", "failure")},
    ),
    Metric(
        "fcr_rate",
        _("First-contact resolution"),
        "percent",
        "higher",
        _(
            "Of the resolved interactions with a known customer, the share after which the same "
            "customer did not contact us again about the same category within 7 days."
        ),
        drilldown={"status": "resolved"},
        drilldown_exclude={"customer_id": ""},
    ),
    Metric(
        "csat_pct",
        _("CSAT"),
        "percent",
        "higher",
        _("The share of satisfaction answers that are 4 or 5 on the 1–5 scale."),
        drilldown={"csat__isnull": False},
    ),
    Metric(
        "csat_avg",
        _("Average satisfaction"),
        "score",
        "higher",
        _("The mean satisfaction answer on the 1–5 scale."),
        drilldown={"csat__isnull": False},
    ),
    Metric(
        "nps",
        _("Net Promoter Score"),
        "score",
        "higher",
        _("The percentage of answers 9–10 minus the percentage of answers 0–6 (from −100 to 100)."),
        drilldown={"nps__isnull": False},
    ),
    Metric(
        "ces_avg",
        _("Customer effort"),
        "score",
        "lower",
        _("The mean customer-effort answer on the 1–7 scale; lower means less effort."),
        drilldown={"ces__isnull": False},
    ),
    Metric(
        "recovery_rate",
        _("Recovery rate"),
        "percent",
        "higher",
        _(
            "Of the customers who arrived in a negative mood, the share who left in a positive "
            "one (or, when their mood on leaving is unknown, rated their satisfaction 4 or 5)."
        ),
        drilldown={"sentiment_start": "negative"},
    ),
    Metric(
        "returning_customer_rate",
        _("Returning customers"),
        "percent",
        "higher",
        _(
            "Of the customers who contacted us in the period, the share who did so on two or "
            "more different days."
        ),
        drilldown_exclude={"customer_id": ""},
    ),
    Metric(
        "service_level",
        _("Service level"),
        "percent",
        "higher",
        _(
            "The share of live contacts (phone, chat, walk-in) answered within the "
            "organisation’s answer-time target; abandoned ones count as missed."
        ),
        drilldown=_LIVE,
    ),
    Metric(
        "abandon_rate",
        _("Abandonment rate"),
        "percent",
        "lower",
        _("The share of live contacts (phone, chat, walk-in) abandoned before being answered."),
        drilldown=_LIVE,
    ),
    Metric(
        "asa_seconds",
        _("Average speed of answer"),
        "seconds",
        "lower",
        _("The mean queue wait of answered live contacts (phone, chat, walk-in)."),
        drilldown={"is_live": True, "wait_seconds__isnull": False},
        drilldown_exclude={"status": "abandoned"},
    ),
    Metric(
        "aht_seconds",
        _("Average handle time"),
        "seconds",
        None,
        _("The mean talk or handle time per interaction."),
        drilldown={"handle_seconds__isnull": False},
    ),
    Metric(
        "time_to_arrive_seconds",
        _("Time to arrive"),
        "seconds",
        "lower",
        _("Field service: time from the request to the technician arriving on site."),
        DURATION_AGGREGATES,
        drilldown={"time_to_arrive_seconds__isnull": False},
    ),
    Metric(
        "time_to_fix_seconds",
        _("Time to fix"),
        "seconds",
        "lower",
        _("Field service: time from the request to the fault being repaired."),
        DURATION_AGGREGATES,
        drilldown={"time_to_fix_seconds__isnull": False},
    ),
    Metric(
        "review_rating_avg",
        _("Review rating"),
        "score",
        "higher",
        _("The mean rating (1–5) of online reviews dated in the period."),
        source="reviews",
    ),
    Metric(
        "review_count",
        _("Reviews"),
        "count",
        None,
        _("The number of online reviews dated in the period."),
        source="reviews",
    ),
)

KEYS: tuple[str, ...] = tuple(m.key for m in CATALOGUE)
_BY_KEY = {m.key: m for m in CATALOGUE}


def metric(key: str) -> Metric:
    """The catalogue entry for `key`; KeyError names the unknown key."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown metric {key!r}; known: {', '.join(KEYS)}") from None
