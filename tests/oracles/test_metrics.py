"""The oracle's metrics, on small fixtures worked out by hand (arithmetic in the comments)."""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from goaldesk.engine import BusinessCalendar
from goaldesk.metrics.catalogue import KEYS as ALL_KEYS
from goaldesk.metrics.catalogue import metric
from tests.oracles.metrics import MetricRecord, compute_metrics, make_record

UTC = dt.UTC
# The period: Monday 2026-04-27 to Thursday 2026-04-30, four open days.
FIRST, LAST = dt.date(2026, 4, 27), dt.date(2026, 4, 30)
EMPTY_SUMMARY = {"mean": None, "median": None, "p90": None, "count": 0}
_counter = iter(range(1, 10**6))

#: The oracle computes what interactions give; provided metrics (surveys, the FAQ) have their own
#: tests (tests/knowledge/, tests/feedback/).
KEYS = tuple(k for k in ALL_KEYS if metric(k).source != "provided")


def at(day: int, hour: int = 10, minute: int = 0, second: int = 0) -> dt.datetime:
    """A UTC instant in April 2026 (day 31 → 1 May, and so on)."""
    return dt.datetime(2026, 4, 1, hour, minute, second, tzinfo=UTC) + dt.timedelta(days=day - 1)


def rec(created_at: dt.datetime | None = None, **fields: object) -> MetricRecord:
    created_at = created_at or at(27)
    fields.setdefault("channel", "email")
    return MetricRecord(
        external_id=f"x{next(_counter)}",
        created_at=created_at,
        local_date=created_at.date(),  # the fixtures' organisation works in UTC
        **fields,  # type: ignore[arg-type]
    )


def metrics(records: list[MetricRecord], **kwargs: object) -> dict[str, object]:
    kwargs.setdefault("open_days", 4)
    return compute_metrics(records, first=FIRST, last=LAST, **kwargs)  # type: ignore[arg-type]


def test_the_oracle_gives_every_catalogue_metric_in_order():
    assert tuple(metrics([])) == KEYS


def test_keys_match_the_shared_contract_when_it_is_beside_the_repository():
    contract = Path(__file__).resolve().parents[3] / "shared" / "METRICS.md"
    if not contract.exists():
        pytest.skip("shared/METRICS.md is not beside this checkout")
    text = contract.read_text(encoding="utf-8").split("## Metrics", 1)[1]
    defined = [
        k for k in re.findall(r"^\| ([a-z_0-9]+) \|", text, flags=re.MULTILINE) if k != "key"
    ]
    # METRICS.md also defines the metrics of features not built yet (quality reviews, surveys,
    # the FAQ), so the catalogue is a subset of it, not all of it; each catalogue key must be
    # defined there, and in METRICS.md's order.
    assert [k for k in KEYS if k not in defined] == []
    assert tuple(k for k in defined if k in KEYS) == KEYS


def test_empty_period_counts_are_zero_and_everything_else_null():
    result = metrics([])
    assert result["contacts"] == 0
    assert result["review_count"] == 0
    assert result["contacts_per_open_day"] == 0  # 0 contacts over 4 open days
    assert result["customers_helped_per_day"] == 0
    for key in KEYS:
        if key in {"contacts", "review_count", "contacts_per_open_day", "customers_helped_per_day"}:
            continue
        assert result[key] in (None, EMPTY_SUMMARY), key


def test_volume_and_per_open_day():
    records = [
        rec(at(27), status="resolved"),
        rec(at(27), status="open"),
        rec(at(28), status="resolved"),
        rec(at(30, 23, 59), status="unresolved"),
        rec(at(29), status="abandoned", channel="phone"),
        rec(at(26, 23, 59), status="resolved"),  # the Sunday before: outside the period
        rec(at(31, 0, 0), status="resolved"),  # Friday: outside
    ]
    result = metrics(records)
    assert result["contacts"] == 5
    assert result["contacts_per_open_day"] == 5 / 4  # 1.25
    assert result["customers_helped_per_day"] == 2 / 4  # two resolved in the period
    no_open_day = metrics(records, open_days=0)
    assert no_open_day["contacts_per_open_day"] is None
    assert no_open_day["customers_helped_per_day"] is None


