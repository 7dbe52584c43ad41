"""Reads of scorecards: each agent's figures of a period from the catalogue, with their sample
sizes, the change against the previous period, the team's value, the goals each figure feeds
(their targets, and progress against a target for each agent), the agent's objectives, badges
and recognitions; and who may see which scorecard or ranking.

Every figure is the catalogue's own (metrics.catalogue), computed for all agents at once
(`period_figures`): the counts and sums of both periods in one GROUP BY agent, team and
period, and the duration values of both periods in one fetch, read at the same time, so a page
of 200 scorecards costs the same handful of queries as one.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.engine.ranking import MIN_OBSERVATIONS
from goaldesk.engine.stats import median_of_array, summary_of_array
from goaldesk.goals.models import Goal, Objective, Outcome
from goaldesk.goals.selectors import clean_scope
from goaldesk.metrics.catalogue import Metric, PerOpenDay, Ratio, Sums, Total, metric
from goaldesk.metrics.selectors import both as run_both  # two reads at once, as the dashboard
from goaldesk.metrics.summaries import agent_tables, grouped_sums, groups_of
from goaldesk.team.models import Agent

from .models import Badge, CoachingSettings, Recognition

#: The catalogue's figures that concern one person, in the order a scorecard shows them.
SCORECARD_KEYS: tuple[str, ...] = (
    "contacts",
    "customers_helped_per_day",
    "first_response_seconds",
    "resolution_seconds",
    "csat_pct",
    "fcr_rate",
    "success_rate",
    "aht_seconds",
    "qa_score",
    "time_to_arrive_seconds",
    "time_to_fix_seconds",
)
#: Field service figures: shown only for an agent with such visits (or a goal on them).
FIELD_KEYS = ("time_to_arrive_seconds", "time_to_fix_seconds")


# --- visibility ------------------------------------------------------------------------------


def coaching_settings_for(organisation: Organisation) -> CoachingSettings:
    """The organisation's scorecard settings (the defaults, unsaved, when never changed)."""
    found = CoachingSettings.objects.filter(organisation=organisation).first()
    return found or CoachingSettings(organisation=organisation)


def agent_of(*, organisation: Organisation, user: Any) -> Agent | None:
    """The agent record linked to `user`'s login in the organisation, if any."""
    return Agent.objects.filter(organisation=organisation, user=user).order_by("pk").first()


def may_list_scorecards(membership: Membership, settings: CoachingSettings) -> bool:
    """Whether the member may see every agent's scorecard (the list)."""
    if membership.allows(Role.MANAGER):
        return True
    if membership.role == Role.AGENT:
        return settings.agents_see_colleagues
    return settings.viewers_see_scorecards


def may_see_scorecard(membership: Membership, agent: Agent, settings: CoachingSettings) -> bool:
    """Managers and owners see every scorecard; an agent their own (and their colleagues' when
    the setting allows); a viewer only when the setting allows."""
    own = membership.user_id is not None and agent.user_id == membership.user_id
    if membership.role == Role.AGENT and own:
        return True
    return may_list_scorecards(membership, settings)


def may_see_ranking(membership: Membership, settings: CoachingSettings) -> bool:
    """Every member while rankings are public; otherwise managers and owners only."""
    return settings.public_rankings or membership.allows(Role.MANAGER)


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of one agent and period: `value` in the metric's unit (a duration's median),
    `sample` the observations it rests on, `summary` a duration's mean/median/p90/count."""

    value: float | int | None
    sample: int
    summary: Mapping[str, Any] | None = None

    def statistic(self, name: str) -> float | None:
        """The value a goal following statistic `name` reads (a duration's median/mean/p90)."""
        if self.summary is not None:
            return self.summary.get(name)
        return None if self.value is None else float(self.value)


EMPTY = Figure(None, 0)
NONE_COUNTED = Figure(0, 0)


def _missing(entry: Metric) -> Figure:
    """The figure of an agent without interactions: 0 for a count, else no value."""
    return NONE_COUNTED if entry.unit == "count" else EMPTY


