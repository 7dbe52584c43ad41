"""Surveys: an organisation's designs (versioned once answered), the rules that decide which
interactions get an invitation, the invitations (one unguessable link each) and the answers.

A survey's CSAT, NPS and CES answers are the interaction's: `feedback.survey_services` writes them
into the interaction through `interactions.services`, so every metric reads one definition.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation

#: A survey link works this many days after it is sent unless the rules say otherwise.
DEFAULT_EXPIRY_DAYS = 30


class QuestionKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction (CSAT, 1–5)")
    NPS = "nps", _("Likelihood to recommend (NPS, 0–10)")
    CES = "ces", _("Effort (CES, 1–7)")
    RATING = "rating", _("Rating (1–5)")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


#: The (lowest, highest) answer of each scale question.
SCALES: dict[str, tuple[int, int]] = {
    QuestionKind.CSAT: (1, 5),
    QuestionKind.NPS: (0, 10),
    QuestionKind.CES: (1, 7),
    QuestionKind.RATING: (1, 5),
}
#: The question kinds whose answer is written into the interaction's column of the same name.
INTERACTION_FIELDS = (QuestionKind.CSAT, QuestionKind.NPS, QuestionKind.CES)


class Survey(models.Model):
    """A design; its questions are those of its latest version."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    #: The survey invitations use unless the rules name another.
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class SurveyVersion(models.Model):
    """The questions of a survey as sent; a version that has answers is never changed (an edit
    makes the next version)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class SurveyQuestion(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    #: {language code: text}; a language without a text falls back (see `text_in`).
    texts = models.JSONField(default=dict, blank=True)
    #: Single choice: the options, each {language code: text}.
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.position}"


class SurveyRules(models.Model):
    """Which interactions get an invitation, and when (one row per organisation)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="survey_rules"
    )
    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Invite automatically (the worker's clock) rather than only on request.
    automatic = models.BooleanField(_("invite automatically"), default=False)
    #: Channel keys; empty: every channel.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    resolved_only = models.BooleanField(_("resolved interactions only"), default=True)
    once_per_customer_days = models.PositiveSmallIntegerField(
        _("at most one invitation per customer in this many days"), default=30
    )
    delay_hours = models.PositiveSmallIntegerField(_("hours after resolution"), default=2)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after this many days (0: never)"), default=3
    )
    expiry_days = models.PositiveSmallIntegerField(
        _("links expire after this many days"), default=DEFAULT_EXPIRY_DAYS
    )
    #: Segment ids (customers app): only customers of the included (none: everyone), never
    #: customers of the excluded. Checked when the invitation is made (`survey_services.refusal`).
    segments_included = models.JSONField(default=list, blank=True)
    segments_excluded = models.JSONField(default=list, blank=True)
    low_score_to_review = models.BooleanField(
        _("low scores to the quality review queue"), default=True
    )
    low_score_notify = models.BooleanField(_("tell the managers about a low score"), default=True)

    class Meta:
        verbose_name = _("survey rules")
        verbose_name_plural = _("survey rules")

    def __str__(self) -> str:
        return f"survey rules of {self.organisation_id}"


class SurveyInvitation(models.Model):
    """One interaction's invitation. Its link's token is never stored: the token is an HMAC of
    `nonce` under SECRET_KEY (so a reminder can repeat the link), and only its SHA-256 is kept
    to find the invitation (a copy of the database alone opens no survey)."""

    class Delivery(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LINK = "link", _("Link")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(SurveyVersion, on_delete=models.RESTRICT, related_name="+")
    interaction = models.ForeignKey(
        "interactions.Interaction", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    #: The agent credited, as the interaction had it when the invitation was made.
    agent = models.ForeignKey(
        "team.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer_id = models.CharField(max_length=150, blank=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    nonce = models.CharField(max_length=32, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: When an e-mail waits for its delay to pass: the moment it is due.
    send_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: sent_at's day in the organisation's time zone (the response rate counts by it).
    sent_on = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "sent_on"], name="survey_inv_sent_on")]
        constraints = [
            models.UniqueConstraint(fields=["interaction"], name="survey_one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.interaction_id})"

    @property
    def closed(self) -> bool:
        """Unanswered, and its link no longer works (expired or withdrawn)."""
        return (
            self.answered_at is None
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )


class SurveyResponse(models.Model):
    """The one answer to an invitation (the unique invitation refuses a second)."""

    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(SurveyVersion, on_delete=models.RESTRICT, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=8, blank=True)
    #: {question id (text): value}: an integer for scales, the option's index for a choice,
    #: text for free text.
    answers = models.JSONField(default=dict)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    ces = models.PositiveSmallIntegerField(null=True, blank=True)
    #: The free-text answers, one paragraph each.
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"response {self.invitation_id}"
