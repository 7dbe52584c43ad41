"""The public help centre, /help/<org slug>/…: no sign-in, only the organisation's published
articles, nothing of any other organisation.

GET never changes data. A page view is recorded by a small POST the page's own script
(static/goaldesk/help.js, allowed by the CSP's script-src 'self') sends once the page has
loaded, to `visit`; a visitor without scripts is simply not counted, which errs on the side of
fewer visits, never of counting a crawler's GET. The answers and the contact form are plain
forms (POST, CSRF-protected, working without scripts).

The POSTs that write what a visitor sends are throttled per client address (core.throttle,
settings.GOALDESK_THROTTLES): "contact us" per organisation ("help_contact", each creates an
interaction), the answers to "did this answer your question?" ("help_answer"). A refused POST
gets a 429 page in the visitor's language saying when to try again; the contact form comes back
with what was typed. The page-view beacon is not throttled: it only adds to counts.

The visitor key is a random value in a first-party cookie set by these POSTs (never by a GET),
HttpOnly, limited to /help/, kept a year; it only makes one visitor count once. The page says so.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from goaldesk.accounts.throttling import client_ip_address
from goaldesk.core.throttle import throttle_hit, wait_minutes
from goaldesk.knowledge import markdown, selectors, services
from goaldesk.knowledge.forms import ContactForm, VoteForm
from goaldesk.knowledge.models import Article

VISITOR_COOKIE = "goaldesk_help_visitor"
_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _organisation(help_slug: str):
    """The organisation whose help centre this is (404 for an unknown slug). Its help centre
    answers even before an article is published: the front page then says so."""
    organisation = selectors.help_centre_organisation(slug=help_slug)
    if organisation is None:
        raise Http404
    return organisation


def _throttled(
    request: HttpRequest, scope: str, key: str, template: str, context: dict
) -> HttpResponse | None:
    """None when this POST may go on (it is counted); else the page that says it was refused
    and when to try again (429, with Retry-After), rendered from `template` and `context`."""
    wait = throttle_hit(scope=scope, keys=[key])
    if not wait:
        return None
    minutes = wait_minutes(wait)
    response = render(request, template, {**context, "throttled_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _language(request: HttpRequest, organisation) -> str:
    """The page's language: ?lang=, else the visitor's (cookie, browser), else the
    organisation's; the page's own words follow it."""
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    language = asked if asked in _LANGUAGES else _visitors_language(request)
    if language not in _LANGUAGES:
        language = organisation.language if organisation.language in _LANGUAGES else "en"
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _visitors_language(request: HttpRequest) -> str:
    """The language the visitor chose (the language cookie) or their browser asks for first
    (Accept-Language, in its order) among ours; "" when neither names one. Not LocaleMiddleware's
    LANGUAGE_CODE: without a choice it is the site's default, and the organisation's language
    should win then."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in _LANGUAGES:
        return chosen
    for entry in request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(","):
        code = entry.split(";")[0].strip().lower().split("-")[0]
        if code in _LANGUAGES:
            return code
    return ""


def _visitor_key(request: HttpRequest) -> tuple[str, bool]:
    """The visitor's key from the cookie, or a new one (True: it must be set)."""
    key = request.COOKIES.get(VISITOR_COOKIE, "")
    if 16 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum():
        return key, False
    return services.new_visitor_key(), True


def _with_cookie(response: HttpResponse, key: str, new: bool, help_slug: str) -> HttpResponse:
    if new:
        response.set_cookie(
            VISITOR_COOKIE,
            key,
            max_age=365 * 24 * 3600,
            path="/help/",
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _context(organisation, language: str, **extra):
    return {
        "help_org": organisation,
        "language": language,
        "languages": settings.LANGUAGES,
        "categories": [
            (c, c.name_in(language))
            for c in selectors.help_centre_categories(organisation=organisation)
        ],
        **extra,
    }


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest, help_slug: str) -> HttpResponse:
    """The front page: categories, the search and its results."""
    organisation = _organisation(help_slug)
    language = _language(request, organisation)
    query = request.GET.get("q", "")[:200]
    category_id = _int(request.GET.get("category"))
    articles = selectors.help_centre_articles(
        organisation=organisation, language=language, query=query, category_id=category_id
    )
    return render(
        request,
        "knowledge/public/home.html",
        _context(
            organisation,
            language,
            query=query,
            category_id=category_id,
            articles=[(t, selectors.text_direction(t.language)) for t in articles],
            empty=not articles
            and not selectors.published_translations(organisation=organisation).exists(),
        ),
    )


