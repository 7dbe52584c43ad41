"""Staffing maths: Erlang B, Erlang C, Erlang A, chat with concurrency and deferred work.

Units: handle times, answer-time targets and patience in seconds; interval lengths in minutes;
traffic (offered load) in Erlangs = calls per interval × AHT / interval seconds.

Method notes (docs repeat them for users):

* **Erlang C** (M/M/n, callers wait forever). P(wait) comes from the Erlang B recursion
  B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)) and C = n·B / (n - a·(1 - B)). No factorials or
  powers, so it is exact to rounding at thousands of Erlangs. Service level
  SL(t) = 1 - C·exp(-(n - a)·t / AHT), ASA = C·AHT / (n - a), occupancy = a / n. Only defined
  for n > a; with n ≤ a the queue grows without bound (SL 0, ASA infinite, P(wait) 1).
* **Erlang A** (M/M/n+M, callers abandon after an exponential patience with the given mean).
  The birth–death chain is summed directly: with x = n·patience/AHT and y = a·patience/AHT the
  queue-state weights are t_j = y^j / ((x+1)…(x+j)), summed in logarithms (this is Palm's
  function A(x, y) = 1 + Σ t_j, so P(wait) = A·B / (1 + (A - 1)·B) as in Mandelbaum & Zeltyn).
  A caller who finds j others queued is answered with probability x / (x + j + 1) and, if
  answered, within t seconds with probability I_p(j + 1, x + 1), p = 1 - exp(-t/patience)
  (a regularised incomplete beta, computed as one minus a negative-binomial cumulative sum).
  **Service level counts answered-within-t over all offered calls, abandoned ones included**
  (METRICS.md's definition); ASA is the mean wait of answered calls; occupancy is answered
  load / n. With endless patience this is Erlang C.
* **Chat with concurrency k**: each agent holds k chat slots; a chat occupies a slot for its
  handle time (the AHT measured while agents multitask). We model M/M/(n·k) on slots — a chat
  waits only when every slot of every agent is taken — and report agents = slots / k. This is
  more faithful than dividing AHT by k, which would pretend one chat is served k times faster.
  Occupancy is the share of slots in use.
* **Deferred work** (e-mail, web forms, social): no queueing formula; work (volume × AHT) may be
  done any time within the response-time target, counted in open time, so the night's backlog
  is due that long after opening. The plan is the steadiest work rate meeting every due time
  (critical windows, Yao–Demers–Shenker), in agents = rate / (interval seconds × max
  occupancy), rounded to whole agents on the running total: total agent-hours = work hours /
  occupancy plus the rounding to whole agents (see `deferred_requirements`). One interval alone
  (`deferred_agents`): ceil(workload / (interval seconds × max occupancy)).
* **Requirement**: the smallest number of agents meeting the service-level target and the
  maximum occupancy; never below the offered load (strictly above for Erlang C, for which
  staffing at or below the load is unstable). Shrinkage then grosses it up:
  agents_with_shrinkage = ceil(agents / (1 - shrinkage)). Zero volume needs zero agents.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from goaldesk.engine.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Below this log-weight (relative to the largest) an Erlang A queue state is negligible.
_LOG_NEGLIGIBLE = -45.0


# --- validation ---------------------------------------------------------------------------


def _check_positive(value: float, name: str) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise InputError(name, "positive", value=value)


def _check_non_negative(value: float, name: str) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise InputError(name, "non_negative", value=value)


def _check_fraction(value: float, name: str, *, allow_zero: bool, allow_one: bool) -> None:
    low_ok = value >= 0 if allow_zero else value > 0
    high_ok = value <= 1 if allow_one else value < 1
    if not (isinstance(value, int | float) and low_ok and high_ok):
        low = "[0" if allow_zero else "(0"
        high = "1]" if allow_one else "1)"
        raise InputError(name, "fraction", value=value, low=low, high=high)


def _check_servers(servers: int) -> None:
    if not isinstance(servers, int | np.integer) or servers < 0:
        raise InputError("servers", "whole_non_negative", value=servers)


def check_staffing_inputs(
    *,
    interval_minutes: float,
    aht_seconds: float | None,
    target_sl: float,
    target_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience_seconds: float | None = None,
    concurrency: int = 1,
    volume: float | None = None,
) -> None:
    """Raise `InputError` for the first staffing input that cannot be used; return None if all can.

    The one set of rules `required_agents` and `requirements_for_intervals` apply; callers that
    want to refuse input before reading a file call it first. `aht_seconds` and `volume` are
    left out (None) where they come one per interval.
    """
    _check_fraction(target_sl, "target_sl", allow_zero=True, allow_one=False)
    _check_fraction(shrinkage, "shrinkage", allow_zero=True, allow_one=False)
    _check_fraction(max_occupancy, "max_occupancy", allow_zero=False, allow_one=True)
    if aht_seconds is not None:
        _check_positive(aht_seconds, "aht_seconds")
    _check_non_negative(target_seconds, "target_seconds")
    _check_positive(interval_minutes, "interval_minutes")
    if patience_seconds is not None:
        _check_positive(patience_seconds, "patience_seconds")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InputError("concurrency", "whole_at_least_one", value=concurrency)
    if patience_seconds is not None and concurrency > 1:
        raise InputError("patience_seconds", "patience_with_concurrency")
    if volume is not None:
        _check_non_negative(volume, "volume")


# --- Erlang B and C -----------------------------------------------------------------------


def offered_load(*, volume: float, interval_minutes: float, aht_seconds: float) -> float:
    """Traffic in Erlangs: contacts per interval × AHT seconds / interval seconds."""
    _check_non_negative(volume, "volume")
    _check_positive(interval_minutes, "interval_minutes")
    _check_positive(aht_seconds, "aht_seconds")
    return volume * aht_seconds / (interval_minutes * 60.0)


def erlang_b(servers: int, traffic: float) -> float:
    """Erlang B blocking probability for `servers` and `traffic` Erlangs (stable recursion)."""
    _check_servers(servers)
    _check_non_negative(traffic, "traffic")
    blocking = 1.0
    for k in range(1, int(servers) + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def _erlang_c_from_b(servers: int, traffic: float, blocking: float) -> float:
    if servers <= traffic:
        return 1.0
    return servers * blocking / (servers - traffic * (1.0 - blocking))


def erlang_c(servers: int, traffic: float) -> float:
    """Erlang C probability that a caller waits (1.0 when servers ≤ traffic)."""
    return _erlang_c_from_b(servers, traffic, erlang_b(servers, traffic))


def _erlang_c_metrics(
    servers: int, traffic: float, blocking: float, *, aht_seconds: float, target_seconds: float
) -> tuple[float, float, float, float]:
    """(service level, ASA seconds, occupancy, P(wait)) for Erlang C given B(servers, traffic)."""
    if traffic == 0:
        return 1.0, 0.0, 0.0, 0.0
    if servers <= traffic:
        return 0.0, math.inf, 1.0, 1.0
    p_wait = _erlang_c_from_b(servers, traffic, blocking)
    spare = servers - traffic
    sl = 1.0 - p_wait * math.exp(-spare * target_seconds / aht_seconds)
    return max(0.0, sl), p_wait * aht_seconds / spare, traffic / servers, p_wait


def service_level(
    servers: int, traffic: float, *, aht_seconds: float, target_seconds: float
) -> float:
    """Erlang C share of callers answered within `target_seconds` (0..1)."""
    _check_positive(aht_seconds, "aht_seconds")
    _check_non_negative(target_seconds, "target_seconds")
    b = erlang_b(servers, traffic)
    return _erlang_c_metrics(
        servers, traffic, b, aht_seconds=aht_seconds, target_seconds=target_seconds
    )[0]


def average_speed_of_answer(servers: int, traffic: float, *, aht_seconds: float) -> float:
    """Erlang C mean wait in seconds over all callers (infinite when servers ≤ traffic)."""
    _check_positive(aht_seconds, "aht_seconds")
    b = erlang_b(servers, traffic)
    return _erlang_c_metrics(servers, traffic, b, aht_seconds=aht_seconds, target_seconds=0)[1]


def occupancy(servers: int, traffic: float) -> float:
    """Share of agents' time spent handling contacts (capped at 1)."""
    _check_servers(servers)
    if servers == 0:
        return 1.0 if traffic > 0 else 0.0
    return min(1.0, traffic / servers)


