"""Interactions from every channel, reviews and imports (agents and teams live in `team`).

The canonical record and every field's meaning are in docs/metrics.md (METRICS.md). Columns
under "derived" are computed from the others by `interactions.services` when a row is written
(and recomputed when the organisation's time zone or business hours change), so the metric
queries are plain aggregates. `next_contact_at` also depends on the customer's other
interactions and is refreshed for every (customer, category) that a write touches.
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


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social media")
    WALK_IN = "walk_in", _("Walk-in desk")
    WEB = "web", _("Web form")
    FIELD = "field", _("Field visit")


def channel_label(channel: str) -> str:
    """A channel key as its translated label ("walk_in" → "Walk-in desk"); any other text (a
    label a command-line file brought in) as it is."""
    labels = dict(Channel.choices)
    return str(labels[channel]) if channel in labels else channel


#: Channels where the customer waits in a live queue (service level, abandonment, ASA).
LIVE_CHANNELS = (Channel.PHONE, Channel.CHAT, Channel.WALK_IN)


class Status(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Unresolved")
    ABANDONED = "abandoned", _("Abandoned")
    OPEN = "open", _("Open")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


#: Categories every walk-in desk starts with (stored by these keys); their default names are
#: translated, unlike the name made from any other key.
DEFAULT_CATEGORIES = (
    ("question", _("Question")),
    ("purchase", _("Purchase")),
    ("returns", _("Return or exchange")),
    ("repair", _("Repair")),
    ("billing", _("Billing")),
    ("complaint", _("Complaint")),
)


def category_default_name(key: str) -> str:
    """The name a category has until a person names it: the built-in translated name of a
    default category, otherwise the key made readable ("product_question" → "Product
    question"; only the first letter is raised, so "VIP_refund" stays "VIP refund")."""
    built_in = dict(DEFAULT_CATEGORIES).get(key)
    if built_in is not None:
        return str(built_in)
    text = " ".join(key.replace("_", " ").split())
    return text[:1].upper() + text[1:]


class Category(models.Model):
    """One of the organisation's categories: the key stored on its interactions (as the file,
    the API or the desk wrote it) and the name a person gave it in each language.

    The names are one JSON object {language code: name} rather than a column per language:
    the languages are those of `settings.LANGUAGES`, and one more language then needs no
    migration. A language without a name falls back (see `interactions.selectors`).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="categories", db_index=False
    )
    key = models.CharField(_("key"), max_length=100)
    names = models.JSONField(_("names"), default=dict, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="category_unique_key")
        ]

    def __str__(self) -> str:
        return self.key

    def name_in(self, *languages: str) -> str:
        """The name in the first of `languages` that has one, else the default name."""
        for language in languages:
            name = (self.names or {}).get(language, "").strip()
            if name:
                return name
        return category_default_name(self.key)


class Interaction(models.Model):
    # No index of its own: the unique (organisation, external_id) and the indexes below all
    # lead with the organisation, and one index fewer makes a big import faster.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    external_id = models.CharField(_("external id"), max_length=100)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    created_at = models.DateTimeField(_("created at"))
    customer_id = models.CharField(_("customer"), max_length=150, blank=True)
    agent = models.ForeignKey(
        "team.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    team = models.ForeignKey(
        "team.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    wait_seconds = models.FloatField(_("wait (seconds)"), null=True, blank=True)
    handle_seconds = models.FloatField(_("handle time (seconds)"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(
        _("CSAT"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    nps = models.PositiveSmallIntegerField(
        _("NPS answer"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    ces = models.PositiveSmallIntegerField(
        _("CES"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    sentiment_start = models.CharField(
        _("sentiment on arrival"), max_length=16, choices=Sentiment.choices, blank=True
    )
    sentiment_end = models.CharField(
        _("sentiment on leaving"), max_length=16, choices=Sentiment.choices, blank=True
    )
    arrived_at = models.DateTimeField(_("technician arrived at"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fault fixed at"), null=True, blank=True)

    # Derived (see module docstring).
    local_date = models.DateField(
        _("day"), help_text=_("created_at's day in the organisation's time zone")
    )
    is_live = models.BooleanField(default=False)
    first_response_seconds = models.FloatField(null=True, blank=True)
    first_response_business_seconds = models.FloatField(null=True, blank=True)
    resolution_seconds = models.FloatField(null=True, blank=True)
    resolution_business_seconds = models.FloatField(null=True, blank=True)
    time_to_arrive_seconds = models.FloatField(null=True, blank=True)
    time_to_fix_seconds = models.FloatField(null=True, blank=True)
    #: created_at of the same customer's next interaction in the same category (strictly
    #: later, any channel or status; None: none yet, or no customer). Unlike the columns
    #: above it depends on other rows: `interactions.services` refreshes it for every
    #: (customer, category) a write touches, so first-contact resolution is a plain aggregate.
    next_contact_at = models.DateTimeField(null=True, blank=True)
    #: The quality reviews of this interaction that have a score, and the sum of their scores
    #: (0–100 each). Coaching keeps them current when a review is saved or removed, so the
    #: quality score (`qa_score`) is a plain aggregate like the others.
    qa_reviews = models.PositiveIntegerField(default=0, db_default=0)
    qa_score_sum = models.FloatField(default=0.0, db_default=0.0)

    imported_by = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="interaction_unique_external_id"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "local_date"], name="interaction_org_day"),
            models.Index(
                fields=["organisation", "customer_id", "category", "created_at"],
                name="interaction_org_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.channel})"


class Review(models.Model):
    """An online review (Google, a marketplace, …) dated on a day, rated 1–5."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reviews")
    external_id = models.CharField(_("external id"), max_length=100)
    source = models.CharField(_("source"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("text"), blank=True)
    author = models.CharField(_("author"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="review_unique_external_id"
            )
        ]
        indexes = [models.Index(fields=["organisation", "date"], name="review_org_date")]

    def __str__(self) -> str:
        return f"{self.source} {self.date} {self.rating}"


class ImportJob(BackgroundJob):
    """One file brought in: its mapping, its progress and its result.

    `rows_done` advances in the same transaction as each batch it covers, so a job that is
    stopped half-way resumes after the last committed batch. `rows_total` is an estimate
    until the job is done.
    """

    class Kind(models.TextChoices):
        INTERACTIONS = "interactions", _("Interactions")
        REVIEWS = "reviews", _("Reviews")
        CUSTOMERS = "customers", _("Customers")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INTERACTIONS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    mapping = models.JSONField(default=dict, help_text="canonical field → file header")
    dry_run = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0, help_text="new rows")
    updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    #: every rejected row counted by (column, reason), most frequent first: only the first
    #: IMPORT_REJECTIONS_STORED rejected rows are stored (with their values) one by one
    rejection_summary = models.JSONField(
        default=list, blank=True, help_text="[{column, reason, count}]"
    )

    progress_dom_id = "import-progress"
    progress_label = _("Import progress")
    progress_stopped = _("The import stopped:")
    #: The counts so far, refreshed with the bar.
    progress_details_template = "interactions/_import_counts.html"

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.state})"

    def progress_counts(self) -> tuple[int, int | None]:
        phase = self.reducing_phase()
        if phase is not None:
            return phase
        return self.rows_done, self.rows_total

    def shaped_counts(self) -> dict[str, int] | None:
        """For an event log or thread import (interactions/reduction.py) whose rows are all
        read: its cases, the rows that opened, answered and resolved nothing, and the cases
        no row opened; else None."""
        mapping = self.mapping or {}
        if not mapping.get("_shape") or mapping.get("_cases_total") is None:
            return None
        return {
            "cases": int(mapping.get("_cases_total") or 0),
            "absorbed": int(mapping.get("_absorbed") or 0),
            "unopened": int(mapping.get("_unopened") or 0),
        }

    def reducing_phase(self) -> tuple[int, int] | None:
        """(cases done, cases) while an event log or thread file turns its cases into
        interactions (its second phase: see interactions/reduction.py), else None."""
        mapping = self.mapping or {}
        if mapping.get("_phase") != "cases":
            return None
        return int(mapping.get("_cases_done") or 0), int(mapping.get("_cases_total") or 0)

    def progress_url(self) -> str:
        return reverse("imports:progress", args=[self.organisation.slug, self.pk])

    def progress_running_html(self) -> SafeString:
        phase = self.reducing_phase()
        if phase is not None:
            return format_html(
                "{}",
                gettext(
                    "All %(rows)s rows read; cases turned into interactions: %(done)s of %(total)s"
                )
                % {"rows": lnum(self.rows_done), "done": lnum(phase[0]), "total": lnum(phase[1])},
            )
        return format_html(
            "{}",
            gettext("%(done)s of about %(total)s rows")
            % {"done": lnum(self.rows_done), "total": lnum(self.rows_total)},
        )

    def progress_done_html(self) -> SafeString:
        return format_html(
            "{}", gettext("Finished: %(done)s rows.") % {"done": lnum(self.rows_done)}
        )


