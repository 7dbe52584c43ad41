"""Reads of the FAQ: the public help centre (published articles only, one organisation), the
manager pages, the metrics the catalogue's providers give, and the articles that fail most."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.interactions.detail_sections import DetailSection
from goaldesk.interactions.models import Interaction
from goaldesk.knowledge import search
from goaldesk.knowledge.models import (
    Article,
    ArticleTranslation,
    Category,
    ContactFromArticle,
    PageView,
    Visit,
    Vote,
)
from goaldesk.metrics.providers import ProvidedValue, per_period, span
from goaldesk.metrics.selectors import kpis_for_periods

RTL_LANGUAGES = frozenset(settings.LANGUAGES_BIDI)


def text_direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


# --- the public help centre ---------------------------------------------------------------


def help_centre_organisation(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def published_translations(*, organisation: Organisation) -> QuerySet[ArticleTranslation]:
    """Texts of the organisation's published articles (never a draft or an archived one)."""
    return ArticleTranslation.objects.filter(
        article__organisation=organisation, article__state=Article.State.PUBLISHED
    ).select_related("article", "article__category")


def pick_translation(
    translations: Sequence[ArticleTranslation], language: str, fallback: str
) -> ArticleTranslation | None:
    """The text in `language`, else the organisation's language, else the first."""
    by_language = {t.language: t for t in translations}
    return by_language.get(language) or by_language.get(fallback) or next(iter(translations), None)


def help_centre_articles(
    *, organisation: Organisation, language: str, query: str = "", category_id: int | None = None
) -> list[ArticleTranslation]:
    """One text per published article (in `language` where it has one), filtered by a search
    (every folded word of the query occurs in the folded title or text) and a category."""
    found = published_translations(organisation=organisation)
    terms = search.query_terms(query)
    if terms:
        matching = found
        for term in terms:
            matching = matching.filter(search_text__contains=term)
        found = found.filter(article__in=matching.values("article"))
    if category_id is not None:
        found = found.filter(article__category_id=category_id)
    grouped: dict[int, list[ArticleTranslation]] = defaultdict(list)
    for translation in found.order_by("article_id", "language"):
        grouped[translation.article_id].append(translation)
    picked = [
        pick_translation(texts, language, organisation.language) for texts in grouped.values()
    ]
    matched_language = [t for t in picked if t is not None]
    if terms:  # a match in another language than the page's shows the text that matched
        matching_pks = set(
            found.filter(*[Q(search_text__contains=term) for term in terms]).values_list(
                "pk", flat=True
            )
        )
        matched_language = [
            t
            if t.pk in matching_pks
            else next(x for x in grouped[t.article_id] if x.pk in matching_pks)
            for t in matched_language
        ]
    return matched_language


def interaction_contact_section(
    *, interaction: Interaction, membership: Membership
) -> DetailSection | None:
    """What a visitor wrote in the help centre's "contact us" form, for the interaction's page
    (registered with interactions.detail_sections in apps.py): their message, name, e-mail
    address and the article they came from (its title in the reader's language where it has
    one; a link to it for agents and above, who may open the organisation's articles)."""
    contact = (
        ContactFromArticle.objects.filter(interaction=interaction).select_related("article").first()
    )
    if contact is None:
        return None
    title, title_language = "", ""
    if contact.article is not None:
        text = pick_translation(
            list(contact.article.translations.order_by("language")),
            get_language() or contact.language,
            contact.language or interaction.organisation.language,
        )
        if text is not None:
            title, title_language = text.title, text.language
    return DetailSection(
        "knowledge/_interaction_contact.html",
        {
            "contact": contact,
            "article_title": title,
            "article_language": title_language,
            "may_open_article": membership.allows(Role.AGENT),
        },
    )


def help_centre_categories(*, organisation: Organisation) -> list[Category]:
    """Categories that hold at least one published article."""
    return list(
        Category.objects.filter(organisation=organisation, articles__state=Article.State.PUBLISHED)
        .distinct()
        .select_related("organisation")
    )


def help_centre_article(
    *, organisation: Organisation, article_id: int
) -> tuple[Article, list[ArticleTranslation]] | None:
    article = (
        Article.objects.filter(
            organisation=organisation, pk=article_id, state=Article.State.PUBLISHED
        )
        .select_related("category", "category__organisation")
        .first()
    )
    if article is None:
        return None
    return article, list(article.translations.order_by("language"))


# --- the organisation's pages ---------------------------------------------------------------


def article_list(*, organisation: Organisation, state: str = "") -> QuerySet[Article]:
    found = (
        Article.objects.filter(organisation=organisation)
        .select_related("category", "category__organisation", "state_changed_by")
        .prefetch_related("translations")
        .order_by("-updated_at", "-pk")
    )
    if state:
        found = found.filter(state=state)
    return found


