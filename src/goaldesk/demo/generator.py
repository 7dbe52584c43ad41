"""Believable, deterministic demo data: interactions, reviews and the roster of a service business.

Pure Python and numpy; never imports Django. The same seed always gives the same rows.

The default organisation (`DUBAI`) is Nour Electronics, an electronics store in Dubai with a
service desk, a small call centre, an online-care team and two field technicians. Its weekend is
Saturday–Sunday (live channels closed; e-mail, web forms and social posts still arrive, fewer);
on Fridays the desk closes for prayers and lunch. `TEHRAN` is a smaller service centre in Tehran
(Friday weekend) for the Persian, right-to-left demo.

What a user will notice in the data:

* daily rhythm: a morning peak, a lunch dip, an afternoon peak; e-mails also in the evening;
* weekly rhythm: busiest on the first working day, quiet weekends and holidays;
* a slow upward trend in volume;
* returning customers, some within 7 days about the same thing (so first-contact resolution
  is not 100 %);
* a **staff shortage week** (two call-centre agents away): long waits, more abandoned calls,
  slower e-mail replies, lower satisfaction — see `demo_events`;
* a **product recall** (two weeks): a spike of returns, angrier customers on arrival;
* recent contacts still open, a few unresolved ones, field visits with arrival and fix times;
* the stories behind the demo's goals (see `Improvements`), counted in days before the last day
  of the period so they sit at the same place whatever day the period ends:
  returned items took two to three weeks to be back on the shelves and, since an extra
  employee joined the service desk four months ago, have been getting faster, towards a week;
  customers at the desk wait less and less since then too; the phones are answered faster only
  for the last four weeks (a lunchtime shift); chat satisfaction rose in the second and third
  month.

Timestamps are aware datetimes in the requested time zone, whole seconds.
"""

import datetime as dt
import zoneinfo
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import numpy as np

from goaldesk.engine.canonical import CANONICAL_FIELDS

CHANNELS = ("phone", "email", "chat", "social", "walk_in", "web", "field")
PHONE, EMAIL, CHAT, SOCIAL, WALK_IN, WEB, FIELD = range(len(CHANNELS))
LIVE_CHANNELS = ("phone", "chat", "walk_in")

CATEGORIES = (
    "returns",
    "billing",
    "repair",
    "delivery",
    "account",
    "product_question",
    "warranty",
    "installation",
)
RETURNS, BILLING, REPAIR = 0, 1, 2

#: Every generated row has exactly the canonical columns (METRICS.md), in order.
FIELDS = CANONICAL_FIELDS
REVIEW_FIELDS = ("external_id", "source", "date", "rating", "text", "author")

_SLOT_SECONDS = 900
_SLOTS = 96
_DAY = 86_400.0
_HOUR = 3_600.0
#: How far past the window opening hours are known (replies to late contacts land there).
_SPAN_DAYS_AFTER = 60


@dataclass(frozen=True)
class AgentSpec:
    """A person on the roster: `skill` lifts satisfaction (about ±0.3 CSAT points), `speed`
    multiplies handle time; `away_in_shortage` marks who is missing in the shortage week;
    `joined_age` (days before the period's last day) when someone joined later;
    `hours_per_week` (breaks included) for a part-time contract."""

    key: str
    name: str
    team: str
    channels: tuple[str, ...]
    skill: float = 0.0
    speed: float = 1.0
    away_in_shortage: bool = False
    joined_age: int | None = None
    #: None: the organisation's full-time contract (`DemoProfile.full_time`).
    hours_per_week: float | None = None


@dataclass(frozen=True)
class DemoProfile:
    """Everything that makes one demo organisation itself."""

    name: str
    timezone: str
    language: str
    id_prefix: str
    customer_prefix: str
    #: ISO weekdays (1 = Monday) the organisation is closed.
    weekend_days: tuple[int, ...]
    #: ISO weekday → opening spans as (opens, closes) in local decimal hours (13.5 = 13:30).
    hours: Mapping[int, tuple[tuple[float, float], ...]]
    #: ISO weekday → volume factor (on closed days it scales e-mail, web and social only).
    weekday_factor: Mapping[int, float]
    #: Mean contacts on a plain working day at the start of the period.
    weekday_volume: float
    #: Share of each channel in CHANNELS order.
    channel_mix: tuple[float, ...]
    agents: tuple[AgentSpec, ...]
    review_sources: tuple[str, ...]
    #: rating (1–5) → short review texts.
    review_texts: Mapping[int, tuple[str, ...]]
    review_authors: tuple[str, ...]
    reviews_per_day: float = 1.6
    #: A full-time contract: (hours a week, breaks included; days a week).
    full_time: tuple[float, int] = (45.0, 5)
    #: The shift lengths the schedule may use.
    shift_lengths_minutes: tuple[int, ...] = (540, 480, 300)
    #: Channel → the staffing inputs the organisation chose (StaffingInputs fields).
    staffing: Mapping[str, Mapping[str, float]] = dataclass_field(default_factory=dict)


