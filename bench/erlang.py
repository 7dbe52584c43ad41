"""Benchmark: Erlang C requirements for a week of 15-minute intervals (672), 0.1–500 Erlangs.

Times GoalDesk's vectorised `requirements_for_intervals` (best of --repeat runs) and the
one-interval-at-a-time `required_agents`, and compares agent counts with pyworkforce's ErlangC
on the same inputs. pyworkforce pulls in OR-Tools and joblib, so it is optional: it is imported
directly when installed, otherwise run in the Python given by --ref-python (default
$GOALDESK_BENCH_PYTHON or /tmp/bench-venv/bin/python), otherwise skipped with a message.
Prints JSON.

    python bench/erlang.py [--repeat 5] [--aht 300] [--target-sl 0.8] [--target-seconds 20]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from goaldesk.engine.erlang import required_agents, requirements_for_intervals

INTERVAL_MINUTES = 15
INTERVALS = 672

# Run inside the reference interpreter: reads {"volumes", ...} on stdin, prints agents and ms.
REFERENCE_SCRIPT = r"""
import json, sys, time
from pyworkforce.queuing import ErlangC
job = json.load(sys.stdin)
start = time.perf_counter()
agents = []
for volume in job["volumes"]:
    erlang = ErlangC(transactions=volume, aht=job["aht"] / 60, asa=job["target_seconds"] / 60,
                     interval=job["interval_minutes"], shrinkage=0.0)
    try:
        agents.append(erlang.required_positions(service_level=job["target_sl"], max_occupancy=1.0)["raw_positions"])
    except (OverflowError, ZeroDivisionError) as error:
        agents.append(repr(error))
elapsed = (time.perf_counter() - start) * 1000
import pyworkforce
print(json.dumps({"agents": agents, "ms": elapsed, "version": getattr(pyworkforce, "__version__", "?")}))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--aht", type=float, default=300.0, help="handle time, seconds")
    parser.add_argument("--target-sl", type=float, default=0.8)
    parser.add_argument("--target-seconds", type=float, default=20.0)
    parser.add_argument(
        "--ref-python",
        default=os.environ.get(
            "GOALDESK_BENCH_PYTHON",
            "/tmp/bench-venv/bin/python",  # noqa: S108 - a developer's side venv, only read
        ),
        help="a Python with pyworkforce installed, used when it is not importable here",
    )
    return parser.parse_args()


def make_volumes(aht: float) -> np.ndarray:
    """672 intervals whose traffic spans 0.1 to 500 Erlangs evenly on a log scale, shuffled."""
    traffic = np.geomspace(0.1, 500.0, INTERVALS)
    np.random.default_rng(2003).shuffle(traffic)
    return traffic * INTERVAL_MINUTES * 60 / aht


def run_reference(args: argparse.Namespace, volumes: np.ndarray) -> dict | None:
    job = {
        "volumes": volumes.tolist(),
        "aht": args.aht,
        "target_sl": args.target_sl,
        "target_seconds": args.target_seconds,
        "interval_minutes": INTERVAL_MINUTES,
    }
    try:
        import pyworkforce  # noqa: F401

        python = sys.executable
    except ImportError:
        python = args.ref_python
        if not Path(python).exists():
            print(
                f"pyworkforce is not installed here and {python} does not exist; "
                "skipping the comparison.",
                file=sys.stderr,
            )
            return None
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [python, "-c", REFERENCE_SCRIPT],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"pyworkforce run failed: {result.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    return json.loads(result.stdout)


def main() -> None:
    args = parse_args()
    volumes = make_volumes(args.aht)
    common = {
        "interval_minutes": INTERVAL_MINUTES,
        "aht_seconds": args.aht,
        "target_sl": args.target_sl,
        "target_seconds": args.target_seconds,
    }
    requirements_for_intervals(volumes[:10], **common)  # warm-up
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        batch = requirements_for_intervals(volumes, **common)
        timings.append((time.perf_counter() - start) * 1000)
    best_ms = min(timings)

    start = time.perf_counter()
    single = [required_agents(volume=float(v), **common).agents for v in volumes]
    single_ms = (time.perf_counter() - start) * 1000

    agents = batch.agents.tolist()
    report: dict = {
        "intervals": INTERVALS,
        "interval_minutes": INTERVAL_MINUTES,
        "traffic_erlangs": [float(batch.offered_load.min()), float(batch.offered_load.max())],
        "aht_seconds": args.aht,
        "target": f"{args.target_sl:.0%} in {args.target_seconds:g} s",
        "total_ms": round(best_ms, 3),
        "per_interval_us": round(best_ms * 1000 / INTERVALS, 3),
        "runs_ms": [round(t, 3) for t in timings],
        "under_50_ms": best_ms < 50,
        "one_at_a_time_ms": round(single_ms, 3),
        "one_at_a_time_mismatches": sum(a != b for a, b in zip(agents, single, strict=True)),
        "agents_total": int(sum(agents)),
    }
    reference = run_reference(args, volumes)
    if reference is None:
        report["pyworkforce"] = "skipped (not installed)"
    else:
        theirs = reference["agents"]
        mismatches = [
            {"interval": i, "traffic": float(batch.offered_load[i]), "ours": a, "pyworkforce": b}
            for i, (a, b) in enumerate(zip(agents, theirs, strict=True))
            if a != b
        ]
        report["pyworkforce"] = {
            "version": reference["version"],
            "total_ms": round(reference["ms"], 3),
            "per_interval_us": round(reference["ms"] * 1000 / INTERVALS, 3),
            "mismatches": len(mismatches),
            "mismatch_examples": mismatches[:5],
            "speed_ratio": round(reference["ms"] / best_ms, 1),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