def _sample(entry: Metric, row: Mapping[str, Any]) -> int:
    """How many observations a `Sums` figure rests on: its denominator, or the count itself."""
    assert isinstance(entry.computed, Sums)  # noqa: S101 - only Sums entries come here
    figure = entry.computed.figure
    if isinstance(figure, Ratio):
        name = figure.denominator
    elif isinstance(figure, Total | PerOpenDay):
        name = figure.name
    else:  # pragma: no cover - the catalogue has no other figure
        return 0
    return int(row.get(name) or 0)


@dataclass
class PeriodFigures:
    """What `period_figures` reads: per agent one {key: Figure} per period; per team (the
    interactions' team) and for the whole organisation, {key: Figure} of the first period
    (value and sample; a duration's median without the rest of its summary)."""

    by_agent: dict[int, list[dict[str, Figure]]]
    by_team: dict[int, dict[str, Figure]]
    whole: dict[str, Figure]


def _add_rows(target: dict[str, Any], row: Mapping[str, Any], names: Iterable[str]) -> None:
    for name in names:
        value = row.get(name)
        if value is not None:
            target[name] = (target.get(name) or 0) + value


def period_figures(
    *,
    organisation: Organisation,
    periods: Sequence[tuple[dt.date, dt.date]],
    keys: Iterable[str] = SCORECARD_KEYS,
    filters: Mapping[str, Any] | None = None,
    rows: Q | None = None,
) -> PeriodFigures:
    """The catalogue's figures of `keys` per agent for each of `periods` (which must not
    overlap), and per team and for the whole organisation for the first period: the counts
    and sums by agent, team and period added up (to a team's and the organisation's too), and
    the duration values of each group summarised with the catalogue's statistics
    (engine.stats), from the agent day summaries and the interactions of the days they do not
    cover (metrics.summaries). `filters` as metrics.selectors reads them (a channel or
    category is read from the interactions); `rows`: a condition on agent_id and team_id."""
    entries = [metric(key) for key in keys]
    sums = [e for e in entries if isinstance(e.computed, Sums)]
    durations = [e for e in entries if e.is_duration]
    aggregates: dict[str, Any] = {}
    for entry in sums:
        assert isinstance(entry.computed, Sums)  # noqa: S101 - filtered above
        aggregates.update(entry.computed.aggregates_for(organisation))
    tables = agent_tables(
        organisation=organisation,
        periods=periods,
        aggregates=aggregates,
        duration_columns=[e.computed.column for e in durations],  # type: ignore[union-attr]
        filters=filters,
        rows=rows,
        both=run_both,
    )
    names = tables.names
    sum_keys, sum_values = tables.sums[:, :3].astype(np.int64), tables.sums[:, 3:]
    agent_col, team_col, bucket_col = sum_keys[:, 0], sum_keys[:, 1], sum_keys[:, 2]
    count = len(periods)
    with_agent = (agent_col > 0) & (bucket_col >= 0)
    agent_rows = {
        (code // count, code % count): row
        for code, row in grouped_sums(
            sum_values[with_agent], agent_col[with_agent] * count + bucket_col[with_agent], names
        ).items()
    }
    current = bucket_col == 0
    with_team = current & (team_col > 0)
    team_rows = grouped_sums(sum_values[with_team], team_col[with_team], names)
    whole_row = grouped_sums(
        sum_values[current], np.zeros(int(current.sum()), np.int64), names
    ).get(0, {})
    open_days: list[int | None] = [None] * len(periods)
    if any(e.uses_open_days for e in sums):
        calendar = business_calendar_for(organisation)
        open_days = [calendar.open_days(a, b) for a, b in periods]

    def sums_figures(row: Mapping[str, Any], days: int | None) -> dict[str, Figure]:
        out = {}
        for entry in sums:
            assert isinstance(entry.computed, Sums)  # noqa: S101 - filtered above
            out[entry.key] = Figure(entry.computed.figure.value(row, days), _sample(entry, row))
        return out

    by_agent: dict[int, list[dict[str, Figure]]] = defaultdict(lambda: [{} for _p in periods])
    for (agent_id, i), row in agent_rows.items():
        by_agent[agent_id][i].update(sums_figures(row, open_days[i]))
    by_team = {team: sums_figures(row, open_days[0]) for team, row in team_rows.items()}
    whole = sums_figures(whole_row, open_days[0])

    table = tables.durations
    if len(table):
        agent_col, team_col, bucket_col = table[:, 0], table[:, 1], table[:, 2]

        def summarise(rows_of: np.ndarray, *, full: bool = True) -> dict[str, Figure]:
            """The duration figures of the rows whose indices are `rows_of`; with `full`, with
            their mean, median and p90 (a goal may follow any), else the median alone."""
            out = {}
            for j, entry in enumerate(durations, start=3):
                values = table[rows_of, j]
                values = values[~np.isnan(values)]
                if full:
                    summary = summary_of_array(values)
                    out[entry.key] = Figure(summary["median"], int(summary["count"]), summary)
                else:
                    out[entry.key] = Figure(median_of_array(values), int(values.size))
            return out

        has_agent = agent_col > 0
        for i in range(len(periods)):
            in_period = bucket_col == i
            for agent_id, mask in groups_of(agent_col, in_period & has_agent):
                by_agent[agent_id][i].update(summarise(mask))
        current = bucket_col == 0
        for team_id, mask in groups_of(team_col, current & (team_col > 0)):
            by_team.setdefault(team_id, {}).update(summarise(mask, full=False))
        whole.update(summarise(np.flatnonzero(current), full=False))
    else:
        for entry in durations:
            whole[entry.key] = Figure(None, 0, summary_of_array(np.empty(0)))
    return PeriodFigures(dict(by_agent), by_team, whole)


def figures_by_agent(
    *,
    organisation: Organisation,
    periods: Sequence[tuple[dt.date, dt.date]],
    keys: Iterable[str] = SCORECARD_KEYS,
    filters: Mapping[str, Any] | None = None,
) -> dict[int, list[dict[str, Figure]]]:
    """agent id → one {key: Figure} per period, for every agent with an interaction in any of
    the `periods` (which must not overlap). Interactions without an agent are left out."""
    return period_figures(
        organisation=organisation, periods=periods, keys=keys, filters=filters
    ).by_agent


# --- goals a figure feeds --------------------------------------------------------------------


def goal_includes(goal: Goal, agent: Agent) -> bool:
    """Whether `agent` works inside the goal's scope: the whole organisation, the agent's team
    or the agent (a channel or category narrows what counts, not who)."""
    scope = clean_scope(goal.scope)
    agent_value = scope.get("agent")
    if agent_value and agent_value not in (agent.key, str(agent.pk)):
        return False
    team_value = scope.get("team")
    if team_value:
        team = agent.team
        if team is None or team_value not in (team.name, str(team.pk)):
            return False
    return True


def _narrows_what_counts(goal: Goal) -> bool:
    scope = clean_scope(goal.scope)
    return bool(scope.get("channel") or scope.get("category"))


@dataclass(frozen=True)
class GoalTarget:
    """A goal one figure feeds: its team target and, when it has one, the target for each
    agent with the agent's own value (the goal's statistic, inside the goal's scope)."""

    goal: Goal
    person_target: float | None = None
    own: float | None = None
    own_sample: int = 0

    @property
    def enough_data(self) -> bool:
        return self.own_sample >= MIN_OBSERVATIONS

    @property
    def met(self) -> bool | None:
        """Whether the agent meets the target for each agent; None without one, or with
        fewer than MIN_OBSERVATIONS observations."""
        if self.person_target is None or self.own is None or not self.enough_data:
            return None
        return meets(self.goal.metric_key, self.own, self.person_target)

    @property
    def gap(self) -> float | None:
        """How far the agent's value is from the target for each agent (positive: better)."""
        if self.person_target is None or self.own is None:
            return None
        difference = self.own - self.person_target
        return -difference if metric(self.goal.metric_key).better == "lower" else difference


def meets(metric_key: str, value: float, target: float) -> bool:
    """Whether `value` reaches `target` in the metric's better direction."""
    if metric(metric_key).better == "lower":
        return value <= target
    return value >= target


def goals_fed(*, organisation: Organisation, keys: Iterable[str] = SCORECARD_KEYS) -> list[Goal]:
    """The organisation's active goals on one of the scorecard's metrics."""
    return list(
        Goal.objects.filter(
            organisation=organisation, outcome=Outcome.ACTIVE, metric_key__in=list(keys)
        ).order_by("deadline", "pk")
    )


# --- scorecards ----------------------------------------------------------------------------


@dataclass
class ScorecardRow:
    """One metric of a scorecard."""

    metric: Metric
    current: Figure
    previous: Figure
    team: Any
    goals: list[GoalTarget] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        """This period's value minus the previous period's (None unless both have one)."""
        if self.current.value is None or self.previous.value is None:
            return None
        return float(self.current.value) - float(self.previous.value)

    @property
    def change_tone(self) -> str:
        """ "good", "bad" or "" (no change, or no better direction)."""
        change = self.change
        if not change or self.metric.better is None:
            return ""
        better = change > 0 if self.metric.better == "higher" else change < 0
        return "good" if better else "bad"


@dataclass
class Scorecard:
    agent: Agent
    date_from: dt.date
    date_to: dt.date
    previous: tuple[dt.date, dt.date]
    rows: list[ScorecardRow]
    #: The team whose values are shown (None: the whole organisation's).
    team_name: str | None = None
    objectives: list[Objective] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)

    def row(self, key: str) -> ScorecardRow:
        return next(r for r in self.rows if r.metric.key == key)

    @property
    def person_targets(self) -> list[GoalTarget]:
        """The goals with a target for each agent that this agent's figures feed."""
        return [g for r in self.rows for g in r.goals if g.person_target is not None]