@require_http_methods(["GET", "HEAD"])
def article(request: HttpRequest, help_slug: str, article_id: int) -> HttpResponse:
    organisation = _organisation(help_slug)
    language = _language(request, organisation)
    found = selectors.help_centre_article(organisation=organisation, article_id=article_id)
    if found is None:
        raise Http404
    item, texts = found
    text = selectors.pick_translation(texts, language, organisation.language)
    if text is None:
        raise Http404
    return render(
        request,
        "knowledge/public/article.html",
        _context(
            organisation,
            language,
            article=item,
            text=text,
            html=markdown.render(text.body),
            direction=selectors.text_direction(text.language),
            other_texts=[t for t in texts if t.pk != text.pk],
            category_name=item.category.name_in(language) if item.category else "",
            vote_form=VoteForm(),
            voted=request.GET.get("voted", ""),
        ),
    )


@require_POST
def visit(request: HttpRequest, help_slug: str) -> HttpResponse:
    """A page view, sent by the page's script: `article` (optional) and `lang`."""
    organisation = _organisation(help_slug)
    key, new = _visitor_key(request)
    article_id = _int(request.POST.get("article"))
    item = None
    if article_id is not None:
        item = Article.objects.filter(
            organisation=organisation, pk=article_id, state=Article.State.PUBLISHED
        ).first()
        if item is None:
            return HttpResponseBadRequest(_("No such article."))
    language = request.POST.get("lang", "")
    services.page_view_record(
        organisation=organisation,
        visitor_key=key,
        article=item,
        language=language if language in _LANGUAGES else "",
    )
    return _with_cookie(HttpResponse(status=204), key, new, help_slug)


@require_POST
def vote(request: HttpRequest, help_slug: str, article_id: int) -> HttpResponse:
    organisation = _organisation(help_slug)
    language = _language(request, organisation)
    found = selectors.help_centre_article(organisation=organisation, article_id=article_id)
    if found is None:
        raise Http404
    item, texts = found
    text_language = request.POST.get("text_lang", "")
    if text_language not in {t.language for t in texts}:
        text_language = texts[0].language
    form = VoteForm(request.POST)
    url = reverse("knowledge_public:article", args=[help_slug, item.pk]) + f"?lang={language}"
    if not form.is_valid():
        messages.error(
            request, _("Choose “Yes” or “No”; what was missing may have up to 2,000 characters.")
        )
        return redirect(url)
    refused = _throttled(
        request,
        "help_answer",
        client_ip_address(request),
        "knowledge/public/throttled.html",
        _context(organisation, language, article=item, back_url=url),
    )
    if refused is not None:
        return refused
    key, new = _visitor_key(request)
    services.vote_record(
        article=item,
        language=text_language,
        visitor_key=key,
        helpful=form.cleaned_data["helpful"],
        missing=form.cleaned_data["missing"],
    )
    answer = "yes" if form.cleaned_data["helpful"] else "no"
    return _with_cookie(redirect(f"{url}&voted={answer}#helpful"), key, new, help_slug)


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest, help_slug: str) -> HttpResponse:
    """ "Contact us": a web-form interaction linked to the article the visitor came from."""
    organisation = _organisation(help_slug)
    language = _language(request, organisation)
    source = request.POST if request.method == "POST" else request.GET
    article_id = _int(source.get("article"))
    found = (
        selectors.help_centre_article(organisation=organisation, article_id=article_id)
        if article_id
        else None
    )
    item, texts = found if found else (None, [])
    text = selectors.pick_translation(texts, language, organisation.language) if texts else None
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            refused = _throttled(
                request,
                "help_contact",
                f"{organisation.pk}:{client_ip_address(request)}",
                "knowledge/public/contact.html",
                _context(organisation, language, form=form, article=item, text=text),
            )
            if refused is not None:
                return refused  # the form as it was sent: nothing typed is lost
            key, new = _visitor_key(request)
            if form.cleaned_data["website"]:  # a robot: thanked, nothing created
                return render(
                    request,
                    "knowledge/public/contact_sent.html",
                    _context(organisation, language, article=item, text=text),
                )
            contact = services.contact_from_article_create(
                organisation=organisation,
                article=item,
                language=text.language if text else language,
                visitor_key="" if new else key,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
            response = render(
                request,
                "knowledge/public/contact_sent.html",
                _context(organisation, language, article=item, text=text, contact=contact),
            )
            return _with_cookie(response, key, new, help_slug)
        messages.error(request, _("Nothing was sent: correct the fields marked below."))
    return render(
        request,
        "knowledge/public/contact.html",
        _context(organisation, language, form=form, article=item, text=text),
    )