#: The demo's service targets, as a small service business would set them: calls 80 % answered
#: in 20 s, chats (two at once) in a minute, the desk's customers (who take a ticket and sit
#: down) 80 % served within 10 minutes; written contacts within their response time. Shrinkage
#: 25 %: absence, training and meetings — the breaks are in the shifts the schedule plans.
DEMO_STAFFING: Mapping[str, Mapping[str, float]] = {
    "phone": {"target_sl": 80, "target_seconds": 20, "shrinkage": 25},
    "chat": {"target_sl": 80, "target_seconds": 60, "shrinkage": 25, "concurrency": 2},
    "walk_in": {"target_sl": 80, "target_seconds": 600, "shrinkage": 25},
    "email": {"response_hours": 4, "shrinkage": 25},
    "web": {"response_hours": 4, "shrinkage": 25},
    "social": {"response_hours": 1, "shrinkage": 25},
    "field": {"response_hours": 24, "shrinkage": 25},
}

_C = "@nour-electronics.example"
DUBAI = DemoProfile(
    name="Nour Electronics",
    timezone="Asia/Dubai",
    language="en",
    id_prefix="NE",
    customer_prefix="C",
    weekend_days=(6, 7),
    hours={
        1: ((9.0, 18.0),),
        2: ((9.0, 18.0),),
        3: ((9.0, 18.0),),
        4: ((9.0, 18.0),),
        5: ((9.0, 12.0), (14.5, 18.0)),  # Friday: closed for prayers and lunch
    },
    weekday_factor={1: 1.12, 2: 1.05, 3: 1.0, 4: 0.98, 5: 0.9, 6: 0.4, 7: 0.3},
    weekday_volume=250.0,
    channel_mix=(0.34, 0.19, 0.17, 0.06, 0.13, 0.08, 0.03),
    agents=(
        AgentSpec(
            f"aisha.rahman{_C}", "Aisha Rahman", "Call centre", ("phone", "chat"), 0.15, 0.95
        ),
        AgentSpec(
            f"omar.haddad{_C}", "Omar Haddad", "Call centre", ("phone", "chat"), -0.05, 1.0, True
        ),
        AgentSpec(f"priya.nair{_C}", "Priya Nair", "Call centre", ("phone", "chat"), 0.1, 1.1),
        AgentSpec(f"daniel.costa{_C}", "Daniel Costa", "Call centre", ("phone",), -0.3, 0.85, True),
        AgentSpec(
            f"fatima.mansoori{_C}",
            "Fatima Al Mansoori",
            "Call centre",
            ("phone", "chat"),
            0.2,
            1.05,
        ),
        AgentSpec(f"ahmed.saleh{_C}", "Ahmed Saleh", "Call centre", ("phone", "chat"), 0.05, 1.0),
        # The lunchtime shift that has answered the phones faster for the last four weeks.
        AgentSpec(
            f"mariam.yousef{_C}",
            "Mariam Yousef",
            "Call centre",
            ("phone", "chat"),
            0.0,
            1.05,
            joined_age=28,
            hours_per_week=30.0,
        ),
        AgentSpec(f"rohan.mehta{_C}", "Rohan Mehta", "Service desk", ("walk_in",), 0.05, 1.0),
        AgentSpec(f"layla.khoury{_C}", "Layla Khoury", "Service desk", ("walk_in",), 0.25, 1.1),
        AgentSpec(
            f"yusuf.karim{_C}", "Yusuf Karim", "Service desk", ("field", "walk_in"), 0.0, 0.95
        ),
        AgentSpec(f"hassan.ali{_C}", "Hassan Ali", "Service desk", ("field",), -0.1, 1.05),
        # The extra employee at the desk, since when returns and desk waits have improved.
        AgentSpec(
            f"salma.idris{_C}",
            "Salma Idris",
            "Service desk",
            ("walk_in",),
            0.1,
            1.0,
            joined_age=120,
        ),
        AgentSpec(
            f"sara.ahmed{_C}", "Sara Ahmed", "Online care", ("email", "web", "social"), 0.1, 1.0
        ),
        AgentSpec(
            f"maria.santos{_C}", "Maria Santos", "Online care", ("email", "web", "chat"), 0.0, 0.9
        ),
        AgentSpec(
            f"karim.nasser{_C}", "Karim Nasser", "Online care", ("social", "email"), -0.15, 1.0
        ),
        AgentSpec(f"noura.khalil{_C}", "Noura Khalil", "Online care", ("email", "web"), 0.15, 1.1),
    ),
    review_sources=("Google Maps", "Noon", "Amazon.ae"),
    review_texts={
        5: (
            "Fixed my laptop the same day. Excellent service!",
            "Very helpful staff at the desk.",
            "خدمة ممتازة وسريعة",
            "Quick answer on chat, problem solved.",
        ),
        4: (
            "Good service, a bit of a wait.",
            "Delivery was on time, friendly driver.",
            "موظفون متعاونون",
        ),
        3: ("Okay, but the return took a while.", "Average. Had to call twice."),
        2: ("Long wait on the phone.", "The repair took two weeks.", "انتظرت طويلاً على الهاتف"),
        1: ("Nobody answered my e-mails for days.", "Returned a faulty product, still no refund."),
    },
    review_authors=("A. Rahman", "M. K.", "Sanjay P.", "Fatma", "J. Walker", "Hamad", "Olga S."),
    staffing=DEMO_STAFFING,
)

