"""The scheduling benchmark's lower bounds are bounds: never above a proven optimum."""

import importlib.util
import math
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "bench" / "schedule.py"
_SPEC = importlib.util.spec_from_file_location("bench_schedule", _PATH)
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


@pytest.mark.parametrize(("agents", "seed", "scale"), [(12, 3, 0.1), (16, 3, 0.12)])
def test_lagrangian_bound_lies_between_the_lp_and_the_optimum(agents, seed, scale):
    requirements, staff, rules = bench.build_instance(agents, 1, seed, scale)
    bounds = bench.lower_bounds(requirements, staff, rules, mip_seconds=60, day_seconds=30)
    # HiGHS proves the whole MIP optimal on instances this small: its value is the optimum.
    assert bounds["mip"] == pytest.approx(bounds["mip_best"])
    assert bounds["lp"] - 1e-6 <= bounds["lagrangian"] <= bounds["mip_best"] + 1e-6
    assert math.ceil(bounds["lagrangian"] - 1e-6) <= bounds["mip_best"]
