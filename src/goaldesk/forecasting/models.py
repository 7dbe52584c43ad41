"""Forecasting: demand histories, forecasts, staffing inputs and requirements.

The latest finished `ForecastRun` of an organisation is "the plan": its `ForecastInterval`s are
the forecast, its `RequirementInterval`s the agents needed per interval and channel (see
`forecasting.selectors.requirement_for_week`, which the scheduler reads). Older runs keep their
summary (methods and accuracy) but their interval rows are removed when a newer run finishes.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.core.display import lnum
from goaldesk.core.models import BackgroundJob
from goaldesk.interactions.models import Channel, channel_label

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
        db_table = "workforce_historyupload"  # created by the former workforce app
        verbose_name = _("demand history upload")
        verbose_name_plural = _("demand history uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    def channel_labels(self) -> list[str]:
        """The file's channels by their translated labels."""
        return [channel_label(channel) for channel in self.channels]


class HistoryPoint(models.Model):
    upload = models.ForeignKey(HistoryUpload, on_delete=models.CASCADE, related_name="points")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    start = models.DateTimeField()
    volume = models.FloatField()

    class Meta:
        db_table = "workforce_historypoint"  # created by the former workforce app
        indexes = [models.Index(fields=["upload", "channel", "start"], name="history_point_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.start} {self.volume}"


class ForecastRun(BackgroundJob):
    """One forecasting job: its inputs, progress and, when done, each channel's methods."""

    class Source(models.TextChoices):
        INTERACTIONS = "interactions", _("Interactions")
        UPLOAD = "upload", _("Uploaded history")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="forecast_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.INTERACTIONS)
    upload = models.ForeignKey(
        HistoryUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    interval_minutes = models.PositiveSmallIntegerField(choices=INTERVAL_CHOICES, default=30)
    horizon_days = models.PositiveSmallIntegerField(
        default=28, validators=[MinValueValidator(1), MaxValueValidator(56)]
    )
    history_weeks = models.PositiveSmallIntegerField(default=26)
    steps_total = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    step_label = models.CharField(max_length=200, blank=True)
    #: Per channel: {"channel", "method", "methods": [{"method", "wape", "mase"}], "first_day",
    #: "last_day", "aht_seconds", "note"}.
    channels = models.JSONField(default=list, blank=True)
    first_day = models.DateField(null=True, blank=True, help_text="first forecast day (local)")

    progress_dom_id = "run-progress"
    progress_label = _("Forecast progress")
    progress_stopped = _("The forecast stopped:")

    class Meta:
        db_table = "workforce_forecastrun"  # created by the former workforce app
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M} ({self.state})"

    def progress_counts(self) -> tuple[int, int | None]:
        return self.steps_done, self.steps_total

    def progress_url(self) -> str:
        return reverse("forecasting:run_progress", args=[self.organisation.slug, self.pk])

    def progress_running_html(self) -> SafeString:
        return format_html(
            '{} <small class="muted"><bdi>{}</bdi></small>',
            gettext("Step %(done)s of %(total)s")
            % {"done": lnum(self.steps_done), "total": lnum(self.steps_total)},
            self.step_label,
        )


class ForecastInterval(models.Model):
    """A forecast interval with volume; intervals not stored forecast zero (closed)."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="intervals")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    start = models.DateTimeField()
    forecast = models.FloatField()
    lower = models.FloatField()
    upper = models.FloatField()

    class Meta:
        db_table = "workforce_forecastinterval"  # created by the former workforce app
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
        db_table = "workforce_staffinginputs"  # created by the former workforce app
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
        db_table = "workforce_requirementinterval"  # created by the former workforce app
        indexes = [models.Index(fields=["run", "start", "channel"], name="requirement_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.start} {self.agents}"