_T = "@pars-service.example"
TEHRAN = DemoProfile(
    name="مرکز خدمات پارس",
    timezone="Asia/Tehran",
    language="fa",
    id_prefix="PS",
    customer_prefix="M",
    weekend_days=(5,),
    hours={
        6: ((8.0, 12.5), (13.5, 17.0)),
        7: ((8.0, 12.5), (13.5, 17.0)),
        1: ((8.0, 12.5), (13.5, 17.0)),
        2: ((8.0, 12.5), (13.5, 17.0)),
        3: ((8.0, 12.5), (13.5, 17.0)),
        4: ((8.0, 13.0),),
    },
    weekday_factor={6: 1.15, 7: 1.05, 1: 1.0, 2: 1.0, 3: 0.95, 4: 0.8, 5: 0.3},
    weekday_volume=35.0,
    channel_mix=(0.45, 0.12, 0.12, 0.08, 0.15, 0.05, 0.03),
    agents=(
        AgentSpec(f"sara.ahmadi{_T}", "سارا احمدی", "مرکز تماس", ("phone", "chat"), 0.15, 1.0),
        AgentSpec(f"reza.karimi{_T}", "رضا کریمی", "مرکز تماس", ("phone",), -0.1, 0.9, True),
        AgentSpec(f"maryam.hosseini{_T}", "مریم حسینی", "مرکز تماس", ("phone", "chat"), 0.1, 1.1),
        AgentSpec(f"hamed.najafi{_T}", "حامد نجفی", "مرکز تماس", ("phone", "chat"), 0.0, 1.0),
        AgentSpec(
            f"ali.rezaei{_T}", "علی رضایی", "پشتیبانی آنلاین", ("email", "web", "social"), 0.0, 1.0
        ),
        AgentSpec(
            f"negar.mousavi{_T}",
            "نگار موسوی",
            "پشتیبانی آنلاین",
            ("email", "social", "chat"),
            0.2,
            1.0,
        ),
        AgentSpec(
            f"mohammad.jafari{_T}", "محمد جعفری", "خدمات حضوری", ("walk_in", "field"), 0.05, 1.0
        ),
        AgentSpec(f"zahra.sadeghi{_T}", "زهرا صادقی", "خدمات حضوری", ("walk_in",), 0.1, 1.05),
    ),
    review_sources=("Google Maps", "Digikala"),
    review_texts={
        5: ("خیلی سریع مشکلم حل شد. ممنون!", "برخورد کارکنان عالی بود."),
        4: ("خوب بود، کمی منتظر ماندم.", "تعمیر به‌موقع انجام شد."),
        3: ("معمولی بود.", "دو بار تماس گرفتم تا جواب دادند."),
        2: ("پشت خط خیلی منتظر ماندم.", "تعمیر بیش از حد طول کشید."),
        1: ("به ایمیل‌هایم جواب ندادند.", "کالای معیوب را پس دادم و هنوز پولم برنگشته."),
    },
    review_authors=("م. رضایی", "Ali K.", "نرگس", "حسین ت.", "Parisa"),
    reviews_per_day=0.5,
    full_time=(44.0, 6),  # Saturday to Wednesday and the short Thursday
    staffing=DEMO_STAFFING,
)

