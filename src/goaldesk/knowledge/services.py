"""Writes of the FAQ: categories, articles and their translations, publish states, and what the
public help centre records (page views in visits, answers, the contact form)."""

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Interaction
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interaction_create
from goaldesk.knowledge import search
from goaldesk.knowledge.models import (
    Article,
    ArticleStateChange,
    ArticleTranslation,
    Category,
    ContactFromArticle,
    PageView,
    Visit,
    Vote,
)

#: The longest gap between two page views of one visit.
VISIT_GAP = dt.timedelta(minutes=30)


def new_visitor_key() -> str:
    """A random visitor key for the help centre's cookie (it identifies nothing but itself)."""
    return secrets.token_urlsafe(18)


def _local_date(organisation: Organisation, at: dt.datetime) -> dt.date:
    return at.astimezone(organisation.tzinfo).date()


# --- writing the FAQ --------------------------------------------------------------------------


def category_save(
    *,
    organisation: Organisation,
    names: Mapping[str, str],
    position: int = 0,
    category: Category | None = None,
) -> Category:
    """Create a category (or rename `category`): `names` maps language codes to names."""
    cleaned = {code: name.strip() for code, name in names.items() if name and name.strip()}
    with transaction.atomic():
        if category is None:
            category = Category(organisation=organisation)
        category.names = cleaned
        category.position = position
        category.save()
    return category


def category_delete(*, category: Category) -> None:
    """Delete a category; its articles stay, without a category."""
    category.delete()


def article_create(
    *,
    organisation: Organisation,
    user: Any,
    category: Category | None = None,
    at: dt.datetime | None = None,
) -> Article:
    """A new draft article (its texts come with `article_translation_save`)."""
    at = at or timezone.now()
    with transaction.atomic():
        article = Article.objects.create(
            organisation=organisation,
            category=category,
            state=Article.State.DRAFT,
            state_changed_by=user,
            state_changed_at=at,
        )
        ArticleStateChange.objects.create(
            article=article,
            state=article.state,
            changed_by=user,
            changed_at=at,
        )
    return article


def article_category_set(*, article: Article, category: Category | None) -> None:
    if category is not None and category.organisation_id != article.organisation_id:
        raise ValueError("category of another organisation")
    Article.objects.filter(pk=article.pk).update(category=category, updated_at=timezone.now())
    article.category = category


def article_translation_save(
    *, article: Article, language: str, title: str, body: str, user: Any
) -> ArticleTranslation:
    """Write the article's text in `language` (creating it or replacing it)."""
    with transaction.atomic():
        translation, _created = ArticleTranslation.objects.update_or_create(
            article=article,
            language=language,
            defaults={
                "title": title.strip(),
                "body": body,
                "search_text": search.search_text(title, body),
                "updated_by": user,
            },
        )
        Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    return translation


def article_translation_delete(*, translation: ArticleTranslation) -> None:
    translation.delete()


def article_state_set(
    *, article: Article, state: str, user: Any, at: dt.datetime | None = None
) -> Article:
    """Move the article to draft, published or archived, recording who and when.

    Publishing needs at least one translation with a title (ValueError otherwise)."""
    if state not in Article.State.values:
        raise ValueError(f"unknown state {state!r}")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if state == Article.State.PUBLISHED and not article.translations.exclude(title="").exists():
            raise ValueError("an article needs a text before it is published")
        if article.state == state:
            return article
        at = at or timezone.now()
        article.state, article.state_changed_by, article.state_changed_at = state, user, at
        article.save(update_fields=["state", "state_changed_by", "state_changed_at", "updated_at"])
        ArticleStateChange.objects.create(
            article=article, state=state, changed_by=user, changed_at=at
        )
    return article


# --- what the public help centre records ---------------------------------------------------


def _current_visit(
    organisation: Organisation, visitor_key: str, at: dt.datetime, *, lock: bool
) -> Visit | None:
    """The visitor's visit still going at `at` (last view at most 30 minutes before)."""
    found = Visit.objects.filter(
        organisation=organisation,
        visitor_key=visitor_key,
        last_seen_at__lte=at,
        last_seen_at__gte=at - VISIT_GAP,
    ).order_by("-last_seen_at")
    if lock:
        found = found.select_for_update()
    return found.first()


def page_view_record(
    *,
    organisation: Organisation,
    visitor_key: str,
    article: Article | None = None,
    language: str = "",
    at: dt.datetime | None = None,
) -> Visit:
    """Record one page view of the help centre: it continues the visitor's visit when their
    last view was at most 30 minutes before, else it starts a new visit."""
    at = at or timezone.now()
    with transaction.atomic():
        visit = _current_visit(organisation, visitor_key, at, lock=True)
        if visit is None:
            visit = Visit.objects.create(
                organisation=organisation,
                visitor_key=visitor_key,
                started_at=at,
                last_seen_at=at,
                local_date=_local_date(organisation, at),
                viewed_article=article is not None,
            )
        else:
            visit.last_seen_at = at
            visit.viewed_article = visit.viewed_article or article is not None
            visit.save(update_fields=["last_seen_at", "viewed_article"])
        PageView.objects.create(visit=visit, article=article, language=language, viewed_at=at)
    return visit


def vote_record(
    *,
    article: Article,
    language: str,
    visitor_key: str,
    helpful: bool,
    missing: str = "",
    at: dt.datetime | None = None,
) -> Vote:
    """The visitor's answer to "did this answer your question?"; answering again replaces the
    earlier answer (and its day), so one visitor counts once per article and language."""
    at = at or timezone.now()
    with transaction.atomic():
        vote, _created = Vote.objects.update_or_create(
            article=article,
            language=language,
            visitor_key=visitor_key,
            defaults={
                "helpful": helpful,
                "missing": "" if helpful else missing.strip()[:2000],
                "answered_at": at,
                "local_date": _local_date(article.organisation, at),
            },
        )
    return vote


def contact_from_article_create(
    *,
    organisation: Organisation,
    article: Article | None,
    language: str,
    visitor_key: str,
    name: str,
    email: str,
    message: str,
    at: dt.datetime | None = None,
) -> ContactFromArticle:
    """The help centre's "contact us" form: a web-form interaction (through interactions'
    services, so its derived columns and day summaries stay right), linked to the article the
    visitor came from and to the visit it was sent in."""
    at = at or timezone.now()
    with transaction.atomic():
        interaction = interaction_create(
            organisation=organisation,
            data=InteractionData(
                external_id=f"faq-{secrets.token_hex(8)}",
                channel="web",
                created_at=at,
                customer_id=email.strip().lower()[:150],
                status="open",
            ),
        )
        return contact_link(
            interaction=interaction,
            article=article,
            language=language,
            visitor_key=visitor_key,
            name=name,
            email=email,
            message=message,
        )


def contact_link(
    *,
    interaction: Interaction,
    article: Article | None,
    language: str,
    visitor_key: str,
    name: str = "",
    email: str = "",
    message: str = "",
) -> ContactFromArticle:
    """Record that a web-form interaction came from the help centre's "contact us" (of
    `article`), sent during the visitor's visit if one was going on at its time."""
    organisation = interaction.organisation
    at = interaction.created_at
    with transaction.atomic():
        visit = _current_visit(organisation, visitor_key, at, lock=True) if visitor_key else None
        if visit is not None:
            visit.last_seen_at = at
            visit.save(update_fields=["last_seen_at"])
        return ContactFromArticle.objects.create(
            organisation=organisation,
            interaction=interaction,
            article=article,
            language=language,
            visit=visit,
            name=name.strip()[:200],
            email=email.strip(),
            message=message.strip(),
            created_at=at,
        )