def test_first_response_seconds():
    created = at(27, 10)
    records = [
        rec(created, first_response_at=created + dt.timedelta(seconds=60)),
        rec(created, first_response_at=created + dt.timedelta(seconds=300)),
        rec(created, wait_seconds=30.0),  # no first response: the wait counts
        rec(created, first_response_at=created + dt.timedelta(seconds=120), wait_seconds=999.0),
        rec(created),  # neither: not counted
    ]
    # Values 60, 300, 30, 120 → sorted 30 60 120 300: mean 510/4 = 127.5, median (60+120)/2 = 90,
    # p90 rank ceil(3.6) = 4 → 300.
    assert metrics(records)["first_response_seconds"] == {
        "mean": 127.5,
        "median": 90,
        "p90": 300,
        "count": 4,
    }


def test_first_response_business_seconds_with_a_calendar():
    cal = BusinessCalendar(
        timezone="UTC", spans={d: [(dt.time(9), dt.time(17))] for d in range(1, 6)}
    )
    records = [
        # Mon 16:50 → Tue 09:20: 10 min Monday + 20 min Tuesday = 1800 s (calendar: 59 400 s).
        rec(at(27, 16, 50), first_response_at=at(28, 9, 20)),
        # Tue 08:59:30 with a 60 s wait: only 30 s after opening.
        rec(at(28, 8, 59, 30), wait_seconds=60.0),
        # Wed 12:00, answered 12:05: 300 s.
        rec(at(29, 12), first_response_at=at(29, 12, 5)),
    ]
    # Business values 1800, 30, 300: mean 2130/3 = 710, median 300, p90 rank 3 → 1800.
    assert metrics(records, calendar=cal)["first_response_business_seconds"] == {
        "mean": 710,
        "median": 300,
        "p90": 1800,
        "count": 3,
    }
    # Calendar seconds for comparison: 59 400, 60, 300 → mean 59 760 / 3 = 19 920.
    assert metrics(records, calendar=cal)["first_response_seconds"]["mean"] == 19920


def test_business_seconds_without_a_calendar_come_from_the_records():
    records = [
        rec(first_response_at=at(27, 11), first_response_business_seconds=100.0),
        rec(first_response_at=at(27, 12), first_response_business_seconds=300.0),
        rec(
            status="resolved",
            resolved_at=at(28),
            resolution_business_seconds=1000.0,
        ),
    ]
    result = metrics(records)
    assert result["first_response_business_seconds"] == {
        "mean": 200,
        "median": 200,
        "p90": 300,  # n = 2: rank ceil(1.8) = 2
        "count": 2,
    }
    assert result["resolution_business_seconds"] == {
        "mean": 1000,
        "median": 1000,
        "p90": 1000,
        "count": 1,
    }


def test_resolution_seconds_only_resolved_with_a_time():
    records = [
        rec(at(27, 10), status="resolved", resolved_at=at(27, 11)),  # 3600
        rec(at(27, 10), status="resolved", resolved_at=at(27, 12)),  # 7200
        rec(at(27, 10), status="unresolved", resolved_at=at(27, 13)),  # not resolved: out
        rec(at(27, 10), status="resolved"),  # no resolved_at: out
    ]
    # 3600 and 7200: mean = median = 5400, p90 rank ceil(1.8) = 2 → 7200.
    assert metrics(records)["resolution_seconds"] == {
        "mean": 5400,
        "median": 5400,
        "p90": 7200,
        "count": 2,
    }


def test_resolution_business_seconds_over_a_weekend():
    cal = BusinessCalendar(
        timezone="UTC", spans={d: [(dt.time(9), dt.time(17))] for d in range(1, 6)}
    )
    # Thu 30 Apr 16:00 → Mon 4 May 10:00 (Fri 1 May is a working day here): 1 h + 8 h + 1 h.
    records = [rec(at(30, 16), status="resolved", resolved_at=at(34, 10))]
    result = metrics(records, calendar=cal)["resolution_business_seconds"]
    assert result == {"mean": 36000, "median": 36000, "p90": 36000, "count": 1}