# Per-channel behaviour, in CHANNELS order: phone, email, chat, social, walk_in, web, field.
_LIVE = np.array([True, False, True, False, True, False, False])
_ASYNC = np.array([False, True, False, True, False, True, False])
_ANSWERED_AT_ONCE = np.array([0.45, 0, 0.55, 0, 0.3, 0, 0])
_WAIT_MEAN = np.array([35.0, 0, 20, 0, 300, 0, 0])
_PATIENCE_MEAN = np.array([420.0, 1e12, 300, 1e12, 4500, 1e12, 1e12])
_HANDLE_MEDIAN = np.array([250.0, 300, 420, 200, 540, 360, 4200])
_FIRST_REPLY_MEDIAN = np.array([0.0, 2 * _HOUR, 0, 50 * 60, 0, 4 * _HOUR, 40 * 60])
_SOLVED_AT_ONCE = np.array([0.78, 0.5, 0.8, 0.6, 0.72, 0.4, 0.85])
_LATER_MEDIAN = np.array([20 * _HOUR, 22 * _HOUR, 18 * _HOUR, 8 * _HOUR, 26 * _HOUR, 30 * _HOUR, 0])
_SURVEY_SHARE = np.array([0.28, 0.3, 0.35, 0.15, 0.2, 0.3, 0.45])
_ANONYMOUS_SHARE = np.array([0, 0, 0.1, 0.1, 0.45, 0, 0])
_SENTIMENT_SHARE = np.array([0.7, 0.6, 0.75, 0.8, 0.65, 0, 0])
_CATEGORY_MIX = np.array(
    [  # returns billing repair delivery account product_q warranty installation
        [0.14, 0.14, 0.14, 0.20, 0.08, 0.22, 0.08, 0.00],  # phone
        [0.20, 0.18, 0.05, 0.25, 0.12, 0.12, 0.08, 0.00],  # email
        [0.10, 0.12, 0.08, 0.25, 0.15, 0.30, 0.00, 0.00],  # chat
        [0.20, 0.10, 0.15, 0.30, 0.00, 0.25, 0.00, 0.00],  # social
        [0.30, 0.05, 0.30, 0.00, 0.00, 0.25, 0.10, 0.00],  # walk_in
        [0.25, 0.10, 0.20, 0.20, 0.15, 0.00, 0.10, 0.00],  # web
        [0.00, 0.00, 0.45, 0.00, 0.00, 0.00, 0.00, 0.55],  # field
    ]
)
#: Probability that a contact is a follow-up (same customer and category within 6 days) or a
#: returning customer with something new.
_FOLLOW_UP_SHARE = 0.08
_RETURNING_SHARE = 0.22
#: Outcome (0 success, 1 failure) × sentiment on arrival (neg, neu, pos) → P(neg, neu, pos) on leaving.
_SENTIMENT_END = np.array(
    [
        [[0.15, 0.30, 0.55], [0.05, 0.45, 0.50], [0.00, 0.10, 0.90]],
        [[0.70, 0.25, 0.05], [0.45, 0.50, 0.05], [0.30, 0.50, 0.20]],
    ]
).cumsum(axis=2)
_SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class DemoEvent:
    """A stretch of days where something went wrong: `kind` is staff_shortage or product_recall."""

    kind: str
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class Improvements:
    """What the organisation changed, as factors for one day `age` days before the period's last.

    * `returns_days`: median days until a returned item is resolved (back on the shelf):
      16.5 until 120 days before the end (an extra employee joins the desk), then falling
      steadily to 9 on the last day.
    * `desk_wait`: factor on waits at the service desk: 1 until 120 days before the end, then
      falling steadily to 0.45 on the last day.
    * `phone_wait`: factor on phone queue waits: 1 until 28 days before the end (a lunchtime
      shift starts then), falling steadily to 0.35 on the last day.
    * `chat_quality`: satisfaction bonus for chats (about +0.4 CSAT points when complete): 0
      until 150 days before the end (chat training), rising to full by 110 days before it.
    """

    returns_days: float
    desk_wait: float
    phone_wait: float
    chat_quality: float

    @classmethod
    def on(cls, age: int) -> "Improvements":
        def ramp(first_age: int, last_age: int, before: float, after: float) -> float:
            # `before` at first_age and earlier, `after` at last_age and later, linear between.
            share = min(1.0, max(0.0, (first_age - age) / (first_age - last_age)))
            return before + (after - before) * share

        return cls(
            returns_days=ramp(120, 0, 16.5, 9.0),
            desk_wait=ramp(120, 0, 1.0, 0.45),
            phone_wait=ramp(28, 0, 1.0, 0.35),
            chat_quality=ramp(150, 110, 0.0, 0.4),
        )


def demo_events(
    *, start: dt.date, days: int = 182, profile: DemoProfile = DUBAI
) -> tuple[DemoEvent, DemoEvent]:
    """The staff-shortage week and the product-recall fortnight inside the period."""

    def first_working_day_on_or_after(day: dt.date) -> dt.date:
        # The day after the weekend starts a week ("Monday" in Dubai, Saturday in Tehran).
        if not profile.weekend_days:
            return day
        while not (
            day.isoweekday() not in profile.weekend_days
            and (day - dt.timedelta(days=1)).isoweekday() in profile.weekend_days
        ):
            day += dt.timedelta(days=1)
        return day

    shortage = first_working_day_on_or_after(start + dt.timedelta(days=int(days * 0.3)))
    recall = first_working_day_on_or_after(start + dt.timedelta(days=int(days * 0.62)))
    return (
        DemoEvent("staff_shortage", shortage, shortage + dt.timedelta(days=6)),
        DemoEvent("product_recall", recall, recall + dt.timedelta(days=13)),
    )


def roster(profile: DemoProfile = DUBAI) -> list[dict[str, object]]:
    """The agents as plain dicts: key, name, team, channels."""
    return [
        {"key": a.key, "name": a.name, "team": a.team, "channels": list(a.channels)}
        for a in profile.agents
    ]


def teams(profile: DemoProfile = DUBAI) -> list[str]:
    """Team names in roster order."""
    return list(dict.fromkeys(a.team for a in profile.agents))


class _Calendar:
    """Epoch seconds of every 15-minute slot and every opening span of the period."""

    def __init__(
        self,
        *,
        start: dt.date,
        days: int,
        tz: zoneinfo.ZoneInfo,
        profile: DemoProfile,
        closed_dates: Collection[dt.date],
    ) -> None:
        self.dates = [start + dt.timedelta(days=d) for d in range(days)]
        slot_hours = (np.arange(_SLOTS) + 0.5) / 4  # centre of each slot, local hours
        self.slot_start = np.empty((days, _SLOTS))
        self.slot_length = np.empty((days, _SLOTS))
        self.open_slot = np.zeros((days, _SLOTS), dtype=bool)
        self.day_open = np.zeros(days, dtype=bool)
        self.holiday = np.zeros(days, dtype=bool)
        closed = set(closed_dates)
        for d, day in enumerate(self.dates):
            starts = [
                dt.datetime.combine(day, dt.time(s // 4, (s % 4) * 15), tz).timestamp()
                for s in range(_SLOTS)
            ]
            end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz).timestamp()
            self.slot_start[d] = starts
            self.slot_length[d] = np.diff([*starts, end])
            self.holiday[d] = day in closed
            for opens, closes in self._spans(day, profile, closed):
                self.open_slot[d] |= (slot_hours >= opens) & (slot_hours < closes)
            self.day_open[d] = self.open_slot[d].any()
        span_starts, span_ends = [], []
        for d in range(days + _SPAN_DAYS_AFTER):
            day = start + dt.timedelta(days=d)
            for opens, closes in self._spans(day, profile, closed):
                span_starts.append(_local_epoch(day, opens, tz))
                span_ends.append(_local_epoch(day, closes, tz))
        self.span_starts = np.array(span_starts)
        self.span_ends = np.array(span_ends)

    @staticmethod
    def _spans(
        day: dt.date, profile: DemoProfile, closed: Collection[dt.date]
    ) -> tuple[tuple[float, float], ...]:
        if day.isoweekday() in profile.weekend_days or day in closed:
            return ()
        return profile.hours.get(day.isoweekday(), ())

    def next_open(self, t: np.ndarray) -> np.ndarray:
        """`t` itself when the organisation is open then, else the next opening (NaN stays NaN)."""
        i = np.minimum(np.searchsorted(self.span_ends, t, side="right"), len(self.span_ends) - 1)
        return np.maximum(t, self.span_starts[i])


def _local_epoch(day: dt.date, hours: float, tz: zoneinfo.ZoneInfo) -> float:
    minutes = round(hours * 60)
    if minutes >= 1440:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz).timestamp()
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tz).timestamp()


