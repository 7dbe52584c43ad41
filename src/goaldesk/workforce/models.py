"""Workforce planning: demand histories, forecasts, staffing inputs and requirements.

The latest finished `ForecastRun` of an organisation is "the plan": its `ForecastInterval`s are
the forecast, its `RequirementInterval`s the agents needed per interval and channel (see
`workforce.selectors.requirement_for_week`, which the scheduler reads). Older runs keep their
summary (methods and accuracy) but their interval rows are removed when a newer run finishes.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Channel

INTERVAL_CHOICES = [(15, _("15 minutes")), (30, _("30 minutes")), (60, _("60 minutes"))]


class StaffingModel(models.TextChoices):
    ERLANG_C = "erlang_c", _("Erlang C (callers wait)")
    ERLANG_A = "erlang_a", _("Erlang A (callers abandon)")
    CHAT = "chat", _("Chat (several at once)")
    DEFERRED = "deferred", _("Deferred work (workload)")


class HistoryUpload(models.Model):
    """A demand history brought in as CSV (timestamp,volume[,channel])."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="history_uploads"
    )
    original_name = models.CharField(max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    #: The first rejected rows: [{"row": n, "column": "volume", "reason": "…"}].
    rejections = models.JSONField(default=list, blank=True)
    channels = models.JSONField(default=list, blank=True)
    first_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demand history upload")
        verbose_name_plural = _("demand history uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class HistoryPoint(models.Model):
    upload = models.ForeignKey(HistoryUpload, on_delete=models.CASCADE, related_name="points")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    start = models.DateTimeField()
    volume = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["upload", "channel", "start"], name="history_point_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.start} {self.volume}"


class ForecastRun(models.Model):
    """One forecasting job: its inputs, progress and, when done, each channel's methods."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        INTERACTIONS = "interactions", _("Interactions")
        UPLOAD = "upload", _("Uploaded history")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="forecast_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.INTERACTIONS)
    upload = models.ForeignKey(
        HistoryUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    interval_minutes = models.PositiveSmallIntegerField(choices=INTERVAL_CHOICES, default=30)
    horizon_days = models.PositiveSmallIntegerField(
        default=28, validators=[MinValueValidator(1), MaxValueValidator(56)]
    )
    history_weeks = models.PositiveSmallIntegerField(default=26)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    steps_total = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    step_label = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    #: Per channel: {"channel", "method", "methods": [{"method", "wape", "mase"}], "first_day",
    #: "last_day", "aht_seconds", "note"}.
    channels = models.JSONField(default=list, blank=True)
    first_day = models.DateField(null=True, blank=True, help_text="first forecast day (local)")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def percent(self) -> int:
        if not self.steps_total:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.steps_done / self.steps_total))

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class ForecastInterval(models.Model):
    """A forecast interval with volume; intervals not stored forecast zero (closed)."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="intervals")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    start = models.DateTimeField()
    forecast = models.FloatField()
    lower = models.FloatField()
    upper = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["run", "channel", "start"], name="forecast_interval_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.start} {self.forecast:.1f}"


class StaffingInputs(models.Model):
    """A channel's staffing inputs (what the requirement is computed for)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staffing_inputs"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    target_sl = models.FloatField(
        _("service-level target (%)"),
        default=80.0,
        validators=[MinValueValidator(1), MaxValueValidator(99.9)],
    )
    target_seconds = models.PositiveIntegerField(_("answered within (seconds)"), default=20)
    aht_seconds = models.FloatField(
        _("average handle time (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: the mean handle time of the history."),
    )
    shrinkage = models.FloatField(
        _("shrinkage (%)"),
        default=30.0,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("Breaks, training, meetings, absence: time paid but not available."),
    )
    max_occupancy = models.FloatField(
        _("maximum occupancy (%)"),
        default=85.0,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
    )
    patience_seconds = models.PositiveIntegerField(
        _("customers' patience (seconds)"),
        null=True,
        blank=True,
        help_text=_("Mean time before a waiting customer gives up. Set it to use Erlang A."),
    )
    concurrency = models.PositiveSmallIntegerField(
        _("contacts at once per agent"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    response_hours = models.FloatField(
        _("response-time target (hours)"),
        default=4.0,
        validators=[MinValueValidator(0.25), MaxValueValidator(168)],
        help_text=_("For e-mail and other deferred work: every item answered within this time."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("staffing inputs")
        verbose_name_plural = _("staffing inputs")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel"], name="staffing_inputs_unique_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.channel}"


class RequirementInterval(models.Model):
    """Agents needed in one interval for one channel, and the expected performance with them."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="requirements")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    start = models.DateTimeField()
    volume = models.FloatField()
    agents = models.PositiveIntegerField()
    agents_with_shrinkage = models.PositiveIntegerField()
    service_level = models.FloatField()
    asa_seconds = models.FloatField()
    occupancy = models.FloatField()
    p_wait = models.FloatField()
    model = models.CharField(max_length=16, choices=StaffingModel.choices)

    class Meta:
        indexes = [models.Index(fields=["run", "start", "channel"], name="requirement_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.start} {self.agents}"


# --- shift scheduling ---------------------------------------------------------------------------


class DayPart(models.TextChoices):
    NIGHT = "night", _("Night (00:00–06:00)")
    MORNING = "morning", _("Morning (06:00–12:00)")
    AFTERNOON = "afternoon", _("Afternoon (12:00–17:00)")
    EVENING = "evening", _("Evening (from 17:00)")


class SchedulingRules(models.Model):
    """An organisation's scheduling rules (hard), and what counts as an unpopular shift.

    Shifts start at one of `start_times` ("HH:MM", empty: any interval boundary) with one of
    `shift_lengths_minutes`, inside the opening hours when `within_opening_hours`. The local
    weekend is the organisation's `weekend_days`.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="scheduling_rules"
    )
    shift_lengths_minutes = models.JSONField(_("allowed shift lengths"), default=list)
    start_times = models.JSONField(_("allowed start times"), default=list, blank=True)
    within_opening_hours = models.BooleanField(
        _("shifts lie inside the opening hours"), default=True
    )
    break_minutes = models.PositiveSmallIntegerField(_("break length (minutes)"), default=30)
    break_after_minutes = models.PositiveSmallIntegerField(
        _("shifts longer than this get a break (minutes)"), default=360
    )
    break_window_start_percent = models.PositiveSmallIntegerField(
        _("break window starts at (percent of the shift)"), default=33
    )
    break_window_end_percent = models.PositiveSmallIntegerField(
        _("break window ends at (percent of the shift)"), default=67
    )
    min_rest_hours = models.FloatField(_("minimum rest between shifts (hours)"), default=11.0)
    max_consecutive_days = models.PositiveSmallIntegerField(
        _("maximum consecutive working days"), default=6
    )
    evening_after = models.TimeField(
        _("a shift still running after this time is unpopular"), default="19:00"
    )
    weekend_unpopular = models.BooleanField(_("weekend shifts are unpopular"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scheduling rules")
        verbose_name_plural = _("scheduling rules")

    def __str__(self) -> str:
        return f"{self.organisation} rules"


class AgentProfile(models.Model):
    """What the scheduler knows of an agent: skills, contract, availability and preferences.

    `availability` maps ISO weekday ("1" … "7") to [["HH:MM", "HH:MM"], …]; empty: always
    available. `feed_version` is part of the signed calendar-feed address: raising it revokes
    every address given out before.
    """

    agent = models.OneToOneField(
        "interactions.Agent", on_delete=models.CASCADE, related_name="work_profile"
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    min_hours_per_week = models.FloatField(_("minimum hours a week"), default=0.0)
    max_hours_per_week = models.FloatField(_("maximum hours a week"), default=40.0)
    max_days_per_week = models.PositiveSmallIntegerField(_("maximum days a week"), default=5)
    availability = models.JSONField(_("weekly availability"), default=dict, blank=True)
    preferred_day_parts = models.JSONField(_("preferred day parts"), default=list, blank=True)
    preferred_start_times = models.JSONField(_("preferred start times"), default=list, blank=True)
    preferred_days_off = models.JSONField(_("preferred days off"), default=list, blank=True)
    feed_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work profile")
        verbose_name_plural = _("work profiles")

    def __str__(self) -> str:
        return f"{self.agent} profile"

    @property
    def skills(self) -> list[str]:
        return [*self.channels, *(f"lang:{code}" for code in self.languages)]


class AgentAbsence(models.Model):
    """A dated exception: the agent cannot work from `start` to `end`."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave")
        TRAINING = "training", _("Training")
        HOLIDAY = "holiday", _("Holiday")
        OTHER = "other", _("Other")

    agent = models.ForeignKey(
        "interactions.Agent", on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LEAVE)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.agent} {self.kind} {self.start:%Y-%m-%d}"


class Schedule(models.Model):
    """One week's schedule: the requirement it covers, the solving job and its result."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Solving")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        FORECAST = "forecast", _("Latest staffing requirement")
        UPLOAD = "upload", _("Uploaded requirement file")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="schedules"
    )
    week_start = models.DateField(_("first day"))
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.FORECAST)
    interval_minutes = models.PositiveSmallIntegerField(default=30)
    #: [[start ISO 8601, skill, agents], …] — the requirement as it was when the job was queued.
    requirement = models.JSONField(default=list, blank=True)
    time_limit_seconds = models.PositiveIntegerField(default=30)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    solutions = models.PositiveIntegerField(default=0)
    best_objective = models.FloatField(null=True, blank=True)
    best_bound = models.FloatField(null=True, blank=True)
    elapsed_seconds = models.FloatField(default=0.0)
    status = models.CharField(max_length=16, blank=True)  # optimal, feasible, infeasible, unknown
    gap = models.FloatField(null=True, blank=True)
    #: Why no schedule could be built (the solver's plain-English reasons).
    infeasibility = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["-week_start", "-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.week_start} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def gap_percent(self) -> float | None:
        return None if self.gap is None else 100 * self.gap

    @property
    def percent(self) -> int:
        """Share of the time limit used (the solver may finish earlier)."""
        if self.finished:
            return 100
        if not self.time_limit_seconds:
            return 0
        return min(99, round(100 * self.elapsed_seconds / self.time_limit_seconds))


class ScheduledShift(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey(
        "interactions.Agent", on_delete=models.CASCADE, related_name="scheduled_shifts"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    break_start = models.DateTimeField(null=True, blank=True)
    break_end = models.DateTimeField(null=True, blank=True)
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["start", "agent_id"]
        indexes = [models.Index(fields=["schedule", "agent", "start"], name="scheduled_shift_idx")]

    def __str__(self) -> str:
        return f"{self.agent} {self.start:%Y-%m-%d %H:%M}"


class ShiftSwap(models.Model):
    """An agent offers a shift; a qualified colleague takes it; a manager approves."""

    class State(models.TextChoices):
        OFFERED = "offered", _("Offered")
        TAKEN = "taken", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    shift = models.ForeignKey(ScheduledShift, on_delete=models.CASCADE, related_name="swaps")
    offered_by = models.ForeignKey(
        "interactions.Agent", on_delete=models.CASCADE, related_name="swaps_offered"
    )
    taken_by = models.ForeignKey(
        "interactions.Agent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="swaps_taken",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.OFFERED)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.shift} {self.state}"