def category_list(*, organisation: Organisation) -> QuerySet[Category]:
    return Category.objects.filter(organisation=organisation).annotate(
        article_count=Count("articles")
    )


# --- metrics --------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * part / whole


def _periods_filtered(periods: Sequence[tuple[dt.date, dt.date]], filters: Mapping[str, Any]):
    """FAQ figures have no channel, team, agent or category: any filter leaves no value."""
    return [ProvidedValue(None, 0) for _p in periods] if filters else None


def _visits(organisation: Organisation, first: dt.date, last: dt.date) -> QuerySet[Visit]:
    return Visit.objects.filter(
        organisation=organisation, viewed_article=True, local_date__range=(first, last)
    )


def _visits_by_day(organisation: Organisation, periods, **counts) -> list[dict[str, int]]:
    """`counts` (name → aggregate) of the visits that viewed an article, by the day the visit
    began, added up over each period."""
    first, last = span(periods)
    rows = _visits(organisation, first, last).values("local_date").annotate(**counts).order_by()
    return per_period(periods, {row.pop("local_date"): row for row in rows})


def faq_visits_provider(*, organisation, periods, filters) -> list[ProvidedValue]:
    """Visits that viewed at least one article, by the day the visit began."""
    if (none := _periods_filtered(periods, filters)) is not None:
        return none
    found = _visits_by_day(organisation, periods, n=Count("pk"))
    return [ProvidedValue(counts.get("n", 0), counts.get("n", 0)) for counts in found]


def faq_helpful_rate_provider(*, organisation, periods, filters) -> list[ProvidedValue]:
    """ "Yes" answers / all answers, by the day of the answer, in %."""
    if (none := _periods_filtered(periods, filters)) is not None:
        return none
    first, last = span(periods)
    rows = (
        Vote.objects.filter(article__organisation=organisation, local_date__range=(first, last))
        .values("local_date")
        .annotate(n=Count("pk"), yes=Count("pk", filter=Q(helpful=True)))
        .order_by()
    )
    found = per_period(periods, {row.pop("local_date"): row for row in rows})
    return [ProvidedValue(_percent(c.get("yes", 0), c.get("n", 0)), c.get("n", 0)) for c in found]


def self_service_rate_provider(*, organisation, periods, filters) -> list[ProvidedValue]:
    """faq_visits / (faq_visits + contacts), in % (contacts: the period's interactions, every
    channel, by their day, as the catalogue's `contacts`)."""
    if (none := _periods_filtered(periods, filters)) is not None:
        return none
    out = []
    # The contacts from the same path as every metric (the day summaries, mostly).
    figures = kpis_for_periods(organisation=organisation, periods=periods, keys=("contacts",))
    visits = _visits_by_day(organisation, periods, n=Count("pk"))
    for period, counts in zip(figures.periods, visits, strict=True):
        seen, contacts = counts.get("n", 0), period["contacts"]
        out.append(ProvidedValue(_percent(seen, seen + contacts), seen + contacts))
    return out


def deflection_rate_provider(*, organisation, periods, filters) -> list[ProvidedValue]:
    """Of the FAQ visits, the share that did not send the contact form during the visit, in %."""
    if (none := _periods_filtered(periods, filters)) is not None:
        return none
    # (a visit belongs to one day, so each day's distinct counts add up over the days)
    found = _visits_by_day(
        organisation,
        periods,
        n=Count("pk", distinct=True),
        contacted=Count("pk", filter=Q(contacts__isnull=False), distinct=True),
    )
    return [
        ProvidedValue(_percent(c.get("n", 0) - c.get("contacted", 0), c.get("n", 0)), c.get("n", 0))
        for c in found
    ]


PROVIDERS = {
    "faq_visits": faq_visits_provider,
    "faq_helpful_rate": faq_helpful_rate_provider,
    "self_service_rate": self_service_rate_provider,
    "deflection_rate": deflection_rate_provider,
}


# --- the articles that fail most ------------------------------------------------------------


@dataclass
class FailingArticle:
    article: Article
    language: str
    title: str
    views: int
    answers: int
    no: int
    contacts: int
    missing: list[str]

    @property
    def no_rate(self) -> float | None:
        return _percent(self.no, self.answers)

    @property
    def score(self) -> int:
        """How much it fails: its "no" answers and the contacts sent after reading it."""
        return self.no + self.contacts


