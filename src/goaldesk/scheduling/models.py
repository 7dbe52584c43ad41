"""Shift scheduling: rules, agents' work profiles and absences, schedules, shifts and swaps."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.core.display import lnum
from goaldesk.core.models import BackgroundJob


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
        db_table = "workforce_schedulingrules"  # created by the former workforce app
        verbose_name = _("scheduling rules")
        verbose_name_plural = _("scheduling rules")

    def __str__(self) -> str:
        return f"{self.organisation} rules"


class AgentProfile(models.Model):
    """What the scheduler knows of an agent: contract, availability and preferences (skills and
    their levels live in `team`: `team.selectors.agent_skill_codes`).

    `availability` maps ISO weekday ("1" … "7") to [["HH:MM", "HH:MM"], …]; empty: always
    available. `feed_version` is part of the signed calendar-feed address: raising it revokes
    every address given out before.
    """

    agent = models.OneToOneField(
        "team.Agent", on_delete=models.CASCADE, related_name="work_profile"
    )
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
        db_table = "workforce_agentprofile"  # created by the former workforce app
        verbose_name = _("work profile")
        verbose_name_plural = _("work profiles")

    def __str__(self) -> str:
        return f"{self.agent} profile"


class AgentAbsence(models.Model):
    """A dated exception: the agent cannot work from `start` to `end`."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave")
        TRAINING = "training", _("Training")
        HOLIDAY = "holiday", _("Holiday")
        OTHER = "other", _("Other")

    agent = models.ForeignKey("team.Agent", on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LEAVE)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        db_table = "workforce_agentabsence"  # created by the former workforce app
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.agent} {self.kind} {self.start:%Y-%m-%d}"


class Schedule(BackgroundJob):
    """One week's schedule: the requirement it covers, the solving job and its result."""

    class State(models.TextChoices):
        """A job's states, stored alike; a running schedule reads "Solving" in the lists."""

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    #: The solver's verdicts (`status`) as a reader sees them.
    STATUS_LABELS = {
        "optimal": _("Optimal"),
        "feasible": _("Best found in the time limit"),
        "infeasible": _("The rules contradict each other"),
        "unknown": _("No schedule found in time"),
    }

    progress_dom_id = "schedule-progress"
    progress_label = _("Solver progress")
    progress_stopped = _("The solver stopped:")

    def status_label(self) -> str:
        """The solver's verdict in the reader's language ("" before it has one)."""
        label = self.STATUS_LABELS.get(self.status)
        return str(label) if label is not None else self.status

    class Meta:
        db_table = "workforce_schedule"  # created by the former workforce app
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["-week_start", "-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.week_start} ({self.state})"

    @property
    def gap_percent(self) -> float | None:
        return None if self.gap is None else 100 * self.gap

    @property
    def solving_seconds(self) -> float:
        """Seconds the solver has worked: its last report, or the clock since it started if
        that is later (it reports only when it finds a better schedule)."""
        if self.state == self.State.RUNNING and self.started_at:
            return max(self.elapsed_seconds, (timezone.now() - self.started_at).total_seconds())
        return self.elapsed_seconds

    @property
    def percent(self) -> int:
        """Share of the time limit used so far, at most 99 until the solver ends (it may end
        earlier); 100 once finished."""
        if self.finished:
            return 100
        return min(99, round(100 * self.solving_seconds / max(1, self.time_limit_seconds)))

    def progress_url(self) -> str:
        return reverse("scheduling:schedule_progress", args=[self.organisation.slug, self.pk])

    def progress_running_html(self) -> SafeString:
        solving = gettext("Solving: %(seconds)s of at most %(limit)s seconds.") % {
            "seconds": lnum(self.solving_seconds),
            "limit": lnum(self.time_limit_seconds),
        }
        if self.best_objective is None:
            return format_html("{} {}", solving, gettext("No schedule found yet."))
        best = gettext(
            "Best objective so far: %(best)s (proven bound %(bound)s, %(n)s schedules found)."
        ) % {
            "best": lnum(self.best_objective),
            "bound": lnum(self.best_bound),
            "n": lnum(self.solutions),
        }
        return format_html(
            '{} <span data-best-objective="{}">{}</span>',
            solving,
            formats.localize(self.best_objective),  # as a template writes a float
            best,
        )


class ScheduledShift(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey(
        "team.Agent", on_delete=models.CASCADE, related_name="scheduled_shifts"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    break_start = models.DateTimeField(null=True, blank=True)
    break_end = models.DateTimeField(null=True, blank=True)
    edited = models.BooleanField(default=False)

    class Meta:
        db_table = "workforce_scheduledshift"  # created by the former workforce app
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
        "team.Agent", on_delete=models.CASCADE, related_name="swaps_offered"
    )
    taken_by = models.ForeignKey(
        "team.Agent",
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
        db_table = "workforce_shiftswap"  # created by the former workforce app
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.shift} {self.state}"


class StaffingAlert(models.Model):
    """What the last staffing check told the managers: the short intervals of the coming days,
    so that the next check tells only of intervals newly short (`staffing_shortfall_check`)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="staffing_alert"
    )
    #: ["<interval start, ISO 8601> <skill>", …] short at the last check.
    intervals = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {len(self.intervals)} short"
