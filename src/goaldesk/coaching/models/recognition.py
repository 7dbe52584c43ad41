"""Scorecards' settings, recognitions and badges.

A recognition is one member thanking an agent, with a reason tied to a service goal or a value
of the service vision. A badge is earned, never given: when a team goal is achieved (every
agent who served inside its scope) or when a goal with a target for each agent closes (each
agent who met it with at least `engine.ranking.MIN_OBSERVATIONS` observations).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.goals.models import Goal
from goaldesk.team.models import Agent


class CoachingSettings(models.Model):
    """Who sees scorecards and rankings in an organisation."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="coaching_settings"
    )
    agents_see_colleagues = models.BooleanField(
        _("agents see their colleagues' scorecards"),
        default=False,
        help_text=_("Otherwise an agent sees only their own scorecard."),
    )
    viewers_see_scorecards = models.BooleanField(
        _("viewers see scorecards"),
        default=False,
        help_text=_("Otherwise members with the viewer role see no personal scorecard."),
    )
    public_rankings = models.BooleanField(
        _("rankings visible to every member"),
        default=True,
        help_text=_("Otherwise only managers and owners see the ranking of agents."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("scorecard settings")
        verbose_name_plural = _("scorecard settings")

    def __str__(self) -> str:
        return str(self.organisation)


class Recognition(models.Model):
    """A member's thanks to an agent, for a goal or a value of the service vision."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recognitions"
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="recognitions")
    reason = models.TextField(_("reason"))
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recognitions",
        verbose_name=_("goal"),
    )
    #: A value of the vision (goals.Strategy.values) as it was worded when given.
    value = models.CharField(_("value of the vision"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="recognition_org_created")
        ]

    def __str__(self) -> str:
        return f"{self.agent}: {self.reason[:40]}"


class BadgeKind(models.TextChoices):
    TEAM_GOAL = "team_goal", _("Team goal achieved")
    PERSONAL_TARGET = "personal_target", _("Personal target met")


class Badge(models.Model):
    """Earned once per agent, kind and goal (awarding again changes nothing)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="badges")
    kind = models.CharField(_("kind"), max_length=20, choices=BadgeKind.choices)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="badges")
    #: The agent's own value and sample for a personal target (metric units); None otherwise.
    value = models.FloatField(null=True, blank=True)
    sample = models.PositiveIntegerField(null=True, blank=True)
    earned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-earned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "kind", "goal"], name="badge_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent}: {self.kind} ({self.goal_id})"


class GoalBadgesAwarded(models.Model):
    """A closed goal whose badges were handed out, so the clock does not look at it again."""

    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="+")
    awarded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.goal_id)
