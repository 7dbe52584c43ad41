"""Erlang B/C/A, chat and deferred-work staffing: reference cases, invariants, independent checks."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from goaldesk.engine.erlang import (
    average_speed_of_answer,
    deferred_agents,
    deferred_requirements,
    erlang_a,
    erlang_b,
    erlang_c,
    required_agents,
    requirements_for_intervals,
    service_level,
    with_shrinkage,
)
from goaldesk.engine.errors import InputError


def erlang_c_by_factorials(n: int, a: int) -> Fraction:
    """Textbook Erlang C with exact rational arithmetic (independent of the recursion)."""
    top = Fraction(a**n, math.factorial(n)) * Fraction(n, n - a)
    bottom = sum(Fraction(a**k, math.factorial(k)) for k in range(n)) + top
    return top / bottom


# --- reference cases ---------------------------------------------------------------------


def test_textbook_example_100_calls_in_30_minutes_aht_180_needs_14_agents():
    # Traffic = 100 × 180 s / 1800 s = 10 Erlangs. Exact Erlang C with factorials:
    # n = 13: P(wait) = 0.28527, SL = 1 - 0.28527·e^(-3·20/180) = 0.7956 < 0.80
    # n = 14: P(wait) = 0.17413, SL = 1 - 0.17413·e^(-4·20/180) = 0.8884 ≥ 0.80
    # ASA at 14 = 0.17413 × 180 / 4 = 7.84 s; occupancy 10 / 14 = 71.4 %.
    for n in (13, 14):
        expected = float(erlang_c_by_factorials(n, 10))
        assert erlang_c(n, 10.0) == pytest.approx(expected, rel=1e-12)
    assert float(erlang_c_by_factorials(14, 10)) == pytest.approx(0.17413, abs=1e-5)
    result = required_agents(
        volume=100, interval_minutes=30, aht_seconds=180, target_sl=0.8, target_seconds=20
    )
    assert result.agents == 14
    assert result.offered_load == pytest.approx(10.0)
    p_wait = float(erlang_c_by_factorials(14, 10))
    assert result.p_wait == pytest.approx(p_wait, rel=1e-12)
    assert result.service_level == pytest.approx(1 - p_wait * math.exp(-4 * 20 / 180), rel=1e-12)
    assert result.asa_seconds == pytest.approx(p_wait * 180 / 4, rel=1e-12)
    assert result.occupancy == pytest.approx(10 / 14)
    assert result.p_abandon is None
    assert service_level(13, 10.0, aht_seconds=180, target_seconds=20) < 0.8


def test_mm1_has_closed_forms():
    # M/M/1: P(wait) = ρ, ASA = ρ/(1-ρ) × AHT.
    assert erlang_c(1, 0.5) == pytest.approx(0.5)
    assert average_speed_of_answer(1, 0.5, aht_seconds=60) == pytest.approx(60.0)
    assert erlang_b(1, 1.0) == pytest.approx(0.5)  # a / (1 + a)


def test_shrinkage_and_occupancy_cap():
    # 14 agents before shrinkage; 30 % shrinkage: ceil(14 / 0.7) = 20.
    result = required_agents(
        volume=100,
        interval_minutes=30,
        aht_seconds=180,
        target_sl=0.8,
        target_seconds=20,
        shrinkage=0.3,
    )
    assert (result.agents, result.agents_with_shrinkage) == (14, 20)
    assert with_shrinkage(8, 0.2) == 10  # not 11 through rounding noise
    # Occupancy at most 60 %: 10 / 0.6 = 16.7 → 17 agents, more than the SL needs.
    capped = required_agents(
        volume=100,
        interval_minutes=30,
        aht_seconds=180,
        target_sl=0.8,
        target_seconds=20,
        max_occupancy=0.6,
    )
    assert capped.agents == 17
    assert capped.occupancy == pytest.approx(10 / 17)


def test_thousands_of_erlangs_do_not_overflow():
    # 10,000 Erlangs: factorials would overflow a float long before this.
    result = required_agents(
        volume=100_000, interval_minutes=30, aht_seconds=180, target_sl=0.8, target_seconds=20
    )
    assert result.offered_load == pytest.approx(10_000)
    assert 10_000 < result.agents < 10_100
    assert 0.8 <= result.service_level < 0.9
    below = service_level(result.agents - 1, 10_000.0, aht_seconds=180, target_seconds=20)
    assert below < 0.8


def test_zero_volume_needs_nobody():
    result = required_agents(
        volume=0, interval_minutes=15, aht_seconds=300, target_sl=0.8, target_seconds=20
    )
    assert (result.agents, result.agents_with_shrinkage, result.service_level) == (0, 0, 1.0)


def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match="aht_seconds"):
        required_agents(
            volume=10, interval_minutes=30, aht_seconds=0, target_sl=0.8, target_seconds=20
        )
    with pytest.raises(ValueError, match="target_sl"):
        required_agents(
            volume=10, interval_minutes=30, aht_seconds=60, target_sl=1.5, target_seconds=20
        )
    with pytest.raises(ValueError, match="Interval 3"):
        requirements_for_intervals(
            [1, 2, -3], interval_minutes=30, aht_seconds=60, target_sl=0.8, target_seconds=20
        )


@pytest.mark.parametrize(
    ("changes", "field", "code", "value"),
    [
        ({"aht_seconds": 0}, "aht_seconds", "positive", 0),
        ({"target_sl": 1.5}, "target_sl", "fraction", 1.5),
        ({"shrinkage": 1.0}, "shrinkage", "fraction", 1.0),
        ({"max_occupancy": 0.0}, "max_occupancy", "fraction", 0.0),
        ({"target_seconds": -1}, "target_seconds", "non_negative", -1),
        ({"volume": -2}, "volume", "non_negative", -2),
        ({"interval_minutes": 0}, "interval_minutes", "positive", 0),
        ({"patience_seconds": -5}, "patience_seconds", "positive", -5),
        ({"concurrency": 0}, "concurrency", "whole_at_least_one", 0),
        ({"patience_seconds": 60, "concurrency": 2}, "patience_seconds", "patience_with_concurrency", None),
    ],
)  # fmt: skip
def test_bad_input_is_typed(changes, field, code, value):
    arguments = {"volume": 10, "interval_minutes": 30, "aht_seconds": 60, "target_sl": 0.8,
                 "target_seconds": 20} | changes  # fmt: skip
    with pytest.raises(InputError) as caught:
        required_agents(**arguments)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert caught.value.params.get("value") == value
    assert isinstance(caught.value, ValueError)  # engine-only callers catch ValueError


def test_each_interval_is_checked_with_its_number():
    with pytest.raises(InputError) as caught:
        requirements_for_intervals(
            [1, 2, 3], interval_minutes=30, aht_seconds=[60, 0, 60], target_sl=0.8,
            target_seconds=20,
        )  # fmt: skip
    assert (caught.value.field, caught.value.code) == ("aht_seconds", "interval_not_positive")
    assert caught.value.params["interval"] == 2
    assert str(caught.value) == "Interval 2: aht_seconds must be positive, got 0.0."


def test_patience_is_checked_for_whole_files_too():
    with pytest.raises(InputError, match="patience_seconds"):
        requirements_for_intervals(
            [1], interval_minutes=30, aht_seconds=60, target_sl=0.8, target_seconds=20,
            patience_seconds=0,
        )  # fmt: skip


# --- chat and deferred work ------------------------------------------------------------------


def test_chat_with_concurrency_staffs_slots():
    # 100 chats in 30 min, 180 s each = 10 Erlangs of chat. With 3 chats per agent the slots
    # behave like 3n Erlang C servers: 15 slots give SL 94.1 % (14 would give 88.8 % too, but
    # 14 slots is not a whole number of agents), so 5 agents.
    result = required_agents(
        volume=100,
        interval_minutes=30,
        aht_seconds=180,
        target_sl=0.8,
        target_seconds=20,
        concurrency=3,
    )
    assert result.agents == 5
    p_wait = float(erlang_c_by_factorials(15, 10))
    assert result.p_wait == pytest.approx(p_wait, rel=1e-12)
    assert result.service_level == pytest.approx(1 - p_wait * math.exp(-5 * 20 / 180))
    assert result.occupancy == pytest.approx(10 / 15)
    assert result.model == "chat"


def test_deferred_single_interval_by_workload():
    # 90 e-mails × 240 s = 21,600 s of work in 1 hour at 80 % occupancy: 21600/2880 = 7.5 → 8.
    result = deferred_agents(volume=90, interval_minutes=60, aht_seconds=240, max_occupancy=0.8)
    assert result.agents == 8
    assert result.occupancy == pytest.approx(6 / 8)


def test_deferred_night_backlog_is_levelled_over_the_response_target():
    # Worked by hand: 40 e-mails arrive overnight (6 min each = 4 h of work); the desk opens
    # 09:00-17:00 in hourly intervals, target 4 h, occupancy 0.8. Everything is due by 13:00,
    # so 4 / 0.8 = 5 agent-hours over 4 hours = 1.25 agents; whole agents on the running total:
    # 2 (09-10), 1, 1, 1, then nobody. Rounding each hour up would have asked for 8 agent-hours.
    mask = [False, False] + [True] * 8  # 07:00, 08:00 closed; 09:00-17:00 open
    result = deferred_requirements(
        [20, 20] + [0] * 8,
        interval_minutes=60,
        aht_seconds=360,
        response_seconds=4 * 3600,
        max_occupancy=0.8,
        open_mask=mask,
    )
    assert result.agents.tolist() == [0, 0, 2, 1, 1, 1, 0, 0, 0, 0]
    assert result.occupancy[2:6].tolist() == pytest.approx([0.8] * 4)
    # 30 % shrinkage: 5 / 0.7 = 7.1 person-hours, 1.79 an hour → 2, 2, 2, 2.
    gross = deferred_requirements(
        [20, 20] + [0] * 8,
        interval_minutes=60,
        aht_seconds=360,
        response_seconds=4 * 3600,
        max_occupancy=0.8,
        shrinkage=0.3,
        open_mask=mask,
    )
    assert gross.agents_with_shrinkage.tolist() == [0, 0, 2, 2, 2, 2, 0, 0, 0, 0]


def test_deferred_target_counts_open_time_across_a_closed_hour():
    # 30 e-mails × 600 s = 5 h of work, 2-hour target: due after two open hours. With the
    # second hour closed those are hours 1 and 3 → 2.5 agents each → 3 then 2 on the running total.
    result = deferred_requirements(
        [30, 0, 0, 0],
        interval_minutes=60,
        aht_seconds=600,
        response_seconds=7200,
        open_mask=[True, False, True, True],
    )
    assert result.agents.tolist() == [3, 0, 2, 0]


def test_deferred_total_is_work_over_occupancy_within_rounding():
    # A random week of 15-minute intervals open 09:00-17:00: whatever the arrivals, the plan's
    # agent-hours are the work's hours / occupancy (÷ (1 - shrinkage) for people) plus at most
    # one agent per change of level, and the peak stays far below the old opening spike.
    rng = np.random.default_rng(7)
    mask = np.tile([False] * 36 + [True] * 32 + [False] * 28, 7)
    volumes = rng.poisson(3, mask.size).astype(float)
    volumes[-28:] = 0  # after the last closing: next week's backlog
    result = deferred_requirements(
        volumes,
        interval_minutes=15,
        aht_seconds=300,
        response_seconds=4 * 3600,
        max_occupancy=0.85,
        shrinkage=0.3,
        open_mask=mask,
    )
    work_hours = volumes.sum() * 300 / 3600
    agent_hours = result.agents.sum() / 4
    people_hours = result.agents_with_shrinkage.sum() / 4
    assert work_hours / 0.85 <= agent_hours <= work_hours / 0.85 * 1.02
    assert work_hours / 0.85 / 0.7 <= people_hours <= work_hours / 0.85 / 0.7 * 1.02
    assert result.agents[~mask].sum() == 0
    assert np.all(result.occupancy <= 0.85 + 1e-9)


# --- Erlang A -------------------------------------------------------------------------------


def _expm(matrix: np.ndarray) -> np.ndarray:
    norm = float(np.abs(matrix).sum(axis=1).max())
    squarings = max(0, math.ceil(math.log2(norm)) + 1) if norm > 0 else 0
    scaled = matrix / 2**squarings
    result = np.eye(len(matrix))
    term = np.eye(len(matrix))
    for k in range(1, 30):
        term = term @ scaled / k
        result = result + term
    for _ in range(squarings):
        result = result @ result
    return result


def erlang_a_by_markov_chain(n, a, aht, patience, t, queue_cap=150):
    """Independent Erlang A: truncated birth–death chain + the tagged caller's absorbing chain."""
    lam, mu, theta = a / aht, 1 / aht, 1 / patience
    size = n + queue_cap
    weights = [1.0]
    for k in range(1, size + 1):
        death = k * mu if k <= n else n * mu + (k - n) * theta
        weights.append(weights[-1] * lam / death)
    pi = np.array(weights) / sum(weights)
    p_wait = float(pi[n:].sum())
    p_abandon = sum(pi[k] * (k - n) * theta for k in range(n + 1, size + 1)) / lam
    # Tagged caller with i ahead: states 0..J-1, J = answered, J+1 = abandoned.
    big_j = queue_cap
    q = np.zeros((big_j + 2, big_j + 2))
    for i in range(big_j):
        if i > 0:
            q[i, i - 1] = n * mu + i * theta
        else:
            q[i, big_j] = n * mu
        q[i, big_j + 1] = theta
        q[i, i] = -q[i].sum()
    absorbed = _expm(q * t)
    sl = float(pi[:n].sum()) + sum(pi[n + j] * absorbed[j, big_j] for j in range(big_j))
    # Mean wait of answered callers: E[T; answered] = e_j' N² r with N = (-Q_transient)^-1.
    fundamental = np.linalg.inv(-q[:big_j, :big_j])
    rate_answered = q[:big_j, big_j]
    waited = fundamental @ fundamental @ rate_answered
    answered = fundamental @ rate_answered
    total_wait = sum(pi[n + j] * waited[j] for j in range(big_j))
    p_answered = float(pi[:n].sum()) + sum(pi[n + j] * answered[j] for j in range(big_j))
    return p_wait, p_abandon, sl, total_wait / p_answered