def _shapes() -> tuple[np.ndarray, np.ndarray]:
    """Intraday arrival shapes per 15-minute slot: live/field (office rhythm) and async (all day)."""
    h = (np.arange(_SLOTS) + 0.5) / 4
    live = (
        0.35
        + np.exp(-0.5 * ((h - 10.75) / 1.3) ** 2)
        + 0.85 * np.exp(-0.5 * ((h - 16.25) / 1.4) ** 2)
    )
    live[(h >= 13) & (h < 14)] *= 0.6  # lunch dip
    written = (
        0.1
        + 0.9 * np.exp(-0.5 * ((h - 11) / 2.5) ** 2)
        + 0.55 * np.exp(-0.5 * ((h - 20.5) / 1.8) ** 2)
    )
    return live, written


def _arrival_rates(
    *,
    cal: _Calendar,
    profile: DemoProfile,
    events: tuple[DemoEvent, DemoEvent],
    rng: np.random.Generator,
    now_epoch: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected contacts per (day, channel, slot), and the recall's extra returns share per day."""
    days = len(cal.dates)
    live_shape, written_shape = _shapes()
    reference_open = (
        cal.open_slot[cal.open_slot.sum(axis=1).argmax()] if cal.day_open.any() else None
    )
    live_norm = (
        (live_shape * reference_open).sum() if reference_open is not None else live_shape.sum()
    )
    written_norm = written_shape.sum()
    shortage, recall = events
    trend = 1 + 0.1 * np.arange(days) / max(days, 1)
    noise = rng.lognormal(0, 0.08, days)
    recall_extra = np.zeros(days)
    rates = np.zeros((days, len(CHANNELS), _SLOTS))
    mix = np.array(profile.channel_mix) / sum(profile.channel_mix)
    for d, day in enumerate(cal.dates):
        if recall.first_day <= day <= recall.last_day:
            recall_extra[d] = 0.9 * np.exp(-(day - recall.first_day).days / 4)
        factor = 0.3 if cal.holiday[d] else profile.weekday_factor.get(day.isoweekday(), 1.0)
        base = profile.weekday_volume * trend[d] * noise[d]
        for c in range(len(CHANNELS)):
            volume = base * mix[c] * (1 + recall_extra[d] * (c != FIELD))
            if _ASYNC[c]:
                rates[d, c] = volume * factor * written_shape / written_norm
            else:
                if shortage.first_day <= day <= shortage.last_day and _LIVE[c]:
                    volume *= 1.08  # customers call back after giving up
                rates[d, c] = volume * factor * live_shape * cal.open_slot[d] / live_norm
    # Nothing after `now`; the slot that contains it only up to it.
    visible = np.clip((now_epoch - cal.slot_start) / cal.slot_length, 0, 1)
    rates *= visible[:, None, :]
    return rates, recall_extra


def _counts(rates: np.ndarray, *, size: int | None, rng: np.random.Generator) -> np.ndarray:
    if size is None:
        return rng.poisson(rates)
    total = rates.sum()
    if size and total <= 0:
        raise ValueError("The period has no time in which contacts could arrive.")
    counts = np.zeros(rates.shape, dtype=np.int64)
    per_day = rates.reshape(len(rates), -1).sum(axis=1)
    day_counts = (
        rng.multinomial(size, per_day / per_day.sum()) if size else np.zeros(len(rates), int)
    )
    for d, n in enumerate(day_counts):
        if n:
            cells = rates[d].ravel()
            counts[d] = rng.multinomial(n, cells / cells.sum()).reshape(rates.shape[1:])
    return counts


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: float) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(len(median)))