def test_success_rate():
    records = [rec(outcome="success")] * 3 + [rec(outcome="failure"), rec(), rec()]
    assert metrics(records)["success_rate"] == 75.0  # 3 / (3 + 1)
    assert metrics([rec(), rec()])["success_rate"] is None


def test_fcr_rate():
    week = dt.timedelta(hours=168)
    records = [
        # A: resolved Monday, back on Tuesday about billing → Monday's is not FCR;
        # Tuesday's has no later contact → FCR.
        rec(at(27, 10), customer_id="A", category="billing", status="resolved"),
        rec(at(28, 10), customer_id="A", category="billing", status="resolved"),
        # B: back one second after the 168 h window → FCR.
        rec(at(27, 9), customer_id="B", category="billing", status="resolved"),
        # C: back next day, but about returns (another category) → FCR.
        rec(at(27, 9), customer_id="C", category="billing", status="resolved"),
        rec(at(28, 9), customer_id="C", category="returns", status="open"),
        # D: resolved on the last day, back after the period (only in all_records) → not FCR.
        rec(at(30, 15), customer_id="D", category="repair", status="resolved"),
        # Anonymous resolved and unresolved ones are not candidates.
        rec(at(27, 9), category="billing", status="resolved"),
        rec(at(27, 9), customer_id="E", category="billing", status="unresolved"),
    ]
    later = [
        rec(at(27, 9) + week + dt.timedelta(seconds=1), customer_id="B", category="billing"),
        rec(at(31, 8), customer_id="D", category="repair", status="abandoned", channel="phone"),
    ]
    # Candidates: A-Mon (repeat), A-Tue, B, C, D (repeat) → 3 of 5 = 60 %.
    result = metrics(records, all_records=records + later)
    assert result["fcr_rate"] == 60.0
    # Without the later records D and B both count as FCR: 4 of 5.
    assert metrics(records)["fcr_rate"] == 80.0


def test_fcr_window_is_168_hours_inclusive_and_strictly_later():
    first = rec(at(27, 9), customer_id="A", category="", status="resolved")
    at_edge = rec(at(27, 9) + dt.timedelta(hours=168), customer_id="A", category="")
    same_moment = rec(at(27, 9), customer_id="F", category="", status="resolved")
    twin = rec(at(27, 9), customer_id="F", category="")
    pool = [first, at_edge, same_moment, twin]
    # A came back exactly 168 h later (a repeat, uncategorised both times); F's twin has the
    # same created_at, so it is not "after": A not FCR, F FCR → 50 %.
    assert metrics([first, same_moment], all_records=pool)["fcr_rate"] == 50.0


def test_fcr_none_without_candidates():
    assert metrics([rec(status="resolved"), rec(customer_id="A")])["fcr_rate"] is None


def test_csat():
    records = [rec(csat=5), rec(csat=4), rec(csat=3), rec(csat=1), rec()]
    result = metrics(records)
    assert result["csat_pct"] == 50.0  # 2 of 4 answers are 4 or 5
    assert result["csat_avg"] == 3.25  # 13 / 4
    assert metrics([rec()])["csat_pct"] is None
    assert metrics([rec()])["csat_avg"] is None


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([10, 9, 8, 7, 6, 0], 0.0),  # 2/6 promoters − 2/6 detractors
        ([10, 10, 9, 7], 75.0),  # 75 % − 0 %
        ([9, 5, 3, 3], -50.0),  # 25 % − 75 %
        ([8, 7], 0.0),  # passives only
        ([6], -100.0),
        ([10, 6, 8], 0.0),  # 33.3 % − 33.3 %
    ],
)
def test_nps(answers, expected):
    assert metrics([rec(nps=a) for a in answers] + [rec()])["nps"] == pytest.approx(expected)


