"""Quality reviews: rubrics (versioned once used), reviews with one answer per criterion, the
review queue and its rules.

A rubric's criteria live in a `RubricVersion`. Editing a rubric whose current version has been
used by a review makes a new version (a copy with the changes), so that every stored review keeps
the criteria it was scored against; a version nobody used yet is edited in place. The score of
a review is computed by `engine.quality` and stored (`QualityReview.score`); the interaction's
`qa_reviews` / `qa_score_sum` columns are kept current from the stored scores
(`coaching.quality_services`).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation

__all__ = [
    "Criterion",
    "DisputeOutcome",
    "QualityReview",
    "QualitySettings",
    "QueueItem",
    "QueueReason",
    "ReviewAnswer",
    "ReviewState",
    "Rubric",
    "RubricVersion",
]


class Rubric(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Reviewers can score interactions with it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="rubric_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class RubricVersion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")
        ordering = ["rubric", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "number"], name="rubric_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rubric} v{self.number}"


class Criterion(models.Model):
    """One criterion of a rubric version: points from `scale_min` to `scale_max` (whole
    numbers), a weight, whether failing it zeroes the review, whether "not applicable" is
    allowed. `key` is stable across versions (the API answers by it)."""

    version = models.ForeignKey(RubricVersion, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=40, allow_unicode=True)
    label = models.CharField(_("criterion"), max_length=150)
    help_text = models.CharField(_("guidance"), max_length=500, blank=True)
    scale_min = models.SmallIntegerField(_("lowest points"), default=0)
    scale_max = models.SmallIntegerField(_("highest points"), default=2)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.01)])
    critical = models.BooleanField(
        _("critical"), default=False, help_text=_("Failing it makes the whole review score 0.")
    )
    not_applicable_allowed = models.BooleanField(_("may be not applicable"), default=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="criterion_unique_key")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def points(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the agent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPUTED = "disputed", _("Disputed")
    RESOLVED = "resolved", _("Dispute resolved")


class DisputeOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld: the review was corrected")
    REJECTED = "rejected", _("Rejected: the review stands")


class QualityReview(models.Model):
    """One reviewer's review of one interaction. `agent` is the agent credited when the review
    was made (the interaction's agent then), so a later reassignment does not move it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    interaction = models.ForeignKey(
        "interactions.Interaction", on_delete=models.CASCADE, related_name="quality_reviews"
    )
    rubric_version = models.ForeignKey(
        RubricVersion, on_delete=models.RESTRICT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        "team.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: 0–100 (engine.quality.review_score); None when every criterion was not applicable.
    score = models.FloatField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    state = models.CharField(
        max_length=16, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.TextField(_("reason"), blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=DisputeOutcome.choices, blank=True)
    resolution_note = models.TextField(_("note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quality review")
        verbose_name_plural = _("quality reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "reviewer"], name="quality_review_one_per_reviewer"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "state"], name="quality_review_org_state"),
            models.Index(fields=["organisation", "agent"], name="quality_review_org_agent"),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of {self.interaction_id}"


class ReviewAnswer(models.Model):
    review = models.ForeignKey(QualityReview, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.RESTRICT, related_name="+")
    #: None: not applicable.
    points = models.SmallIntegerField(null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class QualitySettings(models.Model):
    """The rules that fill an organisation's review queue."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    sample_per_agent_week = models.PositiveSmallIntegerField(
        _("random interactions per agent and week"),
        default=2,
        help_text=_("0 turns the random sample off."),
    )
    low_csat = models.BooleanField(_("every interaction with a CSAT of 1 or 2"), default=True)
    negative_sentiment = models.BooleanField(
        _("every interaction that ended with a negative sentiment"), default=True
    )

    class Meta:
        verbose_name = _("review queue rules")
        verbose_name_plural = _("review queue rules")

    def __str__(self) -> str:
        return f"queue rules of {self.organisation_id}"


class QueueReason(models.TextChoices):
    SAMPLE = "sample", _("Random sample")
    LOW_CSAT = "low_csat", _("CSAT of 1–2")
    LOW_SURVEY = "low_survey", _("Survey answer: NPS of 0–6 or CES of 6–7")
    NEGATIVE_SENTIMENT = "negative_sentiment", _("Negative sentiment at the end")


class QueueItem(models.Model):
    """An interaction waiting for a review; `done_at` is set when it is first reviewed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    interaction = models.ForeignKey(
        "interactions.Interaction", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=24, choices=QueueReason.choices)
    #: The first day of the interaction's week (the organisation's first day of the week).
    week = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review queue item")
        verbose_name_plural = _("review queue items")
        ordering = ["done_at", "week", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "interaction"], name="queue_item_one_per_interaction"
            )
        ]

    def __str__(self) -> str:
        return f"queue {self.interaction_id} ({self.reason})"