def generate_interactions(
    *,
    seed: int,
    start: dt.date,
    days: int = 182,
    size: int | None = None,
    timezone: str,
    profile: DemoProfile = DUBAI,
    now: dt.datetime | None = None,
    closed_dates: Collection[dt.date] = (),
) -> Iterator[dict[str, Any]]:
    """Yield canonical interaction records (dicts keyed by FIELDS), oldest first.

    `start` is the first local day, `days` how many; `size` makes it exactly that many rows
    (the same rhythm, scaled), else the volume is the profile's. Nothing is created after
    `now` (default: the end of the period); what would have happened after it is left open.
    `closed_dates` are holidays: live channels closed, fewer written contacts.
    """
    if days < 1:
        raise ValueError("days must be at least 1.")
    if size is not None and size < 0:
        raise ValueError("size must not be negative.")
    tz = zoneinfo.ZoneInfo(timezone)
    rng = np.random.default_rng(seed)
    cal = _Calendar(start=start, days=days, tz=tz, profile=profile, closed_dates=closed_dates)
    end_epoch = dt.datetime.combine(start + dt.timedelta(days=days), dt.time(), tz).timestamp()
    now_epoch = min(end_epoch, now.timestamp()) if now is not None else end_epoch
    events = demo_events(start=start, days=days, profile=profile)
    shortage, recall = events
    rates, recall_extra = _arrival_rates(
        cal=cal, profile=profile, events=events, rng=rng, now_epoch=now_epoch
    )
    counts = _counts(rates, size=size, rng=rng)

    agents = profile.agents
    agent_keys = np.array([a.key for a in agents] + [""], dtype=object)
    agent_teams = np.array([a.team for a in agents] + [""], dtype=object)
    channel_names = np.array(CHANNELS, dtype=object)
    category_names = np.array(CATEGORIES, dtype=object)
    sentiment_names = np.array(("", *_SENTIMENTS), dtype=object)
    skill = np.array([a.skill for a in agents] + [0.0])
    speed = np.array([a.speed for a in agents] + [1.0])
    # The team that owns each channel's queue (its first agent's), for abandoned contacts.
    channel_team = np.array(
        [next((a.team for a in agents if name in a.channels), "") for name in CHANNELS],
        dtype=object,
    )
    # Live-queue pressure per slot: busier slots wait longer.
    live_shape, _ = _shapes()
    pressure = np.clip(1 + 0.8 * (live_shape / live_shape.mean() - 1), 0.4, None)
    category_cum = np.cumsum(_CATEGORY_MIX, axis=1)

    joined_age = np.array([a.joined_age if a.joined_age is not None else days for a in agents])
    customers = _Customers(profile.customer_prefix)
    number = 0
    for d, day in enumerate(cal.dates):
        n = int(counts[d].sum())
        if n == 0:
            continue
        in_shortage = shortage.first_day <= day <= shortage.last_day
        better = Improvements.on(days - 1 - d)
        in_recall = recall.first_day <= day <= recall.last_day
        channel_index, slot_index = np.nonzero(counts[d])
        repeats = counts[d][channel_index, slot_index]
        ch = np.repeat(channel_index, repeats)
        slot = np.repeat(slot_index, repeats)
        visible_length = np.minimum(cal.slot_length[d, slot], now_epoch - cal.slot_start[d, slot])
        created = np.floor(cal.slot_start[d, slot] + rng.random(n) * visible_length)
        order = np.argsort(created, kind="stable")
        ch, slot, created = ch[order], slot[order], created[order]

        # What it is about (the recall adds returns to every channel but field visits).
        cum = category_cum[ch]
        if recall_extra[d]:
            returns_boost = recall_extra[d] * (ch != FIELD)
            cum = (cum + returns_boost[:, None]) / (1 + returns_boost[:, None])
        category = (rng.random(n)[:, None] > cum).sum(axis=1)
        category = np.minimum(category, len(CATEGORIES) - 1)

        # Who handles it: agents available today who work the channel.
        away = rng.random(len(agents)) < 0.06  # leave, sickness
        away |= days - 1 - d > joined_age  # not with us yet
        if in_shortage:
            away |= np.array([a.away_in_shortage for a in agents])
        agent = np.full(n, len(agents))
        for c, name in enumerate(CHANNELS):
            mask = ch == c
            if not mask.any():
                continue
            able = [i for i, a in enumerate(agents) if name in a.channels]
            present = [i for i in able if not away[i]] or able
            if present:
                agent[mask] = rng.choice(present, size=int(mask.sum()))

        # Live queues: wait, give up or be answered.
        live = _LIVE[ch]
        wait_mean = _WAIT_MEAN[ch] * pressure[slot] * (4.0 if in_shortage else 1.0)
        wait_mean *= 1 + 0.8 * recall_extra[d]
        wait_mean *= np.where(ch == PHONE, better.phone_wait, 1.0)
        wait_mean *= np.where(ch == WALK_IN, better.desk_wait, 1.0)
        at_once = rng.random(n) < _ANSWERED_AT_ONCE[ch]
        # A desk calls tickets in turn: its waits vary less than a phone queue's.
        spread = np.where(ch == WALK_IN, rng.gamma(4.0, 0.25, n), rng.exponential(1.0, n))
        wait = np.where(at_once, rng.exponential(3.0, n), spread * wait_mean)
        patience = rng.exponential(1.0, n) * _PATIENCE_MEAN[ch]
        abandoned = live & (patience < wait)
        wait = np.where(abandoned, patience, wait)
        wait = np.where(live, np.round(wait), np.nan)
        agent[abandoned] = len(agents)

        handle = np.round(_lognormal(rng, _HANDLE_MEDIAN[ch], 0.5) * speed[agent])
        handle[abandoned] = np.nan

        # First response.
        reply_delay = _lognormal(rng, _FIRST_REPLY_MEDIAN[ch], 0.9) * (3.0 if in_shortage else 1.0)
        jitter = rng.exponential(1800.0, n)
        written_reply = cal.next_open(created + reply_delay)
        written_reply += (written_reply > created + reply_delay) * jitter
        first_response = np.where(live, created + wait, written_reply)
        first_response[abandoned] = np.nan

        # Resolution: at once, or later (repairs take longer), replies land in opening hours.
        # A returned item is resolved when it is checked and back on the shelf: days to weeks,
        # only a few are swapped on the spot.
        is_return = category == RETURNS
        solved_at_once = rng.random(n) < np.where(is_return, 0.08, _SOLVED_AT_ONCE[ch])
        spread = np.exp(np.where(is_return, 0.3, 1.0) * rng.standard_normal(n))
        later = spread * np.where(
            is_return,
            better.returns_days * _DAY,
            _LATER_MEDIAN[ch] * np.where(category == REPAIR, 3.0, 1.0),
        )
        later_at = cal.next_open(first_response + np.nan_to_num(handle) + later)
        later_at += (later_at > first_response + np.nan_to_num(handle) + later) * jitter
        resolved = np.where(
            solved_at_once,
            first_response + np.where(live, handle, np.minimum(handle, 600.0)),
            later_at,
        )

        # Field visits: scheduled by phone, a technician arrives within a day or two.
        field = ch == FIELD
        arrived = fixed = np.full(n, np.nan)
        if field.any():
            go = created + _lognormal(rng, np.full(n, 22 * _HOUR), 0.6)
            arrived = cal.next_open(go)
            arrived += (arrived > go) * rng.uniform(0, 3 * _HOUR, n)
            second_visit = cal.next_open(arrived + 2 * _DAY) + rng.uniform(0, 3 * _HOUR, n)
            fixed = np.where(solved_at_once, arrived, second_visit) + handle
            arrived = np.where(field, np.round(arrived), np.nan)
            fixed = np.where(field, np.round(fixed), np.nan)
            resolved = np.where(field, fixed + 300, resolved)

        # Status and outcome.
        unresolved = ~abandoned & (rng.random(n) < 0.03)
        stale = ~abandoned & ~unresolved & (rng.random(n) < 0.01)
        still_open = ~abandoned & ~unresolved & (stale | (resolved > now_epoch))
        is_resolved = ~abandoned & ~unresolved & ~still_open
        success_p = 0.9 + skill[agent] * 0.1 - 0.06 * in_shortage
        success_p = success_p - 0.12 * (in_recall & (category == RETURNS))
        failed = is_resolved & (rng.random(n) > success_p) | unresolved
        resolved = np.where(is_resolved, np.round(resolved), np.nan)
        first_response = np.where(first_response <= now_epoch, np.round(first_response), np.nan)
        arrived = np.where(arrived <= now_epoch, arrived, np.nan)
        fixed = np.where(fixed <= now_epoch, fixed, np.nan)
        # Nothing was handled yet where nobody has answered (or, on site, arrived) by `now`.
        handle = np.where(
            np.where(field, np.isnan(arrived), np.isnan(first_response)), np.nan, handle
        )

        # How the customer felt: a latent satisfaction drives CSAT, NPS and CES alike.
        took = resolved - created
        quality = (
            4.45
            + skill[agent]
            + rng.normal(0, 0.85, n)
            - 1.3 * failed
            - 0.8 * np.minimum(1, np.nan_to_num(wait) / 300) * live
            - 0.5 * (took > 3 * _DAY)
            - (0.6 if in_shortage else 0.0)
            + better.chat_quality * (ch == CHAT)
            - 0.3 * (in_recall & (category == RETURNS))
        )
        surveyed = (is_resolved | unresolved) & (rng.random(n) < _SURVEY_SHARE[ch])
        csat = np.where(surveyed, np.clip(np.rint(quality), 1, 5), np.nan)
        nps_answer = surveyed & (rng.random(n) < 0.55)
        nps = np.where(
            nps_answer, np.clip(np.rint(2.1 * quality - 0.9 + rng.normal(0, 1.1, n)), 0, 10), np.nan
        )
        ces_answer = surveyed & (rng.random(n) < 0.5)
        ces = np.where(
            ces_answer, np.clip(np.rint(8.3 - 1.35 * quality + rng.normal(0, 0.7, n)), 1, 7), np.nan
        )

        negative_p = (
            0.18
            + 0.15 * np.isin(category, (RETURNS, REPAIR))
            + 0.25 * (in_recall & (category == RETURNS))
            + 0.12 * (in_shortage & live)
        )
        mood = rng.random(n)
        sentiment_start = np.where(mood < negative_p, 0, np.where(mood < negative_p + 0.62, 1, 2))
        has_sentiment = ~abandoned & (rng.random(n) < _SENTIMENT_SHARE[ch])
        end_cum = _SENTIMENT_END[failed.astype(int), sentiment_start]
        sentiment_end = (rng.random(n)[:, None] > end_cum).sum(axis=1)
        has_end = has_sentiment & (is_resolved | unresolved)

        status = np.where(
            abandoned,
            "abandoned",
            np.where(unresolved, "unresolved", np.where(still_open, "open", "resolved")),
        )
        outcome = np.where(failed, "failure", np.where(is_resolved, "success", ""))

        # Customers, in time order: new, returning, or back about the same thing.
        anonymous = rng.random(n) < _ANONYMOUS_SHARE[ch]
        picks = rng.random((n, 2))
        category_list = category.tolist()
        customer_ids = customers.assign(
            created.tolist(), category_list, anonymous.tolist(), picks.tolist()
        )

        team = np.where(agent < len(agents), agent_teams[agent], channel_team[ch])
        columns = (
            [f"{profile.id_prefix}-{i:07d}" for i in range(number + 1, number + n + 1)],
            channel_names[ch].tolist(),
            _datetimes(created, tz),
            customer_ids,
            agent_keys[agent].tolist(),
            team.tolist(),
            category_names[category_list].tolist(),
            _datetimes(first_response, tz),
            _datetimes(resolved, tz),
            status.tolist(),
            outcome.tolist(),
            _whole(wait),
            _whole(handle),
            _whole(csat),
            _whole(nps),
            _whole(ces),
            sentiment_names[np.where(has_sentiment, sentiment_start + 1, 0)].tolist(),
            sentiment_names[np.where(has_end, sentiment_end + 1, 0)].tolist(),
            _datetimes(arrived, tz),
            _datetimes(fixed, tz),
        )
        for values in zip(*columns, strict=True):
            yield dict(zip(FIELDS, values, strict=True))
        number += n


