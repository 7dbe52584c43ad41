"""The metric catalogue: one entry per metric of METRICS.md, in its order, and the only place
a metric is defined.

Each entry says what the metric is called, its unit and which way is better, and how it is
computed: the SQL aggregates it needs and how they combine into the figure (`Sums`), or the
column whose values it summarises (`Durations`), or one of the two metrics that need a query
of their own (`CustomersOnTwoDays`, `Reviews`). metrics.selectors computes every entry from
that alone; the dashboard, the API, the CLI, goals, levels and scorecards read names, units,
directions and definitions from here, so a metric means the same thing everywhere and a new
entry appears in all of them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from django.db.models import Aggregate, Avg, Count, F, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goaldesk.metrics.sql import PlusHours

if TYPE_CHECKING:
    from goaldesk.accounts.models import Organisation

UNITS = ("count", "per_day", "seconds", "percent", "score")
DURATION_AGGREGATES = ("mean", "median", "p90")
#: A customer who comes back about the same category within this many hours was not helped
#: on first contact.
FCR_WINDOW_HOURS = 168

Better = Literal["higher", "lower"]
#: SQL aggregates by name. Each is a count or a sum, so the values of several days (or
#: groups) add up: a mean is a sum and a count.
Aggregates = Mapping[str, Aggregate]


def ratio(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    """scale × numerator / denominator; None when either is missing or the denominator is 0."""
    if not denominator or numerator is None:
        return None
    return scale * numerator / denominator


# --- how a metric's figure comes from its aggregates ----------------------------------------


class Figure(Protocol):
    """Combines a row of added-up aggregates (and the period's open days) into a value."""

    @property
    def uses_open_days(self) -> bool:
        """Whether `value` divides by the open days (the business calendar is needed)."""
        ...

    def value(self, row: Mapping[str, Any], open_days: int | None) -> float | int | None:
        """The figure from `row` (aggregate name → value added up over the period)."""
        ...


@dataclass(frozen=True)
class Total:
    """The aggregate `name` itself, 0 when nothing was counted."""

    name: str
    uses_open_days: bool = field(default=False, init=False)

    def value(self, row: Mapping[str, Any], open_days: int | None) -> int:
        return row.get(self.name) or 0


@dataclass(frozen=True)
class PerOpenDay:
    """The aggregate `name` divided by the period's open days (None without an open day)."""

    name: str
    uses_open_days: bool = field(default=True, init=False)

    def value(self, row: Mapping[str, Any], open_days: int | None) -> float | None:
        return ratio(row.get(self.name) or 0, open_days)


@dataclass(frozen=True)
class Ratio:
    """scale × (numerator − less) / denominator, from aggregates by name; None when the
    denominator is 0 or missing. A mean is Ratio(sum, count); a share in % has scale 100."""

    numerator: str
    denominator: str
    scale: float = 1.0
    less: str = ""
    uses_open_days: bool = field(default=False, init=False)

    def value(self, row: Mapping[str, Any], open_days: int | None) -> float | None:
        numerator = row.get(self.numerator)
        if self.less:
            numerator = (numerator or 0) - (row.get(self.less) or 0)
        return ratio(numerator, row.get(self.denominator), self.scale)


def percent(numerator: str, denominator: str, *, less: str = "") -> Ratio:
    """The share numerator (minus `less`) of denominator, in % (0–100)."""
    return Ratio(numerator, denominator, scale=100, less=less)


# --- how a metric is computed ----------------------------------------------------------------


@dataclass(frozen=True)
class Sums:
    """From SQL aggregates over the period's interactions, combined by `figure`.

    `aggregates` is a mapping, or a function of the organisation when an aggregate depends
    on its settings. Metrics may share an aggregate name only for the same expression.
    """

    aggregates: "Aggregates | Callable[[Organisation], Aggregates]"
    figure: Figure

    def aggregates_for(self, organisation: "Organisation") -> Aggregates:
        """The aggregates by name, for `organisation`."""
        if callable(self.aggregates):
            return self.aggregates(organisation)
        return self.aggregates


@dataclass(frozen=True)
class Durations:
    """The mean, median and nearest-rank p90 (engine.stats) of an interaction column's values,
    with their count."""

    column: str


@dataclass(frozen=True)
class CustomersOnTwoDays:
    """Of the customers with an interaction in the period (or group), the share in % with
    interactions on two or more different days: a count of distinct customers, which does
    not add up over days, so it has a query of its own."""


@dataclass(frozen=True)
class Reviews:
    """An aggregate of the online reviews dated in the period; `empty` is its value for a day
    without reviews. Reviews have no channel, team, agent or category: with a filter, or per
    group other than day, the value is None."""

    aggregate: Aggregate
    empty: int | None = None


@dataclass(frozen=True)
class Provided:
    """Computed by the provider an app above metrics registers for the metric's key
    (metrics/providers.py): survey and FAQ figures."""


Computation = Sums | Durations | CustomersOnTwoDays | Reviews | Provided


@dataclass(frozen=True)
class Metric:
    """One metric: its key (a contract), what a reader calls it, how to read it and how it is
    computed.

    `better` says which way is good ("higher", "lower" or None when neither is).
    `drilldown` and `drilldown_exclude` are field lookups selecting the interactions a value
    is computed from.
    """

    key: str
    name: Promise | str
    unit: str
    better: Better | None
    description: Promise | str
    computed: Computation = field(hash=False, compare=False)
    drilldown: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    drilldown_exclude: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_duration(self) -> bool:
        return isinstance(self.computed, Durations)

    @property
    def aggregates(self) -> tuple[str, ...]:
        """The statistics a duration metric is reported as (mean, median, p90); () otherwise."""
        return DURATION_AGGREGATES if self.is_duration else ()

    @property
    def source(self) -> str:
        """Where the metric is computed from: "interactions", "reviews" or "provided" (an app
        above metrics computes it, see metrics/providers.py)."""
        if isinstance(self.computed, Reviews):
            return "reviews"
        if isinstance(self.computed, Provided):
            return "provided"
        return "interactions"

    @property
    def uses_open_days(self) -> bool:
        """Whether the value is per open day (the period's business calendar is needed)."""
        return isinstance(self.computed, Sums) and self.computed.figure.uses_open_days

    def drilldown_q(self) -> Q:
        """The interactions this metric is computed from, as a filter (beyond period and scope)."""
        q = Q(**self.drilldown)
        if self.drilldown_exclude:
            q &= ~Q(**self.drilldown_exclude)
        return q


# --- aggregates more than one metric uses --------------------------------------------------

_RESOLVED = Q(status="resolved")
_NEGATIVE = Q(sentiment_start="negative")
_LIVE_Q = Q(is_live=True)
_ANSWERED = _LIVE_Q & ~Q(status="abandoned")
_FCR_CANDIDATE = _RESOLVED & ~Q(customer_id="")
#: The number of interactions (the breakdown also orders its groups by it).
CONTACTS: Aggregates = {"contacts": Count("pk")}
_CSAT: Aggregates = {
    "csat_n": Count("csat"),
    "csat_good": Count("pk", filter=Q(csat__gte=4)),
    "csat_sum": Sum("csat"),
}


def _live(organisation: "Organisation") -> Aggregates:
    """Live contacts offered, answered within the organisation's target, and abandoned."""
    return {
        "live": Count("pk", filter=_LIVE_Q),
        "live_in_time": Count(
            "pk", filter=_ANSWERED & Q(wait_seconds__lte=organisation.answer_target_seconds)
        ),
        "live_abandoned": Count("pk", filter=_LIVE_Q & Q(status="abandoned")),
    }


_LIVE = {"is_live": True}

CATALOGUE: tuple[Metric, ...] = (
    Metric(
        "contacts",
        _("Contacts"),
        "count",
        None,
        _("The number of interactions created in the period, from every channel."),
        Sums(CONTACTS, Total("contacts")),
    ),
    Metric(
        "contacts_per_open_day",
        _("Contacts per open day"),
        "per_day",
        None,
        _(
            "Contacts divided by the number of open days (days with business hours, holidays excluded)."
        ),
        Sums(CONTACTS, PerOpenDay("contacts")),
    ),
    Metric(
        "customers_helped_per_day",
        _("Customers helped per day"),
        "per_day",
        "higher",
        _("Interactions with the status “resolved”, divided by the number of open days."),
        Sums({"resolved": Count("pk", filter=_RESOLVED)}, PerOpenDay("resolved")),
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
        Durations("first_response_seconds"),
        drilldown={"first_response_seconds__isnull": False},
    ),
    Metric(
        "first_response_business_seconds",
        _("First response time (business hours)"),
        "seconds",
        "lower",
        _("The first response time counted only inside business hours, holidays excluded."),
        Durations("first_response_business_seconds"),
        drilldown={"first_response_business_seconds__isnull": False},
    ),
    Metric(
        "resolution_seconds",
        _("Resolution time"),
        "seconds",
        "lower",
        _("Time from the customer reaching out to the resolution, over resolved interactions."),
        Durations("resolution_seconds"),
        drilldown={"resolution_seconds__isnull": False},
    ),
    Metric(
        "resolution_business_seconds",
        _("Resolution time (business hours)"),
        "seconds",
        "lower",
        _("The resolution time counted only inside business hours, holidays excluded."),
        Durations("resolution_business_seconds"),
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
        Sums(
            {
                "success": Count("pk", filter=Q(outcome="success")),
                "outcome_known": Count("pk", filter=Q(outcome__in=("success", "failure"))),
            },
            percent("success", "outcome_known"),
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
        Sums(
            # next_contact_at is the same customer's next interaction in the same category,
            # kept by interactions.services: a repeat is a plain condition on the row.
            {
                "fcr_n": Count("pk", filter=_FCR_CANDIDATE),
                "fcr_repeated": Count(
                    "pk",
                    filter=_FCR_CANDIDATE
                    & Q(next_contact_at__lte=PlusHours(F("created_at"), FCR_WINDOW_HOURS)),
                ),
            },
            percent("fcr_n", "fcr_n", less="fcr_repeated"),
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
        Sums(_CSAT, percent("csat_good", "csat_n")),
        drilldown={"csat__isnull": False},
    ),
    Metric(
        "csat_avg",
        _("Average satisfaction"),
        "score",
        "higher",
        _("The mean satisfaction answer on the 1–5 scale."),
        Sums(_CSAT, Ratio("csat_sum", "csat_n")),
        drilldown={"csat__isnull": False},
    ),
    Metric(
        "nps",
        _("Net Promoter Score"),
        "score",
        "higher",
        _("The percentage of answers 9–10 minus the percentage of answers 0–6 (from −100 to 100)."),
        Sums(
            {
                "nps_n": Count("nps"),
                "nps_promoters": Count("pk", filter=Q(nps__gte=9)),
                "nps_detractors": Count("pk", filter=Q(nps__lte=6)),
            },
            percent("nps_promoters", "nps_n", less="nps_detractors"),
        ),
        drilldown={"nps__isnull": False},
    ),
    Metric(
        "ces_avg",
        _("Customer effort"),
        "score",
        "lower",
        _("The mean customer-effort answer on the 1–7 scale; lower means less effort."),
        Sums({"ces_n": Count("ces"), "ces_sum": Sum("ces")}, Ratio("ces_sum", "ces_n")),
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
        Sums(
            {
                "negative": Count("pk", filter=_NEGATIVE),
                "recovered": Count(
                    "pk",
                    filter=_NEGATIVE
                    & (Q(sentiment_end="positive") | (Q(sentiment_end="") & Q(csat__gte=4))),
                ),
            },
            percent("recovered", "negative"),
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
        CustomersOnTwoDays(),
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
        Sums(_live, percent("live_in_time", "live")),
        drilldown=_LIVE,
    ),
    Metric(
        "abandon_rate",
        _("Abandonment rate"),
        "percent",
        "lower",
        _("The share of live contacts (phone, chat, walk-in) abandoned before being answered."),
        Sums(_live, percent("live_abandoned", "live")),
        drilldown=_LIVE,
    ),
    Metric(
        "asa_seconds",
        _("Average speed of answer"),
        "seconds",
        "lower",
        _("The mean queue wait of answered live contacts (phone, chat, walk-in)."),
        Sums(
            {
                "asa_n": Count("wait_seconds", filter=_ANSWERED),
                "asa_sum": Sum("wait_seconds", filter=_ANSWERED),
            },
            Ratio("asa_sum", "asa_n"),
        ),
        drilldown={"is_live": True, "wait_seconds__isnull": False},
        drilldown_exclude={"status": "abandoned"},
    ),
    Metric(
        "aht_seconds",
        _("Average handle time"),
        "seconds",
        None,
        _("The mean talk or handle time per interaction."),
        Sums(
            {"aht_n": Count("handle_seconds"), "aht_sum": Sum("handle_seconds")},
            Ratio("aht_sum", "aht_n"),
        ),
        drilldown={"handle_seconds__isnull": False},
    ),
    Metric(
        "time_to_arrive_seconds",
        _("Time to arrive"),
        "seconds",
        "lower",
        _("Field service: time from the request to the technician arriving on site."),
        Durations("time_to_arrive_seconds"),
        drilldown={"time_to_arrive_seconds__isnull": False},
    ),
    Metric(
        "time_to_fix_seconds",
        _("Time to fix"),
        "seconds",
        "lower",
        _("Field service: time from the request to the fault being repaired."),
        Durations("time_to_fix_seconds"),
        drilldown={"time_to_fix_seconds__isnull": False},
    ),
    Metric(
        "review_rating_avg",
        _("Review rating"),
        "score",
        "higher",
        _("The mean rating (1–5) of online reviews dated in the period."),
        Reviews(Avg("rating")),
    ),
    Metric(
        "review_count",
        _("Reviews"),
        "count",
        None,
        _("The number of online reviews dated in the period."),
        Reviews(Count("pk"), empty=0),
    ),
    Metric(
        "qa_score",
        _("Quality score"),
        "score",
        "higher",
        _(
            "The mean score (0–100) of the quality reviews of the period's interactions; when two "
            "reviewers scored the same interaction, both reviews count."
        ),
        Sums(
            {"qa_sum": Sum("qa_score_sum"), "qa_n": Sum("qa_reviews")},
            Ratio("qa_sum", "qa_n"),
        ),
        drilldown={"qa_reviews__gt": 0},
    ),
    Metric(
        "survey_response_rate",
        _("Survey response rate"),
        "percent",
        "higher",
        _(
            "Survey invitations answered / invitations sent, by the day the invitation was sent, "
            "in %."
        ),
        Provided(),
    ),
    # The public FAQ (knowledge/ provides them: knowledge/selectors.py).
    Metric(
        "faq_visits",
        _("FAQ visits"),
        "count",
        None,
        _(
            "Visits to the public FAQ that viewed at least one article, by the day the visit "
            "began; a visit is one visitor's page views with no gap over 30 minutes."
        ),
        Provided(),
    ),
    Metric(
        "faq_helpful_rate",
        _("FAQ helpful rate"),
        "percent",
        "higher",
        _(
            "“Yes” answers to “Did this answer your question?” out of all answers, by the day "
            "of the answer."
        ),
        Provided(),
    ),
    Metric(
        "self_service_rate",
        _("Self-service rate"),
        "percent",
        "higher",
        _("FAQ visits out of FAQ visits plus contacts: how often customers helped themselves."),
        Provided(),
    ),
    Metric(
        "deflection_rate",
        _("Deflection rate"),
        "percent",
        "higher",
        _(
            "The share of FAQ visits that did not send the FAQ’s “contact us” form during the visit."
        ),
        Provided(),
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
