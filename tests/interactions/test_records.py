"""parse_interaction / parse_review: one set of rules for import, API and quick log."""

import datetime as dt
import zoneinfo

import pytest

from goaldesk.interactions.records import (
    RecordError,
    parse_interaction,
    parse_review,
)

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
UTC = dt.UTC


def row(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "external_id": "T-1",
        "channel": "phone",
        "created_at": "2026-03-02T09:00:00+00:00",
    }
    base.update(values)
    return base


def rejects(column: str, **values: object) -> RecordError:
    with pytest.raises(RecordError) as caught:
        parse_interaction(row(**values), tz=TEHRAN)
    assert caught.value.column == column
    return caught.value


def test_minimal_record_gets_defaults():
    data = parse_interaction(row(), tz=TEHRAN)
    assert data.external_id == "T-1"
    assert data.channel == "phone"
    assert data.created_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert data.status == "open"
    assert data.customer_id == "" and data.csat is None and data.wait_seconds is None


def test_full_record():
    data = parse_interaction(
        row(
            customer_id=" C-7 ", agent="sara@example.com", team="Desk", category="returns",
            first_response_at="2026-03-02T09:05:00Z", resolved_at="2026-03-02T10:00:00Z",
            status="Resolved", outcome="SUCCESS", wait_seconds="12.5", handle_seconds="300",
            csat="4", nps="9", ces="2", sentiment_start="negative", sentiment_end=" Positive ",
            arrived_at="2026-03-02T11:00:00Z", fixed_at="2026-03-02T12:00:00Z",
        ),
        tz=TEHRAN,
    )  # fmt: skip
    assert data.customer_id == "C-7"
    assert data.first_response_at == dt.datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
    assert data.status == "resolved" and data.outcome == "success"
    assert data.wait_seconds == 12.5 and data.handle_seconds == 300.0
    assert (data.csat, data.nps, data.ces) == (4, 9, 2)
    assert (data.sentiment_start, data.sentiment_end) == ("negative", "positive")
    assert data.fixed_at == dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("PHONE", "phone"), (" e-mail ", None), ("Walk-in", "walk_in"), ("walk in", "walk_in"),
     ("Web", "web"), ("FIELD", "field")],
)  # fmt: skip
def test_channel_is_case_insensitive_and_trimmed(given, expected):
    if expected is None:
        error = rejects("channel", channel=given)
        assert "e-mail" in error.reason
    else:
        assert parse_interaction(row(channel=given), tz=TEHRAN).channel == expected


def test_status_defaults_from_resolved_at():
    data = parse_interaction(row(resolved_at="2026-03-02T10:00:00Z"), tz=TEHRAN)
    assert data.status == "resolved"
    # An explicit status wins; nothing else is required for "resolved".
    assert parse_interaction(row(status="resolved"), tz=TEHRAN).status == "resolved"
    given = row(status="unresolved", resolved_at="2026-03-02T10:00:00Z")
    assert parse_interaction(given, tz=TEHRAN).status == "unresolved"