# --- Erlang A -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueMetrics:
    """Expected performance of a queue at a given number of agents (shares are 0..1)."""

    service_level: float
    asa_seconds: float
    occupancy: float
    p_wait: float
    p_abandon: float | None = None


def _queue_log_weights(x: float, y: float, y_minus_x: float) -> FloatArray:
    """log t_j, j = 0..J, with t_j = y^j / ((x+1)…(x+j)), up to where the tail is negligible.

    log(y / (x+j)) is taken as log1p((y - x - j) / (x + j)) with y - x passed in exactly, which
    keeps long patience (huge x and y) accurate.
    """
    chunks: list[FloatArray] = []
    start, last, peak = 1, 0.0, 0.0
    size = 256
    while True:
        j = np.arange(start, start + size, dtype=np.float64)
        logs = last + np.cumsum(np.log1p((y_minus_x - j) / (x + j)))
        chunks.append(logs)
        peak = max(peak, float(logs.max()))
        last = float(logs[-1])
        # Past the mode (ratio y/(x+j) < 1) and far below the peak: the rest is negligible.
        if x + start + size > y and last < peak + _LOG_NEGLIGIBLE:
            break
        start += size
        size *= 2
    return np.concatenate([np.zeros(1), *chunks])


def erlang_a(
    servers: int,
    traffic: float,
    *,
    aht_seconds: float,
    patience_seconds: float,
    target_seconds: float,
) -> QueueMetrics:
    """Erlang A (M/M/n+M) metrics at `servers` agents; see the module notes for definitions."""
    _check_servers(servers)
    _check_non_negative(traffic, "traffic")
    _check_positive(aht_seconds, "aht_seconds")
    _check_positive(patience_seconds, "patience_seconds")
    _check_non_negative(target_seconds, "target_seconds")
    if traffic == 0:
        return QueueMetrics(1.0, 0.0, 0.0, 0.0, 0.0)
    n = int(servers)
    x = n * patience_seconds / aht_seconds
    y = traffic * patience_seconds / aht_seconds
    blocking = erlang_b(n, traffic)
    log_t = _queue_log_weights(x, y, (traffic - n) * patience_seconds / aht_seconds)
    top = float(log_t.max())
    log_s = top + math.log(float(np.exp(log_t - top).sum()))
    if blocking <= 0.0:
        p_wait = 0.0
    elif blocking >= 1.0:
        p_wait = 1.0
    else:
        # P(wait) = B·S / (1 + B·(S - 1)), written to survive S overflowing a float.
        ratio = math.log1p(-blocking) - math.log(blocking) - log_s
        p_wait = 1.0 / (1.0 + math.exp(ratio)) if ratio < 700 else 0.0
    j = np.arange(log_t.size, dtype=np.float64)
    weights = p_wait * np.exp(log_t - log_s)  # P(an arrival finds j others queued)
    answered_given_j = x / (x + j + 1.0) if n > 0 else np.zeros_like(j)
    p_answered = (1.0 - p_wait) + float((weights * answered_given_j).sum())
    p_abandon = float((weights * (1.0 - answered_given_j)).sum())

    # Answered within t: regularised incomplete beta I_p(j+1, x+1) = 1 - NB-cdf(j; x+1, p).
    theta_t = target_seconds / patience_seconds
    if n == 0 or theta_t == 0:
        within = np.zeros_like(j)
    else:
        b = x + 1.0
        log_p = math.log(-math.expm1(-theta_t))
        log_pmf = -b * theta_t + np.concatenate(
            [np.zeros(1), np.cumsum(np.log((j[1:] - 1.0 + b) / j[1:]) + log_p)]
        )
        within = np.clip(1.0 - np.cumsum(np.exp(log_pmf)), 0.0, 1.0)
    sl = (1.0 - p_wait) + float((weights * answered_given_j * within).sum())

    # Mean wait of answered callers: given j ahead, E[V·1{answered}] = patience·x/(x+j+1)·Σ 1/(x+i).
    if n > 0 and p_answered > 0:
        harmonic = np.cumsum(1.0 / (x + j + 1.0))
        waited = patience_seconds * float((weights * answered_given_j * harmonic).sum())
        asa = waited / p_answered
    else:
        asa = math.inf
    occ = min(1.0, traffic * p_answered / n) if n > 0 else 1.0
    return QueueMetrics(
        service_level=min(1.0, max(0.0, sl)),
        asa_seconds=asa,
        occupancy=occ,
        p_wait=p_wait,
        p_abandon=min(1.0, max(0.0, p_abandon)),
    )