class _Customers:
    """Hands out customer ids: new ones, returning ones, and follow-ups about the same thing."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.known: list[str] = []
        self.recent_time: list[float] = []
        self.recent_customer: list[str] = []
        self.recent_category: list[int] = []
        self.oldest = 0

    def assign(
        self,
        created: list[float],
        category: list[int],
        anonymous: list[bool],
        picks: list[list[float]],
    ) -> list[str]:
        """Customer ids for one day's contacts; rewrites `category` of follow-ups in place."""
        ids = []
        known, times, who, about = (
            self.known,
            self.recent_time,
            self.recent_customer,
            self.recent_category,
        )
        for i, t in enumerate(created):
            if anonymous[i]:
                ids.append("")
                continue
            while self.oldest < len(times) and times[self.oldest] < t - 6 * _DAY:
                self.oldest += 1
            choice, which = picks[i]
            recent = len(times) - self.oldest
            if choice < _FOLLOW_UP_SHARE and recent:
                j = self.oldest + int(which * recent)
                customer = who[j]
                category[i] = about[j]
            elif choice < _FOLLOW_UP_SHARE + _RETURNING_SHARE and known:
                customer = known[int(which * len(known))]
            else:
                customer = f"{self.prefix}{len(known) + 1:06d}"
                known.append(customer)
            ids.append(customer)
            times.append(t)
            who.append(customer)
            about.append(category[i])
        if self.oldest > 50_000:
            del times[: self.oldest], who[: self.oldest], about[: self.oldest]
            self.oldest = 0
        return ids


