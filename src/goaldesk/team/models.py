"""The people who serve customers: agents (with or without a login) and the teams they belong to."""

from datetime import date

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


class Skill(models.Model):
    """Something an agent can do that scheduling and the skills matrix count: a channel, a
    language, a product or anything else the organisation names.

    `code` is a channel's value (`interactions.models.Channel`) or a language code for those
    kinds; a short code of the organisation's own for products and others, shown by `name`.
    With `requires_certification` an agent's level counts only while a passed training record
    for the skill covers the day.
    """

    class Kind(models.TextChoices):
        CHANNEL = "channel", _("Channel")
        LANGUAGE = "language", _("Language")
        PRODUCT = "product", _("Product")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skills")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True)
    requires_certification = models.BooleanField(_("certification required"), default=False)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "code"], name="skill_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def scheduling_code(self) -> str:
        """The code scheduling's requirement and solver use: "phone", "lang:fa", "product:x"."""
        if self.kind == self.Kind.CHANNEL:
            return self.code
        if self.kind == self.Kind.LANGUAGE:
            return f"lang:{self.code}"
        return f"{self.kind}:{self.code}"


class SkillLevel(models.IntegerChoices):
    LEARNING = 1, _("Learning")
    COMPETENT = 2, _("Competent")
    PROFICIENT = 3, _("Proficient")
    EXPERT = 4, _("Expert")


#: The lowest level at which a skill counts for scheduling and the skills matrix.
COUNTING_LEVEL = SkillLevel.COMPETENT


class AgentSkill(models.Model):
    """An agent's level in one skill (at most one row per agent and skill)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="agent_skills")
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agent's skill")
        verbose_name_plural = _("agents' skills")
        constraints = [
            models.UniqueConstraint(fields=["agent", "skill"], name="agent_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.skill} {self.level}"


class AgentSkillChange(models.Model):
    """One change of an agent's level in a skill: `old_level` None when it was added,
    `new_level` None when it was removed."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="skill_changes")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="changes")
    old_level = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    new_level = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("skill change")
        verbose_name_plural = _("skill changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agent} {self.skill} {self.old_level}→{self.new_level}"


class TrainingRecord(models.Model):
    """A course an agent took; with `skill` and a passed result it certifies that skill from
    `completed_on` until the day before `expires_on` (no expiry: for good)."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="training_records")
    course = models.CharField(_("course"), max_length=150)
    skill = models.ForeignKey(
        Skill,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_records",
        verbose_name=_("certifies skill"),
    )
    completed_on = models.DateField(_("completed on"))
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    score = models.FloatField(_("score"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agent} {self.course} {self.completed_on}"

    def certifies_on(self, day: date) -> bool:
        """Whether this record makes its skill count on `day`."""
        return (
            self.result == self.Result.PASSED
            and self.completed_on <= day
            and (self.expires_on is None or day < self.expires_on)
        )
