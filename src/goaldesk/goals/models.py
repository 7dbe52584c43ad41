"""Strategy, business goals, service goals with milestones, objectives, confidence votes,
revisions, and the organisation's service-level thresholds.

A goal's progress is never stored while it runs: it is computed from the interactions (see
`goals.selectors`). Only when the deadline has passed is the outcome written down
(`outcome`, `final_value`), so an archived goal keeps the value it had.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation


class Strategy(models.Model):
    """The organisation's service vision, shown to the whole team."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="service_strategy"
    )
    vision = models.TextField(_("service vision"), blank=True)
    #: The values of the vision, short phrases a recognition can name ("We own the problem").
    values = models.JSONField(_("values"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("service strategy")
        verbose_name_plural = _("service strategies")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.vision[:40]}"


class BusinessGoalKind(models.TextChoices):
    REDUCE_COSTS = "reduce_costs", _("Reduce costs")
    INCREASE_REVENUE = "increase_revenue", _("Increase revenue")
    STRENGTHEN_BRAND = "strengthen_brand", _("Strengthen the brand")
    GROW_STEADILY = "grow_steadily", _("Grow steadily")
    CUSTOMER_EXPERIENCE = "customer_experience", _("Improve the customer experience")
    OWN = "own", _("Our own")


class BusinessGoal(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="business_goals"
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=BusinessGoalKind.choices, default=BusinessGoalKind.OWN
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("business goal")
        verbose_name_plural = _("business goals")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="business_goal_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class GoalType(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction")
    PRODUCTIVITY = "productivity", _("Productivity")
    RECOVERY = "recovery", _("Recovery")
    LOYALTY = "loyalty", _("Loyalty")
    RATINGS = "ratings", _("Ratings and reviews")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    RESOLUTION = "resolution", _("Resolution")
    FIELD_SERVICE = "field_service", _("Field service")
    CUSTOM = "custom", _("Custom")


class Statistic(models.TextChoices):
    """Which statistic of a duration metric a goal follows."""

    MEDIAN = "median", _("median")
    MEAN = "mean", _("mean")
    P90 = "p90", _("90th percentile")


class ValueUnit(models.TextChoices):
    """How a duration goal's numbers are typed and shown (stored in seconds)."""

    SECONDS = "seconds", _("seconds")
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


class Outcome(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")
    NO_DATA = "no_data", _("Ended without data")


class Goal(models.Model):
    """A service goal: metric + scope + baseline + target + deadline + milestones + why."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=200)
    goal_type = models.CharField(
        _("type"), max_length=32, choices=GoalType.choices, default=GoalType.CUSTOM
    )
    metric_key = models.CharField(_("metric"), max_length=64)
    statistic = models.CharField(
        _("statistic"),
        max_length=8,
        choices=Statistic.choices,
        default=Statistic.MEDIAN,
        help_text=_("For time metrics: which statistic of the times the goal follows."),
    )
    value_unit = models.CharField(
        _("unit for times"), max_length=8, choices=ValueUnit.choices, default=ValueUnit.HOURS
    )
    #: {"channel": …, "team": …, "agent": …, "category": …}; {} is the whole organisation.
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    baseline_from = models.DateField(_("baseline from"))
    baseline_to = models.DateField(_("baseline to"))
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_sample = models.PositiveIntegerField(_("baseline sample size"), default=0)
    target = models.FloatField(_("target"))
    #: The value each agent in the scope should reach on their own ("each agent: CSAT at
    #: least 85 %"), in metric units; shown on the scorecards, earns a badge when met.
    person_target = models.FloatField(_("target for each agent"), null=True, blank=True)
    start = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    tracking_window_days = models.PositiveSmallIntegerField(
        _("tracking window (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Each day's value is measured over this many days ending that day."),
    )
    business_goal = models.ForeignKey(
        BusinessGoal,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="service_goals",
        verbose_name=_("business goal"),
    )
    reason = models.TextField(_("why it serves the business goal"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_goals",
        verbose_name=_("owner"),
    )
    template = models.CharField(max_length=40, blank=True)
    #: The SMART warnings the manager confirmed when saving (codes), with who and when.
    confirmed_warnings = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.ACTIVE
    )
    final_value = models.FloatField(_("final value"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: The status the owner and managers were last told of (`goals.alerts`), so that only a
    #: change of status is told.
    alerted_state = models.CharField(max_length=16, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service goal")
        verbose_name_plural = _("service goals")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["organisation", "outcome"], name="goal_org_outcome")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.outcome == Outcome.ACTIVE


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "date"], name="milestone_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"


class Objective(models.Model):
    """An action step under a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goal_objectives",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["done", "due", "pk"]

    def __str__(self) -> str:
        return self.title


class Confidence(models.Model):
    """One team member's view of how reachable a goal is (1–5)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="confidence_votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("confidence vote")
        verbose_name_plural = _("confidence votes")
        constraints = [
            models.UniqueConstraint(fields=["goal", "user"], name="confidence_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}/{self.user_id}: {self.rating}"


class Revision(models.Model):
    """A change of a goal's target, deadline, milestones or scope, with its reason."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"))
    #: {field: [before, after]} with JSON-ready values.
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.created_at:%Y-%m-%d}"


class LevelSettings(models.Model):
    """The owner's service-level thresholds (engine LevelThresholds.as_dict())."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="level_settings"
    )
    thresholds = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("service-level thresholds")
        verbose_name_plural = _("service-level thresholds")

    def __str__(self) -> str:
        return str(self.organisation)


class LevelAlert(models.Model):
    """The service level the managers were last told of (`goals.alerts.level_alert_check`)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="level_alert"
    )
    level = models.CharField(max_length=32, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.level}"