def test_nps_none_without_answers():
    assert metrics([rec(csat=5)])["nps"] is None


def test_ces_avg():
    assert metrics([rec(ces=2), rec(ces=3), rec(ces=7), rec()])["ces_avg"] == 4.0
    assert metrics([rec()])["ces_avg"] is None


def test_recovery_rate():
    records = [
        rec(sentiment_start="negative", sentiment_end="positive"),  # recovered
        rec(sentiment_start="negative", sentiment_end="neutral", csat=5),  # end known: no
        rec(sentiment_start="negative", csat=4),  # end empty, csat ≥ 4: recovered
        rec(sentiment_start="negative", csat=3),  # end empty, csat 3: no
        rec(sentiment_start="negative"),  # nothing known: no
        rec(sentiment_start="neutral", sentiment_end="positive"),  # not negative: not counted
    ]
    assert metrics(records)["recovery_rate"] == 40.0  # 2 of 5
    assert metrics([rec(sentiment_start="neutral")])["recovery_rate"] is None


def test_returning_customer_rate_needs_two_different_days_in_the_period():
    records = [
        rec(at(27, 9), customer_id="A"),
        rec(at(28, 9), customer_id="A"),  # A: Monday and Tuesday → returning
        rec(at(27, 9), customer_id="B"),
        rec(at(27, 15), customer_id="B"),  # B: twice on Monday → not returning
        rec(at(29, 9), customer_id="C"),  # C: once
        rec(at(29, 9)),  # anonymous: not a customer
        rec(at(27, 9), customer_id="D"),
        rec(at(25, 9), customer_id="D"),  # D's other day is before the period
    ]
    assert metrics(records)["returning_customer_rate"] == 25.0  # A of A, B, C, D
    assert metrics([rec()])["returning_customer_rate"] is None


def test_returning_customer_day_is_the_local_day():
    # In Berlin, 22:30 UTC on Monday is already Tuesday: two different local days.
    cal = BusinessCalendar(timezone="Europe/Berlin")
    records = [
        make_record(
            {"external_id": "1", "channel": "web", "created_at": at(27, 21), "customer_id": "A"},
            calendar=cal,
        ),
        make_record(
            {
                "external_id": "2",
                "channel": "web",
                "created_at": at(27, 22, 30),
                "customer_id": "A",
            },
            calendar=cal,
        ),
    ]
    assert [r.local_date for r in records] == [dt.date(2026, 4, 27), dt.date(2026, 4, 28)]
    assert metrics(records)["returning_customer_rate"] == 100.0


def live_queue() -> list[MetricRecord]:
    return [
        rec(channel="phone", status="resolved", wait_seconds=10.0),  # answered in time
        rec(channel="chat", status="resolved", wait_seconds=20.0),  # exactly T: in time
        rec(channel="walk_in", status="resolved", wait_seconds=25.0),  # answered late
        rec(channel="phone", status="abandoned", wait_seconds=5.0),  # offered, not answered
        rec(channel="phone", status="resolved"),  # no wait recorded: offered, not in time
        rec(channel="email", status="resolved", wait_seconds=1.0),  # not live: ignored
        rec(channel="field", status="resolved", wait_seconds=1.0),  # not live: ignored
    ]


def test_service_level_abandon_rate_and_asa():
    result = metrics(live_queue())
    assert result["service_level"] == 40.0  # 2 in time / 5 offered
    assert result["abandon_rate"] == 20.0  # 1 / 5
    assert result["asa_seconds"] == pytest.approx(55 / 3)  # answered with a wait: 10, 20, 25


def test_service_level_follows_the_target():
    assert metrics(live_queue(), answer_target_seconds=30)["service_level"] == 60.0  # 3 / 5
    assert metrics(live_queue(), answer_target_seconds=5)["service_level"] == 0.0


def test_live_metrics_none_without_live_contacts():
    result = metrics([rec(channel="email", wait_seconds=3.0)])
    assert result["service_level"] is None
    assert result["abandon_rate"] is None
    assert result["asa_seconds"] is None