# --- time stamps ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        # Tehran is UTC+03:30 (no DST since 2022): 09:00 local = 05:30 UTC.
        ("2026-03-02 09:00", dt.datetime(2026, 3, 2, 5, 30, tzinfo=UTC)),
        ("2026-03-02 09:00:15", dt.datetime(2026, 3, 2, 5, 30, 15, tzinfo=UTC)),
        ("2026-03-02T09:00", dt.datetime(2026, 3, 2, 5, 30, tzinfo=UTC)),
        ("2026-03-02T09:00:00Z", dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("2026-03-02T09:00:00+01:00", dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
        ("2026-03-02 09:00:00 +0100", dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
        ("2026-03-02 09:00:00 UTC", dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("۲۰۲۶-۰۳-۰۲ ۰۹:۰۰", dt.datetime(2026, 3, 2, 5, 30, tzinfo=UTC)),
        ("٢٠٢٦-٠٣-٠٢T٠٩:٠٠:٠٠Z", dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        (dt.datetime(2026, 3, 2, 9, 0), dt.datetime(2026, 3, 2, 5, 30, tzinfo=UTC)),
    ],
)
def test_timestamps_with_and_without_offset(text, utc):
    assert parse_interaction(row(created_at=text), tz=TEHRAN).created_at == utc


def test_summer_time_zone_without_offset():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    summer = parse_interaction(row(created_at="2026-07-01 09:00"), tz=berlin)
    winter = parse_interaction(row(created_at="2026-01-05 09:00"), tz=berlin)
    assert summer.created_at == dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert winter.created_at == dt.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday", "02/03/2026 09:00", "2026-13-01 09:00", "9:00"])
def test_bad_timestamp_is_rejected_with_its_value(text):
    error = rejects("created_at", created_at=text)
    assert text in error.reason


def test_date_without_time_is_rejected():
    error = rejects("created_at", created_at="2026-03-02")
    assert "2026-03-02" in error.reason and "time" in error.reason


@pytest.mark.parametrize("column", ["first_response_at", "resolved_at", "arrived_at", "fixed_at"])
def test_later_timestamps_before_created_at_are_rejected(column):
    error = rejects(column, **{column: "2026-03-02T08:59:59Z"})
    assert "2026-03-02T08:59:59Z" in error.reason


def test_same_instant_as_created_is_fine():
    data = parse_interaction(row(first_response_at="2026-03-02 12:30"), tz=TEHRAN)
    # 12:30 Tehran = 09:00 UTC = created_at: not before it.
    assert data.first_response_at == data.created_at


# --- required fields ------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["external_id", "channel", "created_at"])
@pytest.mark.parametrize("empty", [None, "", "   "])
def test_required_fields(column, empty):
    error = rejects(column, **{column: empty})
    assert "required" in error.reason


def test_missing_key_counts_as_empty():
    with pytest.raises(RecordError) as caught:
        parse_interaction({"external_id": "x", "channel": "chat"}, tz=TEHRAN)
    assert caught.value.column == "created_at"


def test_too_long_text_is_rejected():
    error = rejects("external_id", external_id="x" * 101)
    assert "101" in error.reason and "100" in error.reason
    rejects("category", category="c" * 101)
    rejects("customer_id", customer_id="c" * 151)


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "good", "value"),
    [
        ("csat", "۵", 5), ("csat", "1", 1), ("csat", 5.0, 5), ("nps", "٠", 0), ("nps", "10", 10),
        ("ces", "7", 7), ("ces", " 3 ", 3), ("wait_seconds", "۱۲٫۵", 12.5),
        ("wait_seconds", "0", 0.0), ("handle_seconds", 90, 90.0),
    ],
)  # fmt: skip
def test_numbers_in_any_digits(column, good, value):
    assert getattr(parse_interaction(row(**{column: good}), tz=TEHRAN), column) == value


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("csat", "0"), ("csat", "6"), ("csat", "4.5"), ("csat", "good"), ("nps", "11"),
        ("nps", "-1"), ("ces", "0"), ("ces", "8"), ("wait_seconds", "-3"),
        ("wait_seconds", "ten"), ("handle_seconds", "-0.5"), ("handle_seconds", "nan"),
        ("wait_seconds", "1,5"),
    ],
)  # fmt: skip
def test_bad_numbers_are_rejected_with_their_value(column, bad):
    error = rejects(column, **{column: bad})
    assert bad in error.reason


@pytest.mark.parametrize(
    ("column", "bad"),
    [("status", "closed"), ("outcome", "maybe"), ("sentiment_start", "angry"),
     ("sentiment_end", "happy")],
)  # fmt: skip
def test_bad_choices_are_rejected_with_their_value(column, bad):
    error = rejects(column, **{column: bad})
    assert bad in error.reason


# --- sane bounds: dates in 1900–2100, durations up to a year -------------------------------


@pytest.mark.parametrize(
    "stamp",
    ["1900-01-01T00:00:00+00:00", "2100-12-31T23:59:59+00:00", "1900-01-01 00:00",
     "1278-10-11T12:00"],  # the last is Jalali for 1900-01-01
)  # fmt: skip
def test_first_and_last_accepted_days(stamp):
    assert 1900 <= parse_interaction(row(created_at=stamp), tz=UTC).created_at.year <= 2100