def failing_articles(
    *, organisation: Organisation, date_from: dt.date, date_to: dt.date, limit: int = 20
) -> list[FailingArticle]:
    """Per article and language, in the period: views, answers, "no" answers, contacts sent
    from it and the latest "what was missing?" notes; the worst first (most "no" answers plus
    contacts, then the highest share of "no"). Articles with neither are left out."""
    votes = (
        Vote.objects.filter(
            article__organisation=organisation, local_date__range=(date_from, date_to)
        )
        .values("article_id", "language")
        .annotate(n=Count("pk"), no=Count("pk", filter=Q(helpful=False)))
    )
    contacts = (
        ContactFromArticle.objects.filter(
            organisation=organisation,
            article__isnull=False,
            interaction__local_date__range=(date_from, date_to),
        )
        .values("article_id", "language")
        .annotate(n=Count("pk"))
    )
    rows: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: {"answers": 0, "no": 0, "contacts": 0}
    )
    for v in votes:
        row = rows[(v["article_id"], v["language"])]
        row["answers"], row["no"] = v["n"], v["no"]
    for c in contacts:
        rows[(c["article_id"], c["language"])]["contacts"] = c["n"]
    keys = [k for k, r in rows.items() if r["no"] or r["contacts"]]
    articles = Article.objects.filter(pk__in={k[0] for k in keys}).in_bulk()
    titles = {
        (t.article_id, t.language): t.title
        for t in ArticleTranslation.objects.filter(article_id__in=articles)
    }
    views = {
        (v["article_id"], v["language"]): v["n"]
        for v in PageView.objects.filter(
            article_id__in=articles, visit__local_date__range=(date_from, date_to)
        )
        .values("article_id", "language")
        .annotate(n=Count("pk"))
    }
    missing: dict[tuple[int, str], list[str]] = defaultdict(list)
    for vote in (
        Vote.objects.filter(
            article_id__in=articles, helpful=False, local_date__range=(date_from, date_to)
        )
        .exclude(missing="")
        .order_by("-answered_at")
    ):
        notes = missing[(vote.article_id, vote.language)]
        # The three latest different notes (readers often miss the same thing).
        if len(notes) < 3 and vote.missing not in notes:
            notes.append(vote.missing)
    found = [
        FailingArticle(
            article=articles[article_id],
            language=language,
            title=titles.get((article_id, language), ""),
            views=views.get((article_id, language), 0),
            answers=rows[(article_id, language)]["answers"],
            no=rows[(article_id, language)]["no"],
            contacts=rows[(article_id, language)]["contacts"],
            missing=missing[(article_id, language)],
        )
        for article_id, language in keys
        if article_id in articles
    ]
    found.sort(key=lambda f: (-f.score, -(f.no_rate or 0), f.article.pk, f.language))
    return found[:limit]


# --- one article's figures --------------------------------------------------------------------


@dataclass
class ArticleFigures:
    """One article in one language over a period (the catalogue's FAQ definitions, narrowed to
    the visits that read the article)."""

    language: str
    visits: int
    answers: int
    yes: int
    contacted: int

    @property
    def helpful_rate(self) -> float | None:
        """ "Yes" answers out of all answers, in %."""
        return _percent(self.yes, self.answers)

    @property
    def deflection_rate(self) -> float | None:
        """Of the visits that read the article, the share that did not send the contact form
        during the visit, in %."""
        return _percent(self.visits - self.contacted, self.visits)


def article_figures(
    *, article: Article, date_from: dt.date, date_to: dt.date
) -> list[ArticleFigures]:
    """Per language the article was read or answered in during the period (by the day the
    visit began and the day of the answer): visits that read it, answers, "yes" answers and
    the visits that sent the contact form; languages in alphabetical order."""
    visits = (
        Visit.objects.filter(
            organisation_id=article.organisation_id,
            local_date__range=(date_from, date_to),
            views__article=article,
        )
        .values("views__language")
        .annotate(
            n=Count("pk", distinct=True),
            contacted=Count("pk", filter=Q(contacts__isnull=False), distinct=True),
        )
    )
    votes = (
        Vote.objects.filter(article=article, local_date__range=(date_from, date_to))
        .values("language")
        .annotate(n=Count("pk"), yes=Count("pk", filter=Q(helpful=True)))
    )
    rows: dict[str, dict[str, int]] = defaultdict(
        lambda: {"visits": 0, "answers": 0, "yes": 0, "contacted": 0}
    )
    for v in visits:
        row = rows[v["views__language"]]
        row["visits"], row["contacted"] = v["n"], v["contacted"]
    for v in votes:
        row = rows[v["language"]]
        row["answers"], row["yes"] = v["n"], v["yes"]
    return [ArticleFigures(language, **rows[language]) for language in sorted(rows)]