@pytest.mark.parametrize(
    ("n", "a", "aht", "patience", "t"),
    [(3, 2.5, 60, 30, 20), (14, 10, 180, 120, 20), (10, 12, 180, 60, 30), (1, 0.5, 100, 400, 5)],
)
def test_erlang_a_matches_an_independent_markov_chain(n, a, aht, patience, t):
    p_wait, p_abandon, sl, asa = erlang_a_by_markov_chain(n, a, aht, patience, t)
    metrics = erlang_a(n, a, aht_seconds=aht, patience_seconds=patience, target_seconds=t)
    assert metrics.p_wait == pytest.approx(p_wait, rel=1e-9)
    assert metrics.p_abandon == pytest.approx(p_abandon, rel=1e-9)
    assert metrics.service_level == pytest.approx(sl, rel=1e-9)
    assert metrics.asa_seconds == pytest.approx(asa, rel=1e-7)


def test_erlang_a_with_tiny_patience_is_erlang_b():
    # Callers who never wait: those finding every agent busy leave, as in Erlang B.
    metrics = erlang_a(5, 4.0, aht_seconds=100, patience_seconds=1e-6, target_seconds=20)
    assert metrics.p_abandon == pytest.approx(erlang_b(5, 4.0), rel=1e-4)
    assert metrics.service_level == pytest.approx(1 - erlang_b(5, 4.0), rel=1e-4)


