"""Staffing without writes: the requirement per interval a channel's inputs call for, and the
translated sentence for each staffing input the engine refuses.

The engine checks staffing inputs once (`check_staffing_inputs`) and raises `InputError` with a
code; the command line and the API both turn that code into the sentence below, naming the
input the way their reader typed it (``--aht`` on the command line, ``aht_seconds`` in the API).
"""

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goaldesk.engine import (
    InputError,
    IntervalRequirements,
    deferred_requirements,
    required_agents,
    requirements_for_intervals,
)
from goaldesk.forecasting.models import StaffingInputs, StaffingModel
from goaldesk.forecasting.selectors import staffing_model_for

#: (code, field) → the sentence; (code, "") is the sentence for any other field.
_MESSAGES: dict[tuple[str, str], Promise] = {
    ("fraction", ""): _(
        "%(name)s must be a fraction between 0 and 1 (e.g. 0.8 for 80%%), got %(value)s."
    ),
    ("positive", ""): _("%(name)s must be positive, got %(value)s."),
    ("positive", "aht_seconds"): _("%(name)s must be a positive number of seconds, got %(value)s."),
    ("positive", "patience_seconds"): _("%(name)s must be a positive number of seconds."),
    ("non_negative", ""): _("%(name)s must be zero or more, got %(value)s."),
    ("whole_at_least_one", ""): _("%(name)s must be 1 or more."),
    ("patience_with_concurrency", ""): _(
        "%(patience)s (Erlang A) and %(concurrency)s cannot be combined."
    ),
}


def staffing_input_message(error: InputError, *, names: Mapping[str, str]) -> str:
    """The translated sentence for `error`; `names` maps engine fields to what the reader typed.

    A code without a sentence here (the engine's checks of per-interval values) gives the
    engine's English text.
    """

    def name(field: str) -> str:
        return names.get(field, field)

    template = _MESSAGES.get((error.code, error.field)) or _MESSAGES.get((error.code, ""))
    if template is None:
        return str(error)
    return str(template) % {
        "name": name(error.field),
        "value": error.params.get("value"),
        "patience": name("patience_seconds"),
        "concurrency": name("concurrency"),
    }


def compute_requirements(
    volumes: Sequence[float],
    starts: Sequence[dt.datetime],
    *,
    inputs: StaffingInputs,
    aht_seconds: float,
    interval_minutes: int,
    open_mask: Sequence[bool] | None = None,
) -> tuple[IntervalRequirements, str]:
    """The requirement per interval for one channel's volumes, with the model its inputs call for.

    Percentages of `inputs` (target, shrinkage, occupancy) are 0–100.
    """
    model = staffing_model_for(inputs)
    target_sl = inputs.target_sl / 100.0
    shrinkage = inputs.shrinkage / 100.0
    max_occupancy = inputs.max_occupancy / 100.0
    if model == StaffingModel.DEFERRED:
        return (
            deferred_requirements(
                volumes,
                interval_minutes=interval_minutes,
                aht_seconds=aht_seconds,
                response_seconds=inputs.response_hours * 3600.0,
                max_occupancy=max_occupancy,
                shrinkage=shrinkage,
                open_mask=open_mask,
            ),
            model,
        )
    if model == StaffingModel.CHAT:
        results = [
            required_agents(
                volume=float(v),
                interval_minutes=interval_minutes,
                aht_seconds=aht_seconds,
                target_sl=target_sl,
                target_seconds=inputs.target_seconds,
                shrinkage=shrinkage,
                max_occupancy=max_occupancy,
                concurrency=inputs.concurrency,
            )
            for v in volumes
        ]
        return (
            IntervalRequirements(
                agents=np.array([r.agents for r in results], dtype=np.int64),
                agents_with_shrinkage=np.array(
                    [r.agents_with_shrinkage for r in results], dtype=np.int64
                ),
                offered_load=np.array([r.offered_load for r in results]),
                service_level=np.array([r.service_level for r in results]),
                asa_seconds=np.array([r.asa_seconds for r in results]),
                occupancy=np.array([r.occupancy for r in results]),
                p_wait=np.array([r.p_wait for r in results]),
                p_abandon=None,
            ),
            model,
        )
    return (
        requirements_for_intervals(
            volumes,
            interval_minutes=interval_minutes,
            aht_seconds=aht_seconds,
            target_sl=target_sl,
            target_seconds=inputs.target_seconds,
            shrinkage=shrinkage,
            max_occupancy=max_occupancy,
            patience_seconds=float(inputs.patience_seconds) if inputs.patience_seconds else None,
        ),
        model,
    )
