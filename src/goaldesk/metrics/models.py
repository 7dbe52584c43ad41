"""Day summaries: what the interactions of one day add up to, kept so that a period's figures
need not read every interaction (metrics/summaries.py builds and reads them).

Which days are current is decided by the database itself: triggers on the interactions table
(migration 0001) bump a day's `DayStamp.version` in the same transaction as any insert, update
or delete of an interaction of that day, whatever code wrote it (an import, an API call, a
merge of agents, the deletion of a team). A day's summaries count only while the stamp's
`built_version` equals its `version` and they were built with the aggregates the catalogue
asks of the organisation today (`built_with`); every other day is read from the interactions
themselves. So a figure is never stale, only slower until the worker has caught up.

`DaySummary` keeps the same days for the dashboard: everyone's interactions, and each
channel's, agent's, team's and category's on its own.

No table here has a foreign key to the organisation: a trigger may stamp a day while the
organisation is being deleted, and the worker drops the rows of organisations that are gone.
"""

from django.db import models


class DayStamp(models.Model):
    """How often the interactions of one organisation's day have changed, and how far the
    summaries of that day have caught up."""

    organisation_id = models.BigIntegerField()
    day = models.DateField()
    version = models.BigIntegerField(default=1)
    built_version = models.BigIntegerField(default=0)
    #: The fingerprint of the aggregates the summaries were built with ("" = never built).
    built_with = models.CharField(max_length=40, blank=True, default="")
    #: A random token given at each build: figures kept in a process's memory are kept under
    #: the tokens of the days they were computed from, so a day built again (or a database
    #: restored from a copy) never matches them.
    built_token = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation_id", "day"], name="day_stamp_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day} v{self.version} (built v{self.built_version})"


class AgentDaySummary(models.Model):
    """One day's interactions of one agent in one team (0: none) on one channel ("": every
    channel, the row a figure without a channel filter reads), added up: `sums` holds the
    catalogue's count and sum aggregates as float64 in the order of the stamp's fingerprint
    (NaN: a sum of nothing), `durations` the duration columns of every interaction that has
    one, as float64 rows of the catalogue's duration columns (NaN: no value)."""

    organisation_id = models.BigIntegerField()
    day = models.DateField()
    agent_id = models.BigIntegerField()
    team_id = models.BigIntegerField()
    channel = models.CharField(max_length=16, blank=True)
    sums = models.BinaryField()
    durations = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "day", "agent_id", "team_id", "channel"],
                name="agent_day_summary_unique",
            )
        ]
        # A period reads one channel's rows (most often "", every channel) of its days.
        indexes = [
            models.Index(
                fields=["organisation_id", "channel", "day"], name="agent_day_summary_channel"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.organisation_id} {self.day} agent {self.agent_id} team {self.team_id} "
            f"{self.channel or 'all channels'}"
        )


class DaySummary(models.Model):
    """One day's interactions of one organisation, all of them (`dimension` "") or those of
    one channel, agent, team or category (`dimension` names which, `group_key` which one: the
    channel code, the agent's or team's id, the category; "" for no agent, team or category).

    `sums` holds the count and sum aggregates as in AgentDaySummary (and each channel's
    contacts); `durations` the duration columns' values: first how many each column has
    (int64), then the values of each column in turn (float64, no NaN), so that a period's
    exact median and p90 are taken over the values themselves; `customers` the day's distinct
    customers as sorted int64 fingerprints of their keys (returning customers are counted
    across days)."""

    organisation_id = models.BigIntegerField()
    day = models.DateField()
    dimension = models.CharField(max_length=8, blank=True)
    group_key = models.CharField(max_length=100, blank=True)
    sums = models.BinaryField()
    durations = models.BinaryField()
    customers = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "dimension", "group_key", "day"],
                name="day_summary_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day} {self.dimension or 'all'} {self.group_key}"