def test_erlang_a_needs_fewer_agents_than_erlang_c_and_stays_above_load():
    common = {
        "volume": 100,
        "interval_minutes": 30,
        "aht_seconds": 180,
        "target_sl": 0.8,
        "target_seconds": 20,
    }
    result_a = required_agents(**common, patience_seconds=120)
    assert 10 <= result_a.agents <= 14
    assert result_a.p_abandon is not None and 0 < result_a.p_abandon < 0.2
    # Overloaded: 20 Erlangs, SL 50 % in 60 s with short patience still gets ≥ 20 agents.
    heavy = required_agents(
        volume=200,
        interval_minutes=30,
        aht_seconds=180,
        target_sl=0.5,
        target_seconds=60,
        patience_seconds=10,
    )
    assert heavy.agents >= 20


# --- invariants (Hypothesis) -------------------------------------------------------------------

traffic_st = st.floats(min_value=0.05, max_value=800, allow_nan=False)
aht_st = st.floats(min_value=10, max_value=1200)
target_st = st.floats(min_value=0, max_value=120)


@settings(max_examples=150, deadline=None)
@given(traffic=traffic_st, aht=aht_st, target=target_st, extra=st.integers(1, 40))
def test_service_level_never_falls_when_an_agent_is_added(traffic, aht, target, extra):
    n = math.floor(traffic) + extra
    low = service_level(n, traffic, aht_seconds=aht, target_seconds=target)
    high = service_level(n + 1, traffic, aht_seconds=aht, target_seconds=target)
    assert high >= low - 1e-12
    assert 0 <= low <= 1


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(min_value=0.05, max_value=200),
    patience=st.floats(min_value=5, max_value=600),
    target=target_st,
    extra=st.integers(-3, 15),
)
def test_erlang_a_service_level_never_falls_when_an_agent_is_added(
    traffic, patience, target, extra
):
    n = max(1, math.ceil(traffic) + extra)
    kwargs = {"aht_seconds": 180, "patience_seconds": patience, "target_seconds": target}
    low = erlang_a(n, traffic, **kwargs)
    high = erlang_a(n + 1, traffic, **kwargs)
    assert high.service_level >= low.service_level - 1e-9
    assert high.p_abandon <= low.p_abandon + 1e-9