# --- requirement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingResult:
    """Agents needed for one interval and the expected performance with that many.

    `agents` is before shrinkage (people on the phones); `agents_with_shrinkage` the people to
    schedule. Shares (service level, occupancy, P(wait), P(abandon)) are 0..1; ASA in seconds.
    `p_abandon` is None except for Erlang A. `model` is erlang_c, erlang_a, chat or deferred.
    """

    agents: int
    agents_with_shrinkage: int
    offered_load: float
    service_level: float
    asa_seconds: float
    occupancy: float
    p_wait: float
    p_abandon: float | None
    model: str


def with_shrinkage(agents: int, shrinkage: float) -> int:
    """People to schedule so that `agents` remain after `shrinkage` (0..1) is taken off."""
    _check_fraction(shrinkage, "shrinkage", allow_zero=True, allow_one=False)
    # The small allowance keeps 8 / (1 - 0.2) = 10.000000000000002 at 10.
    return math.ceil(agents / (1.0 - shrinkage) - 1e-9)


def required_agents(
    *,
    volume: float,
    interval_minutes: float,
    aht_seconds: float,
    target_sl: float,
    target_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience_seconds: float | None = None,
    concurrency: int = 1,
) -> StaffingResult:
    """Smallest number of agents meeting `target_sl` within `target_seconds` and `max_occupancy`.

    Erlang C by default; Erlang A when `patience_seconds` is given; chat slots when
    `concurrency` > 1 (each agent handles that many contacts at once; Erlang C on slots).
    """
    check_staffing_inputs(
        volume=volume,
        interval_minutes=interval_minutes,
        aht_seconds=aht_seconds,
        target_sl=target_sl,
        target_seconds=target_seconds,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        patience_seconds=patience_seconds,
        concurrency=concurrency,
    )
    traffic = offered_load(
        volume=volume, interval_minutes=interval_minutes, aht_seconds=aht_seconds
    )
    if traffic == 0:
        model = "erlang_a" if patience_seconds is not None else "erlang_c"
        model = "chat" if concurrency > 1 else model
        p_abandon = 0.0 if patience_seconds is not None else None
        return StaffingResult(0, 0, 0.0, 1.0, 0.0, 0.0, 0.0, p_abandon, model)

    if patience_seconds is not None:
        n = max(1, math.ceil(traffic), math.ceil(traffic / max_occupancy - 1e-12))
        while True:
            metrics = erlang_a(
                n,
                traffic,
                aht_seconds=aht_seconds,
                patience_seconds=patience_seconds,
                target_seconds=target_seconds,
            )
            if metrics.service_level >= target_sl and metrics.occupancy <= max_occupancy:
                break
            n += 1
        return StaffingResult(
            n,
            with_shrinkage(n, shrinkage),
            traffic,
            metrics.service_level,
            metrics.asa_seconds,
            metrics.occupancy,
            metrics.p_wait,
            metrics.p_abandon,
            "erlang_a",
        )

    # Erlang C on `servers` = agents × concurrency slots; the Erlang B recursion runs once,
    # upwards, and is checked at each whole number of agents above the load.
    k = concurrency
    min_servers = math.ceil(traffic / max_occupancy - 1e-12)
    blocking = 1.0
    servers = 0
    agents = 0
    while True:
        agents += 1
        for _ in range(k):
            servers += 1
            blocking = traffic * blocking / (servers + traffic * blocking)
        if servers <= traffic or servers < min_servers:
            continue
        sl, asa, occ, p_wait = _erlang_c_metrics(
            servers, traffic, blocking, aht_seconds=aht_seconds, target_seconds=target_seconds
        )
        if sl >= target_sl:
            break
    return StaffingResult(
        agents,
        with_shrinkage(agents, shrinkage),
        traffic / k,
        sl,
        asa,
        occ,
        p_wait,
        None,
        "chat" if k > 1 else "erlang_c",
    )


