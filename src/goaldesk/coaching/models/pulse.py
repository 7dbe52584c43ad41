"""The team pulse: a short anonymous survey every week or two.

Anonymity is built into what is stored, not promised by the pages:

* `PulseTally` holds, per round, question and value, only *how many* people gave that value.
  There is no row per answer, so no answer can be joined to a person, a time or an order of
  arrival (a row per answer would carry its insertion order even without a timestamp).
* `PulseReceipt` records who has answered a round (so each person answers once), with no time
  and nothing that points at the tallies.
* Free-text comments are not collected: in a small team the words identify the writer
  whatever threshold applies (people who want to be heard by name have the goals' confidence
  votes and their comments).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation

#: Results of a round are shown only when at least this many people answered.
PULSE_MIN_ANSWERS = 5


class PulseQuestion(models.TextChoices):
    WORKLOAD = "workload", _("Workload")
    FAIRNESS = "fairness", _("Fairness of the schedule")
    RECOMMEND = "recommend", _("Would you recommend working here?")


#: The values each question accepts.
PULSE_SCALES: dict[str, range] = {
    PulseQuestion.WORKLOAD: range(1, 6),
    PulseQuestion.FAIRNESS: range(1, 6),
    PulseQuestion.RECOMMEND: range(0, 11),
}


class PulseSettings(models.Model):
    """Whether the organisation runs the pulse, how often, and how long a round stays open."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="pulse_settings"
    )
    enabled = models.BooleanField(_("run the pulse"), default=False)
    every_weeks = models.PositiveSmallIntegerField(
        _("a round every"),
        choices=[(1, _("week")), (2, _("two weeks"))],
        default=2,
    )
    open_days = models.PositiveSmallIntegerField(
        _("days a round stays open"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )

    class Meta:
        verbose_name = _("pulse settings")
        verbose_name_plural = _("pulse settings")

    def __str__(self) -> str:
        return f"{self.organisation}: {'on' if self.enabled else 'off'}"


class PulseRound(models.Model):
    """One round of the pulse: open from `opens_on` to `closes_on` (both included, in the
    organisation's dates)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pulse_rounds"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    #: How many people were asked when it opened.
    asked = models.PositiveIntegerField(default=0)
    #: How many answered (the tallies of each question add up to it).
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pulse round")
        verbose_name_plural = _("pulse rounds")
        ordering = ["-opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "opens_on"], name="pulse_round_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.opens_on}–{self.closes_on}"

    def is_open_on(self, day: object) -> bool:
        return self.opens_on <= day <= self.closes_on  # type: ignore[operator]


class PulseTally(models.Model):
    """How many people of a round gave `value` to `question`. Deliberately no person, no time."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="tallies")
    question = models.CharField(max_length=16, choices=PulseQuestion.choices)
    value = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pulse tally")
        verbose_name_plural = _("pulse tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question", "value"], name="pulse_tally_unique_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.question}={self.value}: {self.count}"


class PulseReceipt(models.Model):
    """That `user` answered `round` (nothing about what, nor when)."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("pulse receipt")
        verbose_name_plural = _("pulse receipts")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="pulse_receipt_once")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.user_id}"
