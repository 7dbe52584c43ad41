"""HiGHS through MathOpt's public API, as `mip.LinearForm` uses it."""

import io
import logging.config
import sys

from absl import logging as absl_logging
from ortools.sat.python import cp_model

from goaldesk.engine.rostering import mip


def test_reconfiguring_logging_leaves_a_replaced_stderr_open():
    # OR-Tools' MathOpt imports absl's logging; its handler keeps the stream it was made on.
    assert "absl.logging" in sys.modules
    handler = absl_logging.get_absl_handler().python_handler
    captured = io.StringIO()
    handler.setStream(captured)  # as when MathOpt is first imported under a test's capture
    try:
        mip._absl_handler_to_process_stderr()
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
        assert not captured.closed
    finally:
        handler.setStream(sys.__stderr__)


def _covering_model() -> cp_model.CpModel:
    """Cover three unit demands a, b, c with pairs {a, b}, {b, c}, {a, c}: the LP takes half
    of each pair (1.5), the MIP two pairs (2)."""
    model = cp_model.CpModel()
    ab, bc, ac = (model.new_bool_var(name) for name in ("ab", "bc", "ac"))
    model.add(ab + ac >= 1)
    model.add(ab + bc >= 1)
    model.add(bc + ac >= 1)
    model.minimize(ab + bc + ac)
    return model


def test_the_lp_gives_duals_and_the_mip_respects_fixed_values_and_hints():
    form = mip.LinearForm.of(_covering_model())
    assert form is not None
    relaxation = form.solve(5, relax=True)
    assert relaxation.optimal
    assert relaxation.objective == 1.5
    assert relaxation.values == [0.5, 0.5, 0.5]
    # Each row's dual is a half: raising any demand by one costs half a pair more.
    assert relaxation.duals == [0.5, 0.5, 0.5]
    whole = form.solve(5, hint=[1, 1, 0])
    assert whole.optimal and whole.objective == 2 and whole.bound == 2
    # With the pair {a, b} fixed off, {b, c} and {a, c} must both be taken.
    fixed = form.solve(5, fixed={0: 0})
    assert fixed.values == [0, 1, 1]