@dataclass(frozen=True)
class IntervalRequirements:
    """Per-interval requirement arrays (same order as the input volumes)."""

    agents: IntArray
    agents_with_shrinkage: IntArray
    offered_load: FloatArray
    service_level: FloatArray
    asa_seconds: FloatArray
    occupancy: FloatArray
    p_wait: FloatArray
    p_abandon: FloatArray | None

    def __len__(self) -> int:
        return int(self.agents.size)

    def row(self, index: int) -> StaffingResult:
        """One interval's requirement as a StaffingResult."""
        model = "erlang_c" if self.p_abandon is None else "erlang_a"
        return StaffingResult(
            int(self.agents[index]),
            int(self.agents_with_shrinkage[index]),
            float(self.offered_load[index]),
            float(self.service_level[index]),
            float(self.asa_seconds[index]),
            float(self.occupancy[index]),
            float(self.p_wait[index]),
            None if self.p_abandon is None else float(self.p_abandon[index]),
            model,
        )


def requirements_for_intervals(
    volumes: Sequence[float] | npt.ArrayLike,
    *,
    interval_minutes: float,
    aht_seconds: float | Sequence[float] | npt.ArrayLike,
    target_sl: float,
    target_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience_seconds: float | None = None,
) -> IntervalRequirements:
    """`required_agents` for many intervals at once (Erlang C vectorised; Erlang A per interval).

    `aht_seconds` is one number or one per interval. Gives the same agent counts as calling
    `required_agents` per interval, much faster: one Erlang B recursion runs over all intervals
    at once, and each interval stops at its own requirement.
    """
    volume_arr = np.asarray(volumes, dtype=np.float64).reshape(-1)
    aht_arr = np.broadcast_to(np.asarray(aht_seconds, dtype=np.float64), volume_arr.shape).copy()
    check_staffing_inputs(
        interval_minutes=interval_minutes,
        aht_seconds=None,
        target_sl=target_sl,
        target_seconds=target_seconds,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        patience_seconds=patience_seconds,
    )
    bad = np.flatnonzero(~np.isfinite(volume_arr) | (volume_arr < 0))
    if bad.size:
        i = int(bad[0])
        raise InputError("volume", "interval_negative", interval=i + 1, value=float(volume_arr[i]))
    bad = np.flatnonzero(~np.isfinite(aht_arr) | (aht_arr <= 0))
    if bad.size:
        i = int(bad[0])
        raise InputError(
            "aht_seconds", "interval_not_positive", interval=i + 1, value=float(aht_arr[i])
        )
    traffic = volume_arr * aht_arr / (interval_minutes * 60.0)
    size = traffic.size
    shrink_factor = 1.0 / (1.0 - shrinkage)

    if patience_seconds is not None:
        results = [
            required_agents(
                volume=float(volume_arr[i]),
                interval_minutes=interval_minutes,
                aht_seconds=float(aht_arr[i]),
                target_sl=target_sl,
                target_seconds=target_seconds,
                shrinkage=shrinkage,
                max_occupancy=max_occupancy,
                patience_seconds=patience_seconds,
            )
            for i in range(size)
        ]
        return IntervalRequirements(
            agents=np.array([r.agents for r in results], dtype=np.int64),
            agents_with_shrinkage=np.array(
                [r.agents_with_shrinkage for r in results], dtype=np.int64
            ),
            offered_load=traffic,
            service_level=np.array([r.service_level for r in results]),
            asa_seconds=np.array([r.asa_seconds for r in results]),
            occupancy=np.array([r.occupancy for r in results]),
            p_wait=np.array([r.p_wait for r in results]),
            p_abandon=np.array([r.p_abandon or 0.0 for r in results]),
        )

    agents = np.zeros(size, dtype=np.int64)
    sl_out = np.ones(size)
    asa_out = np.zeros(size)
    occ_out = np.zeros(size)
    pw_out = np.zeros(size)
    # Intervals still searching; zero traffic needs nobody.
    active = np.flatnonzero(traffic > 0)
    a = traffic[active]
    t_over_aht = target_seconds / aht_arr[active]
    # Start where both the stability and the occupancy constraint can hold.
    first = np.maximum(np.floor(a) + 1, np.ceil(a / max_occupancy - 1e-12))
    blocking = np.ones(active.size)
    k = 0
    while active.size:
        k += 1
        blocking = a * blocking / (k + a * blocking)
        check = first <= k
        if not check.any():
            continue
        idx = np.flatnonzero(check)
        b = blocking[idx]
        aa = a[idx]
        spare = k - aa
        p_wait = k * b / (k - aa * (1.0 - b))
        sl = np.maximum(0.0, 1.0 - p_wait * np.exp(-spare * t_over_aht[idx]))
        met = sl >= target_sl
        if not met.any():
            continue
        done_local = idx[met]
        done = active[done_local]
        agents[done] = k
        sl_out[done] = sl[met]
        pw_out[done] = p_wait[met]
        asa_out[done] = p_wait[met] * aht_arr[done] / spare[met]
        occ_out[done] = aa[met] / k
        keep = np.ones(active.size, dtype=bool)
        keep[done_local] = False
        active, a, t_over_aht, first, blocking = (
            active[keep],
            a[keep],
            t_over_aht[keep],
            first[keep],
            blocking[keep],
        )
    gross = np.ceil(agents * shrink_factor - 1e-9).astype(np.int64)
    return IntervalRequirements(
        agents=agents,
        agents_with_shrinkage=gross,
        offered_load=traffic,
        service_level=sl_out,
        asa_seconds=asa_out,
        occupancy=occ_out,
        p_wait=pw_out,
        p_abandon=None,
    )


