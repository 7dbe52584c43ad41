"""The catalogue against METRICS.md and docs/metrics.md; the `goaldesk kpis` command."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from goaldesk.cli import main
from goaldesk.interactions.models import Interaction
from goaldesk.metrics.catalogue import CATALOGUE, KEYS, Durations, Sums, metric
from tests.metrics.conftest import at, make_interaction

ROOT = Path(__file__).resolve().parents[2]


def test_catalogue_keys_are_unique():
    # The METRICS.md contract (when ../shared is beside the checkout) is checked in
    # tests/oracles/test_metrics.py; every key is also on docs/metrics.md (below).
    assert len(set(KEYS)) == len(KEYS) == len(CATALOGUE)


def test_every_figure_reads_aggregates_its_entry_declares(desk):
    for entry in CATALOGUE:
        computed = entry.computed
        if isinstance(computed, Sums):
            names = set(computed.aggregates_for(desk))
            figure = computed.figure
            read = {getattr(figure, f, "") for f in ("name", "numerator", "denominator", "less")}
            assert read - {""} <= names, entry.key
        elif isinstance(computed, Durations):
            assert Interaction._meta.get_field(computed.column), entry.key


def test_catalogue_entries_are_well_formed():
    for entry in CATALOGUE:
        assert entry.unit in ("count", "per_day", "seconds", "percent", "score")
        assert entry.better in ("higher", "lower", None)
        assert str(entry.description).endswith(".")
        assert entry.aggregates in ((), ("mean", "median", "p90"))
    durations = {m.key for m in CATALOGUE if m.is_duration}
    assert durations == {
        "first_response_seconds",
        "first_response_business_seconds",
        "resolution_seconds",
        "resolution_business_seconds",
        "time_to_arrive_seconds",
        "time_to_fix_seconds",
    }
    assert metric("ces_avg").better == "lower"
    with pytest.raises(KeyError, match="nope"):
        metric("nope")


def test_docs_define_every_metric():
    text = (ROOT / "docs" / "metrics.md").read_text()
    documented = re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE)
    assert tuple(documented) == KEYS


@pytest.fixture
def cli_org(desk):
    t = at("2026-03-03", "10:00")
    make_interaction(
        desk,
        external_id="1",
        channel="phone",
        created_at=t,
        wait_seconds=10,
        csat=5,
        resolved_at=t + dt.timedelta(minutes=5),
    )
    make_interaction(
        desk,
        external_id="2",
        channel="email",
        created_at=at("2026-03-04"),
        csat=2,
        first_response_at=at("2026-03-04", "10:00"),
    )
    return desk


@pytest.mark.django_db(transaction=True)
def test_kpis_json(cli_org, capsys):
    assert (
        main(["kpis", "--org", "desk", "--from", "2026-03-01", "--to", "2026-03-07", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["from"] == "2026-03-01" and out["to"] == "2026-03-07"
    assert list(out["kpis"]) == list(KEYS)
    assert out["kpis"]["contacts"] == 2
    assert out["kpis"]["csat_pct"] == 50.0
    assert out["kpis"]["first_response_seconds"] == {
        "mean": 1805.0,
        "median": 1805.0,
        "p90": 3600.0,
        "count": 2,
    }  # 10 s wait, 1 h reply
    assert out["kpis"]["service_level"] == 100.0


@pytest.mark.django_db(transaction=True)
def test_kpis_by_channel_with_persian_digits(cli_org, capsys):
    args = [
        "kpis",
        "--org",
        "desk",
        "--from",
        "۲۰۲۶-۰۳-۰۱",
        "--to",
        "۱۴۰۴/۱۲/۱۶",  # 7 March
        "--by",
        "channel",
        "--json",
    ]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["to"] == "2026-03-07"
    groups = {g["group"]: g for g in out["groups"]}
    assert groups["email"]["csat_avg"] == 2.0
    assert groups["phone"]["label"] == "Phone"


@pytest.mark.django_db(transaction=True)
def test_kpis_text_table(cli_org, capsys):
    assert (
        main(
            [
                "kpis",
                "--org",
                "desk",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-07",
                "--channel",
                "phone",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert re.search(r"Contacts\s+1\n", out)
    assert re.search(r"Service level\s+100\.0 %", out)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nowhere", "--from", "2026-03-01", "--to", "2026-03-02"], "nowhere"),
        (["--org", "desk", "--from", "2026-02-30", "--to", "2026-03-02"], "--from"),
        (["--org", "desk", "--from", "2026-03-05", "--to", "2026-03-02"], "before"),
        (["--org", "desk", "--from", "2026-03-01", "--to", "2026-03-02", "--agent", "zed"], "zed"),
        (["--org", "desk", "--from", "2026-01-01", "--to", "9999-12-31"], "2100-12-31"),
        (["--org", "desk", "--from", "0001-01-01", "--to", "2026-12-31"], "1900-01-01"),
        # 2025-01-31 .. 2026-03-07 is 401 days; by day at most 400.
        (
            ["--org", "desk", "--from", "2025-01-31", "--to", "2026-03-07", "--by", "day"],
            "at most 400 days",
        ),
        # 2021-03-07 .. 2026-03-08 is 1,828 days; in total at most 1,827.
        (["--org", "desk", "--from", "2021-03-07", "--to", "2026-03-08"], "at most 1827 days"),
    ],
)
def test_kpis_bad_arguments_exit_2(cli_org, capsys, args, message):
    assert main(["kpis", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.django_db(transaction=True)
def test_kpis_reads_hijri_dates_for_a_hijri_organisation(cli_org, capsys):
    # Umm al-Qura: 1 Ramadan 1447 was 18 February 2026, so 12–18 Ramadan are 1–7 March.
    cli_org.calendar = "hijri"
    cli_org.save(update_fields=["calendar"])
    args = ["kpis", "--org", "desk", "--from", "١٤٤٧/٩/١٢", "--to", "1447.09.18", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["from"], out["to"]) == ("2026-03-01", "2026-03-07")
    assert out["kpis"]["contacts"] == 2
