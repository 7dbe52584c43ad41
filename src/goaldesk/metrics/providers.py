"""Figures of catalogue metrics whose data lives in an app above metrics (survey invitations in
feedback/, FAQ visits and votes in knowledge/).

metrics may not import those apps, so each registers, in its `AppConfig.ready()`, one provider
per metric key: `register("survey_response_rate", function)`. A provider is called with the
organisation, the periods (a list of (first day, last day), both included) and the filters as
metrics.selectors reads them (channel, team, agent, category — and whatever scope later issues
add), and returns one `ProvidedValue` per period: the value in the metric's unit and the number
of observations it rests on. A filter the data cannot follow gives `ProvidedValue(None, 0)`.
The dashboard, goals, levels, API and CLI all read these through metrics.selectors, so a
provided metric has one definition everywhere.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from goaldesk.accounts.models import Organisation


@dataclass(frozen=True)
class ProvidedValue:
    value: float | int | None
    sample: int = 0


Provider = Callable[..., list[ProvidedValue]]
"""provider(*, organisation, periods, filters) -> one ProvidedValue per period."""

_PROVIDERS: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    """Make `provider` compute the catalogue metric `key` (registering again replaces it)."""
    _PROVIDERS[key] = provider


def provided(
    key: str,
    *,
    organisation: Organisation,
    periods: Sequence[tuple[dt.date, dt.date]],
    filters: Mapping[str, Any] | None = None,
) -> list[ProvidedValue]:
    """The values of `key` for each of `periods`; no value (and no sample) while no app has
    registered a provider for it."""
    provider = _PROVIDERS.get(key)
    if provider is None:
        return [ProvidedValue(None, 0) for _period in periods]
    found = provider(
        organisation=organisation,
        periods=list(periods),
        filters={k: v for k, v in (filters or {}).items() if v not in (None, "")},
    )
    if len(found) != len(periods):
        raise ValueError(f"{key}: the provider gave {len(found)} values for {len(periods)} periods")
    return found


def per_period(
    periods: Sequence[tuple[dt.date, dt.date]], daily: Mapping[Any, Mapping[str, int]]
) -> list[dict[str, int]]:
    """Counts by day ({day: {name: count}}, e.g. one GROUP BY over every period's days) added
    up over each of `periods`, so that a provider reads its data once for any number of them
    (a breakdown by day asks for one period per day)."""
    names = {name for counts in daily.values() for name in counts}
    out = []
    for first, last in periods:
        totals = dict.fromkeys(names, 0)
        for day, counts in daily.items():
            if first <= day <= last:
                for name, count in counts.items():
                    totals[name] += count or 0
        out.append(totals)
    return out


def span(periods: Sequence[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date]:
    """The first and the last day of `periods` together."""
    return min(a for a, _b in periods), max(b for _a, b in periods)