# --- deferred work ----------------------------------------------------------------------------


def _level_load(
    work: npt.NDArray[np.float64],
    release: npt.NDArray[np.int64],
    due: npt.NDArray[np.int64],
    size: int,
) -> npt.NDArray[np.float64]:
    """The lowest-peak work rate per open interval that finishes every job by its due interval.

    Jobs are `work[j]` seconds released at open interval `release[j]` and due by the end of open
    interval `due[j]` (both 0-based, release ≤ due). Returns work seconds per open interval.

    This is the critical-window method of Yao, Demers and Shenker: the window [a, b] whose jobs
    (released at or after a and due by b) have the highest work per interval must run at that
    density, no plan can do better there; those intervals and jobs are then taken out, the others'
    windows shrink to the intervals left, and the next densest window is found. The rate is
    level inside each window, totals exactly the work (nothing is planned twice) and is the
    smallest peak — and the smallest rate in every later window — that meets every due time.
    """
    rate = np.zeros(size)
    alive = np.arange(size)
    keep = work > 0
    work, release, due = work[keep], release[keep], due[keep]
    while work.size:
        n = alive.size
        first = np.searchsorted(alive, release, side="left")
        last = np.searchsorted(alive, due, side="right") - 1
        grid = np.zeros((n, n))
        np.add.at(grid, (first, last), work)
        # inside[a, b] = work released at or after a and due by b.
        inside = np.cumsum(np.cumsum(grid[::-1], axis=0)[::-1], axis=1)
        lengths = np.arange(n)[None, :] - np.arange(n)[:, None] + 1
        density = np.where(lengths > 0, inside / np.maximum(lengths, 1), -1.0)
        a, b = np.unravel_index(int(np.argmax(density)), density.shape)
        rate[alive[a : b + 1]] = density[a, b]
        done = (first >= a) & (last <= b)
        work, release, due = work[~done], release[~done], due[~done]
        alive = np.concatenate([alive[:a], alive[b + 1 :]])
    return rate