class ImportRejection(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField(help_text="1 = the first data row after the header")
    column = models.CharField(max_length=100, blank=True)
    reason = models.TextField()
    raw = models.JSONField(default=dict, help_text="the row as it was in the file")

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "row_number"], name="rejection_unique_row")
        ]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


class InteractionNote(models.Model):
    """A note a person added to an interaction (shown on its page, found by the list's search)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class InteractionChange(models.Model):
    """One recorded change of an interaction: a field edited (before → after) or the
    interaction deleted (notes are their own record: `InteractionNote`).

    The organisation and external id are copied so that the record of a deletion outlives the
    interaction (its `interaction` is then empty, `interaction_number` keeps the old id).
    """

    class Action(models.TextChoices):
        EDITED = "edited", _("Edited")
        DELETED = "deleted", _("Deleted")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interaction_changes"
    )
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    interaction_number = models.PositiveBigIntegerField(help_text="the interaction's id")
    external_id = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.EDITED)
    #: the canonical column that changed ("" for a deletion)
    field = models.CharField(max_length=32, blank=True)
    #: the values as the canonical record writes them (an export's cells); for a deletion,
    #: `before` holds the whole record as JSON
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "interaction_number"], name="change_org_number")
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.action} {self.field}"


class ImportCase(models.Model):
    """One case (an event log's ticket, a thread's conversation) an import has seen so far:
    the staging table of a file that is not one row per interaction (interactions/reduction.py).

    Each batch of rows merges into it with idempotent MIN/MAX upserts, in the transaction that
    advances the job's `rows_done`, so a stopped job resumes without counting a row twice and
    the file's cases never have to fit in memory. Times are microseconds since 1970 (UTC):
    integers compare the same on every database. Removed when the job is done.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="cases")
    case_key = models.CharField(max_length=200)
    #: the earliest time of a row that opens the case (None: no such row was seen)
    opened_at = models.BigIntegerField(null=True)
    #: the earliest reply and who wrote it
    responded_at = models.BigIntegerField(null=True)
    responder = models.CharField(max_length=150, blank=True, default="")
    #: the latest time of a row that resolves the case
    resolved_at = models.BigIntegerField(null=True)
    #: {canonical field: value} of the row the case's other fields come from, and its number
    fields = models.TextField(blank=True, default="")
    fields_row = models.PositiveIntegerField(null=True)
    #: the case's last row in the file
    last_row = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "case_key"], name="import_case_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.case_key}"


class ValueMapping(models.Model):
    """What an organisation's files mean by a value GoalDesk does not know: "Self service" in
    a channel column is `web`. Chosen once on the import page, applied to every later import
    (any preset). `field` is a vocabulary: channel, status, outcome or sentiment (both
    sentiment columns); `source` is the file's value trimmed and lower-cased; `target` is a
    canonical value, "" (leave the field empty) or REJECT (reject the row)."""

    REJECT = "!reject"

    class Field(models.TextChoices):
        CHANNEL = "channel", _("Channel")
        STATUS = "status", _("Status")
        OUTCOME = "outcome", _("Outcome")
        SENTIMENT = "sentiment", _("Sentiment")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_mappings"
    )
    field = models.CharField(max_length=16, choices=Field.choices)
    source = models.CharField(max_length=200)
    target = models.CharField(max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "field", "source"], name="value_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.source} → {self.target or '∅'}"