def previous_period(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before."""
    last = date_from - dt.timedelta(days=1)
    return last - (date_to - date_from), last


def scorecards(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    previous: tuple[dt.date, dt.date] | None = None,
    agent: Agent | None = None,
    details: bool = True,
    person_targets: bool = True,
) -> list[Scorecard]:
    """The scorecards of the period: of `agent` alone, or of every active agent and every
    agent with an interaction in it (by name). `previous`: the period compared with (default
    the same number of days just before). `details`: also each agent's objectives, badges and
    recent recognitions (three queries for all agents). `person_targets`: also measure each
    agent inside the channel or category of a goal with a target for each agent (one read per
    such goal; without it those targets show no value of the agent's own)."""
    previous = previous or previous_period(date_from, date_to)
    which: Q | None = None
    if agent is not None and agent.team_id:
        # The agent's own rows and their team's (for the team's value); without a team every
        # row, for the whole organisation's value.
        which = Q(agent_id=agent.pk) | Q(team_id=agent.team_id)
    read = period_figures(
        organisation=organisation, periods=[(date_from, date_to), previous], rows=which
    )
    figures = read.by_agent
    if agent is not None:
        agents = [agent]
    else:
        agents = list(
            Agent.objects.filter(organisation=organisation)
            .filter(Q(active=True) | Q(pk__in=list(figures)))
            .select_related("team")
        )
    goals = goals_fed(organisation=organisation)
    own_in_scope = _own_values_in_narrow_scopes(
        organisation=organisation,
        goals=[
            g
            for g in goals
            if person_targets and g.person_target is not None and _narrows_what_counts(g)
        ],
        date_from=date_from,
        date_to=date_to,
        agent=agent,
    )
    cards = []
    for each in agents:
        current, before = figures.get(each.pk, [{}, {}])
        team = read.by_team.get(each.team_id, {}) if each.team_id else None
        rows: list[ScorecardRow] = []
        for key in SCORECARD_KEYS:
            entry = metric(key)
            now = current.get(key, _missing(entry))
            fed = [g for g in goals if g.metric_key == key and goal_includes(g, each)]
            if key in FIELD_KEYS and not (now.sample or before.get(key, EMPTY).sample or fed):
                continue
            targets = []
            for goal in fed:
                if goal.person_target is None:
                    targets.append(GoalTarget(goal))
                    continue
                if _narrows_what_counts(goal):
                    own = own_in_scope.get((goal.pk, each.pk), EMPTY)
                else:
                    own = now
                targets.append(
                    GoalTarget(goal, goal.person_target, own.statistic(goal.statistic), own.sample)
                )
            rows.append(
                ScorecardRow(
                    metric=entry,
                    current=now,
                    previous=before.get(key, _missing(entry)),
                    team=(team if team is not None else read.whole).get(key, _missing(entry)).value,
                    goals=targets,
                )
            )
        cards.append(
            Scorecard(
                agent=each,
                date_from=date_from,
                date_to=date_to,
                previous=previous,
                rows=rows,
                team_name=each.team.name if team is not None and each.team else None,
            )
        )
    cards.sort(key=lambda c: (str(c.agent).casefold(), c.agent.key))
    if details:
        _add_details(organisation, cards)
    return cards


def scorecard(
    *,
    organisation: Organisation,
    agent: Agent,
    date_from: dt.date,
    date_to: dt.date,
    previous: tuple[dt.date, dt.date] | None = None,
) -> Scorecard:
    """One agent's scorecard of the period (see `scorecards`)."""
    return scorecards(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        previous=previous,
        agent=agent,
    )[0]


def _own_values_in_narrow_scopes(
    *,
    organisation: Organisation,
    goals: Sequence[Goal],
    date_from: dt.date,
    date_to: dt.date,
    agent: Agent | None,
) -> dict[tuple[int, int], Figure]:
    """(goal id, agent id) → the agent's figure inside a goal's channel or category (one
    grouped query per such goal, for all agents)."""
    out: dict[tuple[int, int], Figure] = {}
    for goal in goals:
        scope = clean_scope(goal.scope)
        filters = {k: v for k, v in scope.items() if k in ("channel", "category")}
        if agent is not None:
            filters["agent"] = str(agent.pk)
        found = figures_by_agent(
            organisation=organisation,
            periods=[(date_from, date_to)],
            keys=[goal.metric_key],
            filters=filters,
        )
        for agent_id, (values,) in found.items():
            out[(goal.pk, agent_id)] = values.get(goal.metric_key, EMPTY)
    return out


def _add_details(organisation: Organisation, cards: list[Scorecard]) -> None:
    by_agent = {c.agent.pk: c for c in cards}
    by_user = {c.agent.user_id: c for c in cards if c.agent.user_id is not None}
    if by_user:
        for objective in objectives_for_users(organisation=organisation, user_ids=list(by_user)):
            by_user[objective.owner_id].objectives.append(objective)  # type: ignore[index]
    for badge in Badge.objects.filter(agent_id__in=list(by_agent)).select_related("goal"):
        by_agent[badge.agent_id].badges.append(badge)
    for recognition in (
        Recognition.objects.filter(organisation=organisation, agent_id__in=list(by_agent))
        .select_related("giver", "goal")
        .order_by("-created_at", "-pk")
    ):
        card = by_agent[recognition.agent_id]
        if len(card.recognitions) < RECENT_RECOGNITIONS:
            card.recognitions.append(recognition)


#: How many recognitions a scorecard lists (the newest).
RECENT_RECOGNITIONS = 5


def objectives_for_users(
    *, organisation: Organisation, user_ids: Sequence[int]
) -> QuerySet[Objective]:
    """The action steps of the organisation's goals assigned to these users, open ones first."""
    from django.db.models import F

    return (
        Objective.objects.filter(goal__organisation=organisation, owner_id__in=list(user_ids))
        .select_related("goal")
        .order_by("done", F("due").asc(nulls_last=True), "pk")
    )