@settings(max_examples=60, deadline=None)
@given(traffic=st.floats(min_value=0.05, max_value=300), target=target_st, extra=st.integers(1, 25))
def test_erlang_a_with_endless_patience_is_erlang_c(traffic, target, extra):
    n = math.floor(traffic) + extra
    # Within a hair of saturation (utilisation above 99%) the queue grows without practical bound
    # and any finite state space truncates it; staffing never operates there.
    assume(traffic / n <= 0.99)
    aht = 180.0
    # 1e14 s: near saturation even 1e10 s of patience still measurably shortens the queue.
    metrics = erlang_a(n, traffic, aht_seconds=aht, patience_seconds=1e14, target_seconds=target)
    p_wait_c = erlang_c(n, traffic)
    assert metrics.p_wait == pytest.approx(p_wait_c, abs=1e-6)
    sl_c = service_level(n, traffic, aht_seconds=aht, target_seconds=target)
    assert metrics.service_level == pytest.approx(sl_c, abs=1e-6)
    asa_c = average_speed_of_answer(n, traffic, aht_seconds=aht)
    assert metrics.asa_seconds == pytest.approx(asa_c, rel=1e-4, abs=1e-6)
    assert metrics.p_abandon == pytest.approx(0, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(
    volume=st.floats(min_value=0.1, max_value=20_000),
    aht=aht_st,
    target_sl=st.floats(min_value=0.05, max_value=0.99),
    target=target_st,
    max_occupancy=st.floats(min_value=0.5, max_value=1.0),
)
def test_requirement_is_minimal_and_above_the_offered_load(
    volume, aht, target_sl, target, max_occupancy
):
    result = required_agents(
        volume=volume,
        interval_minutes=30,
        aht_seconds=aht,
        target_sl=target_sl,
        target_seconds=target,
        max_occupancy=max_occupancy,
    )
    traffic = volume * aht / 1800
    assert result.agents > traffic
    assert result.service_level >= target_sl
    assert result.occupancy <= max_occupancy + 1e-12
    fewer = result.agents - 1
    if fewer > traffic and traffic / fewer <= max_occupancy:
        assert service_level(fewer, traffic, aht_seconds=aht, target_seconds=target) < target_sl


@settings(max_examples=40, deadline=None)
@given(
    volumes=st.lists(st.floats(min_value=0, max_value=5000), min_size=1, max_size=30),
    aht=aht_st,
    target_sl=st.floats(min_value=0.05, max_value=0.99),
    shrinkage=st.floats(min_value=0, max_value=0.5),
)
def test_vectorised_path_equals_one_at_a_time(volumes, aht, target_sl, shrinkage):
    batch = requirements_for_intervals(
        volumes,
        interval_minutes=15,
        aht_seconds=aht,
        target_sl=target_sl,
        target_seconds=20,
        shrinkage=shrinkage,
        max_occupancy=0.9,
    )
    for i, volume in enumerate(volumes):
        single = required_agents(
            volume=volume,
            interval_minutes=15,
            aht_seconds=aht,
            target_sl=target_sl,
            target_seconds=20,
            shrinkage=shrinkage,
            max_occupancy=0.9,
        )
        row = batch.row(i)
        assert (row.agents, row.agents_with_shrinkage) == (
            single.agents,
            single.agents_with_shrinkage,
        )
        assert row.service_level == pytest.approx(single.service_level)


def test_vectorised_erlang_a_path():
    batch = requirements_for_intervals(
        [0, 100, 400],
        interval_minutes=30,
        aht_seconds=180,
        target_sl=0.8,
        target_seconds=20,
        patience_seconds=120,
    )
    assert batch.agents[0] == 0
    assert batch.p_abandon is not None
    assert batch.agents[2] > batch.agents[1] >= 10