@pytest.mark.parametrize(
    ("column", "stamp"),
    [
        ("created_at", "1899-12-31T23:59:59+00:00"),
        ("created_at", "2101-01-01T00:00:00+00:00"),
        ("created_at", "9999-12-31T23:59:59+00:00"),
        ("created_at", "2200-01-01 09:00"),
        ("created_at", "0001-01-01T09:00"),  # Jalali year 1 is 622
        ("resolved_at", "9999-12-31T23:59:59Z"),
        ("first_response_at", "2101-01-01T00:00:00+00:00"),
    ],
)
def test_days_outside_1900_to_2100_are_rejected_naming_the_bounds(column, stamp):
    error = rejects(column, **{column: stamp})
    assert stamp in error.reason
    assert "1900-01-01" in error.reason and "2100-12-31" in error.reason


def test_a_date_time_object_outside_the_bounds_is_rejected():
    # As an XLSX cell gives it.
    rejects("created_at", created_at=dt.datetime(1899, 12, 31, 23, 59))


@pytest.mark.parametrize("column", ["wait_seconds", "handle_seconds"])
@pytest.mark.parametrize("value", [31_536_000, "31536000", "31,536,000", 31_536_000.0])
def test_a_duration_of_a_year_is_accepted(column, value):
    assert getattr(parse_interaction(row(**{column: value}), tz=TEHRAN), column) == 31_536_000


@pytest.mark.parametrize("column", ["wait_seconds", "handle_seconds"])
@pytest.mark.parametrize(
    ("value", "quoted"),
    [(31_536_001, "31536001"), (31_536_001.0, "31536001"), ("31536000.5", "31536000.5"), (1e300, "1e+300"),
     ("1e308", "1e308"), ("۳۱۵۳۶۰۰۱", "۳۱۵۳۶۰۰۱")],
)  # fmt: skip
def test_a_duration_over_a_year_is_rejected_naming_the_bound(column, value, quoted):
    error = rejects(column, **{column: value})
    assert quoted in error.reason
    assert "31536000" in error.reason


@pytest.mark.parametrize(("day", "accepted"), [("1899-12-31", False), ("1900-01-01", True),
                                               ("2100-12-31", True), ("2101-01-01", False)])  # fmt: skip
def test_review_dates_outside_1900_to_2100_are_rejected(day, accepted):
    raw = {"external_id": "G-1", "date": day, "rating": "4"}
    if accepted:
        assert parse_review(raw, tz=TEHRAN).date == dt.date.fromisoformat(day)
    else:
        with pytest.raises(RecordError) as caught:
            parse_review(raw, tz=TEHRAN)
        assert caught.value.column == "date" and "1900-01-01" in caught.value.reason


# --- reviews --------------------------------------------------------------------------------


def test_review_parses():
    data = parse_review(
        {"external_id": "G-1", "source": "Google", "date": "۲۰۲۶-۰۳-۰۲", "rating": "5",
         "text": "Great", "author": "Mina"},
        tz=TEHRAN,
    )  # fmt: skip
    assert (data.date, data.rating, data.source) == (dt.date(2026, 3, 2), 5, "Google")


def test_review_timestamp_takes_local_day():
    # 22:00 UTC on 1 March is 01:30 on 2 March in Tehran.
    data = parse_review(
        {"external_id": "G-1", "date": "2026-03-01T22:00:00Z", "rating": "3"}, tz=TEHRAN
    )
    assert data.date == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("values", "column"),
    [({"rating": "6"}, "rating"), ({"rating": ""}, "rating"), ({"date": "soon"}, "date"),
     ({"external_id": ""}, "external_id")],
)  # fmt: skip
def test_bad_review(values, column):
    raw = {"external_id": "G-1", "date": "2026-03-02", "rating": "4", **values}
    with pytest.raises(RecordError) as caught:
        parse_review(raw, tz=TEHRAN)
    assert caught.value.column == column


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("'=1+2", "=1+2"),  # the quote an export put before a formula-like text is dropped
        ("'-omid", "-omid"),
        ("''=x", "'=x"),  # a text that began with a quote keeps it
        ("'abc", "'abc"),  # a quote before anything harmless is the value's own
        ("O'Brien", "O'Brien"),
    ],
)
def test_a_text_an_export_neutralised_reads_back_as_it_was(written, read):
    record = parse_interaction(row(customer_id=written, team=written), tz=TEHRAN)
    assert (record.customer_id, record.team) == (read, read)