def _whole_agents(
    rate: npt.NDArray[np.float64],
    capacity: float,
    work: npt.NDArray[np.float64],
    release: npt.NDArray[np.int64],
    due: npt.NDArray[np.int64],
    floor: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Whole agents per open interval (each doing `capacity` seconds) and the work they do.

    `floor` is the fewest to plan in each interval (the people never below the agents).

    Agents work earliest due first. Each interval gets the fewest agents that keep the work done
    so far at or above the level plan `rate`'s running total and finish what is due by the end
    of the interval. Rounding each interval up on its own would turn 1.25 agents for four hours
    into 2 × 4 = 8 agent-hours; this gives 2, 1, 1, 1 = 5, every item done no later.
    """
    agents = np.zeros(rate.size, dtype=np.int64)
    done = np.zeros(rate.size)
    target = np.cumsum(rate)
    pending: dict[int, float] = {}
    by_release: dict[int, list[int]] = {}
    for j in range(work.size):
        by_release.setdefault(int(release[j]), []).append(j)
    so_far = 0.0
    for t in range(rate.size):
        for j in by_release.get(t, []):
            pending[int(due[j])] = pending.get(int(due[j]), 0.0) + float(work[j])
        due_now = sum(w for d, w in pending.items() if d <= t)
        # Keeping up with the plan needs no one for work that has not arrived yet.
        need = max(min(float(target[t]) - so_far, sum(pending.values())), due_now)
        count = max(0, math.ceil(need / capacity - 1e-9))
        if floor is not None:
            count = max(count, int(floor[t]))
        agents[t] = count
        left = count * capacity
        for d in sorted(pending):
            take = min(left, pending[d])
            pending[d] -= take
            left -= take
            done[t] += take
            if pending[d] <= 1e-6 * capacity:
                del pending[d]
            if left <= 0:
                break
        so_far += done[t]
    return agents, done


def deferred_requirements(
    volumes: Sequence[float] | npt.ArrayLike,
    *,
    interval_minutes: float,
    aht_seconds: float,
    response_seconds: float,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
    open_mask: Sequence[bool] | npt.ArrayLike | None = None,
) -> IntervalRequirements:
    """Agents for deferred work (e-mail, web forms, social) per interval, planned as workload.

    Each interval's work (volume × AHT) may be done any time from its arrival until
    `response_seconds` of **open** time later: work arriving while the desk is closed (the
    night) is due that long after the next opening, and open time runs on over the night (an
    e-mail at 16:30 with a 4-hour target is due 12:30 the next working day when the desk
    closes at 17:00). Work that cannot be due before the series ends is due by its last open
    interval; a target shorter than an interval still allows the whole interval.

    The plan is the steadiest one that meets every due time (`_level_load`): the work rate
    needed in each open interval, in agents = rate / (interval seconds × max_occupancy), then
    rounded to whole agents on the running total (`_whole_agents`), so the total agent-hours
    are the work's hours / max_occupancy plus what whole agents cost (an interval that needs
    0.3 of an agent gets one; about an agent-hour a day for a steady trickle) — never more
    than meeting the target needs. With shrinkage the people to schedule are planned
    the same way with each person doing (1 - shrinkage) of an agent's work, never below the
    agents. Closed intervals need nobody. Work arriving after the last open interval belongs
    to the next period's opening and is not planned here.

    Returns per-interval arrays: agents, agents_with_shrinkage, offered load (work arriving /
    interval seconds), service level 1 (every item within the target by construction), ASA and
    P(wait) 0 (not meaningful), occupancy = work done earliest-due-first / agents' time
    (at most max_occupancy).
    """
    volume_arr = np.asarray(volumes, dtype=np.float64).reshape(-1)
    _check_positive(interval_minutes, "interval_minutes")
    _check_positive(aht_seconds, "aht_seconds")
    _check_positive(response_seconds, "response_seconds")
    _check_fraction(max_occupancy, "max_occupancy", allow_zero=False, allow_one=True)
    _check_fraction(shrinkage, "shrinkage", allow_zero=True, allow_one=False)
    bad = np.flatnonzero(~np.isfinite(volume_arr) | (volume_arr < 0))
    if bad.size:
        i = int(bad[0])
        raise InputError("volume", "interval_negative", interval=i + 1, value=float(volume_arr[i]))
    size = volume_arr.size
    is_open = (
        np.ones(size, dtype=bool)
        if open_mask is None
        else np.asarray(open_mask, dtype=bool).reshape(-1)
    )
    if is_open.size != size:
        raise InputError("open_mask", "length_mismatch")
    interval_seconds = interval_minutes * 60.0
    window = max(1, int(response_seconds // interval_seconds + 1e-9))
    workload = volume_arr * aht_seconds
    open_positions = np.flatnonzero(is_open)
    agents = np.zeros(size, dtype=np.int64)
    gross = np.zeros(size, dtype=np.int64)
    planned = np.zeros(size)
    if open_positions.size == 0:
        if workload.sum() > 0:
            raise InputError("open_mask", "no_open_interval")
    else:
        # Work arriving after the last open interval is the next period's opening backlog.
        arriving = np.flatnonzero((workload > 0) & (np.arange(size) <= open_positions[-1]))
        count = open_positions.size
        # The first open interval at or after each arrival; due `window` open intervals later,
        # within the series.
        release = np.searchsorted(open_positions, arriving)
        due = np.minimum(release + window - 1, count - 1)
        work = workload[arriving]
        rate = _level_load(work, release, due, count)
        capacity = interval_seconds * max_occupancy
        net, done = _whole_agents(rate, capacity, work, release, due)
        people, _ = _whole_agents(rate, capacity * (1.0 - shrinkage), work, release, due, net)
        agents[open_positions] = net
        gross[open_positions] = people
        planned[open_positions] = done
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(agents > 0, planned / (agents * interval_seconds), 0.0)
    return IntervalRequirements(
        agents=agents,
        agents_with_shrinkage=gross,
        offered_load=workload / interval_seconds,
        service_level=np.ones(size),
        asa_seconds=np.zeros(size),
        occupancy=occ,
        p_wait=np.zeros(size),
        p_abandon=None,
    )


def deferred_agents(
    *,
    volume: float,
    interval_minutes: float,
    aht_seconds: float,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Agents to clear one interval's deferred work within that interval, by workload."""
    traffic = offered_load(
        volume=volume, interval_minutes=interval_minutes, aht_seconds=aht_seconds
    )
    _check_fraction(max_occupancy, "max_occupancy", allow_zero=False, allow_one=True)
    agents = math.ceil(traffic / max_occupancy - 1e-9)
    occ = traffic / agents if agents else 0.0
    return StaffingResult(
        agents, with_shrinkage(agents, shrinkage), traffic, 1.0, 0.0, occ, 0.0, None, "deferred"
    )