def _whole(values: np.ndarray) -> list[int | None]:
    """Whole numbers as Python ints, NaN as None."""
    missing = np.isnan(values)
    out = np.where(missing, 0, values).astype(np.int64).astype(object)
    out[missing] = None
    return out.tolist()


def _datetimes(epochs: np.ndarray, tz: zoneinfo.ZoneInfo) -> list[dt.datetime | None]:
    """Epoch seconds as aware datetimes in `tz`, NaN as None."""
    from_ts = dt.datetime.fromtimestamp
    return [None if t != t else from_ts(t, tz) for t in epochs.tolist()]  # NaN != NaN


def generate_reviews(
    *,
    seed: int,
    start: dt.date,
    days: int = 182,
    profile: DemoProfile = DUBAI,
    until: dt.date | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield online reviews (dicts keyed by REVIEW_FIELDS) dated in the period, oldest first.

    Ratings drop in and just after the shortage week and during the recall. `until` (a date)
    stops early, e.g. at today.
    """
    rng = np.random.default_rng([seed, 1])
    shortage, recall = demo_events(start=start, days=days, profile=profile)
    good = np.array([0.05, 0.05, 0.08, 0.25, 0.57])  # P(rating 1..5)
    bad = np.array([0.25, 0.15, 0.15, 0.2, 0.25])
    number = 0
    for d in range(days):
        day = start + dt.timedelta(days=d)
        if until is not None and day > until:
            break
        troubled = (
            shortage.first_day <= day <= shortage.last_day + dt.timedelta(days=4)
            or recall.first_day <= day <= recall.last_day
        )
        factor = profile.weekday_factor.get(day.isoweekday(), 1.0)
        for _ in range(rng.poisson(profile.reviews_per_day * factor * (1.4 if troubled else 1))):
            number += 1
            rating = int(rng.choice(5, p=bad if troubled else good)) + 1
            texts = profile.review_texts[rating]
            with_text = rng.random() < 0.7
            yield {
                "external_id": f"{profile.id_prefix}-R{number:05d}",
                "source": profile.review_sources[int(rng.integers(len(profile.review_sources)))],
                "date": day,
                "rating": rating,
                "text": texts[int(rng.integers(len(texts)))] if with_text else "",
                "author": profile.review_authors[int(rng.integers(len(profile.review_authors)))],
            }
