"""The people who serve customers: agents (with or without a login) and the teams they belong to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        db_table = "interactions_team"  # created before the team app existed
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """A person who handles contacts, with or without a login."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agents")
    key = models.CharField(_("key"), max_length=150, help_text=_("E-mail address or code"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="agents"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agent_records",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["name", "key"]
        db_table = "interactions_agent"  # created before the team app existed
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="agent_unique_key")
        ]

    def __str__(self) -> str:
        return self.name or self.key


class AgentAlias(models.Model):
    """Another spelling that names an agent in imported files (kept when agents are merged or an
    import maps a name to an agent), stored folded (engine.names.fold_name) for matching."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="aliases")
    folded = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("other spelling")
        verbose_name_plural = _("other spellings")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "folded"], name="agent_alias_unique")
        ]

    def __str__(self) -> str:
        return self.folded