def test_aht():
    records = [
        rec(handle_seconds=100.0),
        rec(handle_seconds=200.0),
        rec(),
        rec(handle_seconds=600.0),
    ]
    assert metrics(records)["aht_seconds"] == 300.0  # 900 / 3
    assert metrics([rec()])["aht_seconds"] is None


def test_field_times():
    records = [
        rec(at(27, 8), channel="field", arrived_at=at(27, 8, 30), fixed_at=at(27, 10)),
        rec(at(28, 8), channel="field", arrived_at=at(28, 9)),
        rec(at(28, 8), channel="field"),
    ]
    result = metrics(records)
    # Arrivals 1800 and 3600: mean = median = 2700, p90 rank 2 → 3600.
    assert result["time_to_arrive_seconds"] == {
        "mean": 2700,
        "median": 2700,
        "p90": 3600,
        "count": 2,
    }
    assert result["time_to_fix_seconds"] == {"mean": 7200, "median": 7200, "p90": 7200, "count": 1}


@dataclass
class Review:
    date: dt.date
    rating: int


def test_reviews_dated_in_the_period():
    reviews = [
        (dt.date(2026, 4, 26), 5),  # before
        (dt.date(2026, 4, 27), 4),
        (dt.date(2026, 4, 30), 2),
        (dt.date(2026, 5, 1), 1),  # after
    ]
    result = metrics([], reviews=reviews)
    assert result["review_rating_avg"] == 3.0  # (4 + 2) / 2
    assert result["review_count"] == 2
    as_objects = metrics([], reviews=[Review(d, r) for d, r in reviews])
    assert as_objects["review_rating_avg"] == 3.0
    none = metrics([], reviews=reviews[:1])
    assert none["review_rating_avg"] is None
    assert none["review_count"] == 0


def test_records_outside_the_period_do_not_count():
    inside = rec(at(28), csat=5, channel="phone", wait_seconds=100.0, status="resolved")
    outside = rec(at(20), csat=1, channel="phone", wait_seconds=1.0, status="resolved")
    result = metrics([inside, outside])
    assert result["contacts"] == 1
    assert result["csat_avg"] == 5.0
    assert result["service_level"] == 0.0


@dataclass
class InteractionLike:
    external_id: str
    channel: str
    created_at: dt.datetime
    first_response_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    wait_seconds: float | None = None
    status: str | None = None
    customer_id: str | None = None


def test_make_record_derives_local_day_business_seconds_and_status():
    berlin = ZoneInfo("Europe/Berlin")
    cal = BusinessCalendar(
        timezone="Europe/Berlin", spans={d: [(dt.time(9), dt.time(17))] for d in range(1, 6)}
    )
    # Mon 27 Apr 2026 16:30 Berlin (CEST) = 14:30 UTC; answered Tue 09:15, resolved Tue 10:00.
    source = InteractionLike(
        external_id="T-1",
        channel="email",
        created_at=dt.datetime(2026, 4, 27, 14, 30, tzinfo=UTC),
        first_response_at=dt.datetime(2026, 4, 28, 9, 15, tzinfo=berlin),
        resolved_at=dt.datetime(2026, 4, 28, 10, tzinfo=berlin),
    )
    record = make_record(source, calendar=cal)
    assert record.local_date == dt.date(2026, 4, 27)
    assert record.first_response_business_seconds == 45 * 60  # 30 min + 15 min
    assert record.resolution_business_seconds == 90 * 60  # 30 min + 60 min
    assert record.status == "resolved"  # no status given, resolved_at present
    assert record.customer_id == ""  # None read as empty
    # 23:30 UTC is already Tuesday in Berlin; a 90 s wait before opening counts 0 business s.
    late = make_record(
        {
            "external_id": "T-2",
            "channel": "phone",
            "created_at": at(27, 23, 30),
            "wait_seconds": 90,
        },
        calendar=cal,
    )
    assert late.local_date == dt.date(2026, 4, 28)
    assert late.status == "open"
    assert late.first_response_business_seconds == 0
    assert late.resolution_business_seconds is None
