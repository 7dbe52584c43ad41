"""The FAQ: categories, articles with one translation per language, and what the public help
centre records — page views grouped into visits, "did this answer your question?" answers, and
the "contact us" form's interactions linked to the article the visitor came from.

Why visits are stored rather than computed from page views: a visit is one visitor key's page
views with no gap over 30 minutes, so whether a view starts a new visit depends only on the
visitor's previous view. Deciding it when the view is recorded (services.page_view_record)
gives every metric the same visits, per day, with no look-back over earlier days.

The visitor key is a random value in a first-party cookie (no tracking, explained on the page);
nothing else about the visitor is stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation


class Category(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="faq_categories"
    )
    #: language code → name; the organisation's language first, then any other.
    names = models.JSONField(_("names"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name_in("")

    def name_in(self, language: str) -> str:
        """The name in `language`, else in the organisation's language, else any."""
        names = self.names or {}
        return (
            names.get(language)
            or names.get(self.organisation.language)
            or next((v for v in names.values() if v), "")
        )


class Article(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="faq_articles"
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("category"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    #: who set the present state, and when (the history is in ArticleStateChange).
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("FAQ article")
        verbose_name_plural = _("FAQ articles")
        ordering = ["pk"]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return f"article {self.pk}"


class ArticleStateChange(models.Model):
    """Who moved an article to draft, published or archived, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(max_length=16, choices=Article.State.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.state}"


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    #: title and body folded for search (knowledge/search.py), written with them.
    search_text = models.TextField(blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article", "language"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="faq_one_text_per_lang")
        ]

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    """One visitor key's page views with no gap over 30 minutes."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="faq_visits"
    )
    visitor_key = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    #: the day the visit began, in the organisation's time zone (the metrics count by it).
    local_date = models.DateField()
    viewed_article = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "visitor_key", "-last_seen_at"]),
            models.Index(fields=["organisation", "local_date"]),
        ]

    def __str__(self) -> str:
        return f"visit {self.pk}"


class PageView(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="views")
    #: None: the help centre's front page, a category or a search.
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="views"
    )
    language = models.CharField(max_length=8, blank=True)
    viewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"view {self.pk}"


class Vote(models.Model):
    """A visitor's answer to "did this answer your question?" for one article and language;
    answering again replaces the answer (one visitor counts once)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    language = models.CharField(max_length=8)
    visitor_key = models.CharField(max_length=64)
    helpful = models.BooleanField()
    missing = models.TextField(_("what was missing?"), blank=True, max_length=2000)
    answered_at = models.DateTimeField()
    local_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language", "visitor_key"], name="faq_one_vote_per_visitor"
            )
        ]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class ContactFromArticle(models.Model):
    """An interaction created by the help centre's "contact us" form, and where it came from."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    interaction = models.OneToOneField(
        "interactions.Interaction", on_delete=models.CASCADE, related_name="faq_contact"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    language = models.CharField(max_length=8, blank=True)
    #: the visit during which the form was sent (None: no page view within 30 minutes).
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    message = models.TextField(max_length=5000)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"contact {self.pk}"
