"""/api/v1/orgs/{slug}/faq/articles: the organisation's published FAQ articles (what its public
help centre shows), for any caller of the organisation — to show them in another site or app.

`q` searches as the help centre does (Persian and Arabic letter variants, diacritics, umlauts
folded; every word must occur); each article comes with its texts in every language, as
Markdown and as the sanitised HTML the help centre shows."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from goaldesk.api.auth import organisation_for
from goaldesk.api.schemas import ErrorList, Message
from goaldesk.knowledge import markdown, selectors
from goaldesk.knowledge.models import Article

router = Router(tags=["faq"])

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


def _payload(article: Article, *, with_text: bool) -> dict[str, Any]:
    texts = []
    for text in article.translations.all():
        item: dict[str, Any] = {
            "language": text.language,
            "direction": selectors.text_direction(text.language),
            "title": text.title,
        }
        if with_text:
            item |= {"markdown": text.body, "html": markdown.render(text.body)}
        texts.append(item)
    return {
        "id": article.pk,
        "category": article.category.names if article.category else None,
        "published_at": article.state_changed_at.isoformat() if article.state_changed_at else None,
        "texts": texts,
    }


@router.get(
    "/v1/orgs/{slug}/faq/articles",
    response={200: list[dict[str, Any]], **_ERRORS},
    summary="Published FAQ articles",
)
def articles_list(request: HttpRequest, slug: str, q: str = ""):
    """Published articles (titles in every language), oldest first; `q` searches them."""
    organisation = organisation_for(request, slug)
    found = selectors.help_centre_articles(
        organisation=organisation, language=organisation.language, query=q[:200]
    )
    ids = [t.article_id for t in found]
    articles = (
        Article.objects.filter(pk__in=ids)
        .select_related("category")
        .prefetch_related("translations")
        .order_by("pk")
    )
    return [_payload(article, with_text=False) for article in articles]


@router.get(
    "/v1/orgs/{slug}/faq/articles/{article_id}",
    response={200: dict[str, Any], **_ERRORS},
    summary="One published FAQ article",
)
def article_read(request: HttpRequest, slug: str, article_id: int):
    """One published article with its texts (Markdown and sanitised HTML) in every language."""
    organisation = organisation_for(request, slug)
    found = selectors.help_centre_article(organisation=organisation, article_id=article_id)
    if found is None:
        raise HttpError(404, _("There is no published article with this id."))
    return _payload(found[0], with_text=True)
