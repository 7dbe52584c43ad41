"""`goaldesk team ranking` on hand-built interactions: small samples never win."""

import datetime as dt
import json

import pytest
from django.utils import translation

from goaldesk.cli import main
from goaldesk.metrics.catalogue import metric
from goaldesk.metrics.ranking import agents_ranking, rankable_kind
from tests.factories import AgentFactory
from tests.metrics.conftest import at, make_interaction

PERIOD = ["--from", "2026-03-01", "--to", "2026-03-31"]


@pytest.fixture
def ranked_org(desk):
    """ "two@x": 2 of 2 satisfied (CSAT 5); "many@x": 95 of 100 (95 × CSAT 5, 5 × CSAT 2);
    "none@x": one contact without CSAT; one contact with no agent (CSAT 1, left out)."""
    two = AgentFactory(organisation=desk, key="two@x", name="Tina")
    many = AgentFactory(organisation=desk, key="many@x", name="Mani")
    none = AgentFactory(organisation=desk, key="none@x", name="Nora")
    start = at("2026-03-02", "09:00")
    for i in range(2):
        make_interaction(desk, agent=two, created_at=start + dt.timedelta(hours=i), csat=5)
    for i in range(100):
        make_interaction(
            desk, agent=many, created_at=start + dt.timedelta(hours=i), csat=5 if i < 95 else 2
        )
    make_interaction(desk, agent=none, created_at=start)
    make_interaction(desk, agent=None, created_at=start, csat=1)
    # Outside the period: would make "two@x" 12 of 12 if it counted.
    for i in range(10):
        make_interaction(
            desk, agent=two, created_at=at("2026-04-02") + dt.timedelta(hours=i), csat=5
        )
    return desk


@pytest.mark.django_db(transaction=True)
def test_ninety_five_of_a_hundred_rank_first_two_of_two_not_ranked(ranked_org, capsys):
    assert (
        main(["team", "ranking", "--org", "desk", *PERIOD, "--metric", "csat_pct", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    # Wilson lower bounds (z = 1.96, see tests/engine/test_ranking.py): 95 of 100 → 0.888249,
    # 2 of 2 → 2 / 5.8416 = 0.342372; shown in % like the metric.
    assert [(e["agent"], e["rank"], e["sample"]) for e in out] == [
        ("many@x", 1, 100),
        ("two@x", None, 2),
        ("none@x", None, 0),
    ]
    assert out[0]["value"] == pytest.approx(95.0)
    assert out[0]["bound"] == pytest.approx(88.8249, abs=1e-3)
    assert out[1]["value"] == pytest.approx(100.0)
    assert out[1]["bound"] == pytest.approx(34.2372, abs=1e-3)
    assert out[2]["value"] is None and out[2]["bound"] is None


@pytest.mark.django_db(transaction=True)
def test_a_mean_ranks_by_the_bayesian_average(ranked_org):
    # csat_avg: two@x mean 5 (n 2), many@x (95·5 + 5·2) / 100 = 485 / 100 = 4.85 (n 100).
    # Team mean (agents only): (10 + 485) / 102 = 4.852941; many@x's average:
    # (485 + 10 · 4.852941) / 110 = 533.52941 / 110 = 4.850267.
    ranking = agents_ranking(
        organisation=ranked_org,
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 3, 31),
        key="csat_avg",
    )
    assert ranking.kind == "mean"
    first = ranking.entries[0]
    assert (first.key, first.rank, first.sample) == ("many@x", 1, 100)
    assert first.value == pytest.approx(4.85)
    assert first.bound == pytest.approx(4.850267, abs=1e-6)
    assert [(e.key, e.rank) for e in ranking.entries[1:]] == [("two@x", None), ("none@x", None)]


@pytest.mark.django_db(transaction=True)
def test_text_table(ranked_org, capsys):
    assert main(["team", "ranking", "--org", "desk", *PERIOD, "--metric", "csat_pct"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Desk  2026-03-01 – 2026-03-31"
    header = lines.index(next(line for line in lines if line.startswith("Rank")))
    assert lines[header].split() == ["Rank", "Agent", "Value", "Bound", "Sample"]
    assert lines[header + 1].split() == ["1", "Mani", "(many@x)", "95.0", "%", "88.8", "%", "100"]
    assert lines[header + 2].startswith("Not enough data")
    assert "(two@x)" in lines[header + 2] and lines[header + 2].endswith(" 2")


def test_which_metrics_can_be_ranked():
    assert rankable_kind(metric("csat_pct")) == "proportion"
    assert rankable_kind(metric("abandon_rate")) == "proportion"
    assert rankable_kind(metric("ces_avg")) == "mean"
    assert rankable_kind(metric("first_response_seconds")) == "mean"
    # A count, a difference of shares and a metric without a better direction cannot be.
    assert rankable_kind(metric("contacts")) is None
    assert rankable_kind(metric("nps")) is None
    assert rankable_kind(metric("aht_seconds")) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nowhere", *PERIOD, "--metric", "csat_pct"], "nowhere"),
        (["--org", "desk", *PERIOD, "--metric", "nope"], "nope"),
        (["--org", "desk", *PERIOD, "--metric", "contacts"], "cannot be ranked"),
        (
            ["--org", "desk", "--from", "2026-02-30", "--to", "2026-03-02", "--metric", "csat_pct"],
            "--from",
        ),
        (
            ["--org", "desk", "--from", "2026-03-05", "--to", "2026-03-02", "--metric", "csat_pct"],
            "before",
        ),
    ],
)
def test_bad_arguments_exit_2(desk, capsys, args, message):
    assert main(["team", "ranking", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.django_db(transaction=True)
def test_a_time_ranks_lowest_first_through_the_breakdown_by_agent(desk, capsys):
    # first_response_seconds (lower is better): fast@x 10 replies of 60 s; slow@x 10 of 600 s;
    # once@x 1 of 1 s. Team mean: (600 + 6000 + 1) / 21 = 314.333; Bayesian averages:
    # fast (600 + 3143.33) / 20 = 187.167, slow (6000 + 3143.33) / 20 = 457.167; once too few.
    start = at("2026-03-02", "09:00")
    for key, seconds, count in (("slow@x", 600, 10), ("fast@x", 60, 10), ("once@x", 1, 1)):
        agent = AgentFactory(organisation=desk, key=key, name=key)
        for i in range(count):
            created = start + dt.timedelta(hours=i)
            make_interaction(
                desk,
                agent=agent,
                created_at=created,
                first_response_at=created + dt.timedelta(seconds=seconds),
            )
    args = ["team", "ranking", "--org", "desk", *PERIOD, "--metric", "first_response_seconds"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(e["agent"], e["rank"], e["sample"]) for e in out] == [
        ("fast@x", 1, 10),
        ("slow@x", 2, 10),
        ("once@x", None, 1),
    ]
    assert out[0]["value"] == pytest.approx(60.0)
    assert out[0]["bound"] == pytest.approx(187.1667, abs=1e-3)
    assert out[1]["bound"] == pytest.approx(457.1667, abs=1e-3)


@pytest.mark.django_db(transaction=True)
def test_the_table_is_in_the_readers_language(ranked_org, capsys):
    with translation.override("de"):
        assert main(["team", "ranking", "--org", "desk", *PERIOD, "--metric", "csat_pct"]) == 0
    out = capsys.readouterr().out
    assert "Wert" in out  # "Value"
    assert "Nicht genug Daten" in out  # "Not enough data"
