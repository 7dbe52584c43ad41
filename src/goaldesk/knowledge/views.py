"""The organisation's pages to write the FAQ, /o/<org_slug>/help-centre/….

Who: managers and owners write, publish and archive; agents read every article, drafts
included (they answer the same questions and should know what is coming), read only; viewers
see nothing of it. The "fail most" page is for managers and owners.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.knowledge import markdown, selectors, services
from goaldesk.knowledge.forms import ArticleTextForm, CategoryForm, StateForm
from goaldesk.knowledge.models import Article, Category
from goaldesk.metrics.scope import PERIODS, scope_from_query

_LANGUAGES = dict(settings.LANGUAGES)


def _article(request: OrgRequest, article_id: int) -> Article:
    return get_object_or_404(Article.objects.filter(organisation=request.org), pk=article_id)


def _context(request: OrgRequest, **extra):
    return {"nav": "help_centre", "can_edit": request.membership.allows(Role.MANAGER), **extra}


@org_view(Role.AGENT)
def article_list(request: OrgRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in Article.State.values:
        state = ""
    articles = selectors.article_list(organisation=request.org, state=state)
    language = request.LANGUAGE_CODE
    rows = []
    for article in articles:
        texts = list(article.translations.all())
        text = selectors.pick_translation(texts, language, request.org.language)
        rows.append(
            {
                "article": article,
                "text": text,
                "languages": [t.language for t in texts],
                "category": article.category.name_in(language) if article.category else "",
            }
        )
    return render(
        request,
        "knowledge/articles.html",
        _context(request, rows=rows, state=state, states=Article.State.choices),
    )


@org_view(Role.MANAGER)
@require_POST
def article_new(request: OrgRequest) -> HttpResponse:
    article = services.article_create(organisation=request.org, user=request.user)
    return redirect("knowledge:article_edit", request.org.slug, article.pk)


@org_view(Role.AGENT)
def article_detail(request: OrgRequest, article_id: int) -> HttpResponse:
    """The article in each of its languages, as the public will read it, and its history."""
    article = _article(request, article_id)
    translations = list(article.translations.order_by("language"))
    texts = [
        {
            "text": t,
            "language_name": _LANGUAGES.get(t.language, t.language),
            "html": markdown.render(t.body),
            "direction": selectors.text_direction(t.language),
        }
        for t in translations
    ]
    scope = scope_from_query(request.GET, request.org)
    for problem in scope.problems:
        messages.error(request, problem)
    figures = selectors.article_figures(
        article=article, date_from=scope.date_from, date_to=scope.date_to
    )
    return render(
        request,
        "knowledge/article.html",
        _context(
            request,
            article=article,
            texts=texts,
            scope=scope,
            periods=PERIODS,
            figures=[
                {"row": row, "language_name": _LANGUAGES.get(row.language, row.language)}
                for row in figures
            ],
            history=article.state_changes.select_related("changed_by")[:20],
            missing_languages=[
                (code, name)
                for code, name in settings.LANGUAGES
                if code not in {t.language for t in translations}
            ],
        ),
    )


@org_view(Role.MANAGER)
def article_edit(request: OrgRequest, article_id: int) -> HttpResponse:
    """The article's text in one language (?lang=, the organisation's by default), its category."""
    article = _article(request, article_id)
    language = request.GET.get("lang") or request.POST.get("lang") or request.org.language
    if language not in _LANGUAGES:
        raise Http404
    existing = article.translations.filter(language=language).first()
    initial: dict[str, object] = {"category": article.category_id}
    if existing:
        initial |= {"title": existing.title, "body": existing.body}
    data = request.POST if request.method == "POST" else None
    form = ArticleTextForm(
        data, initial=initial, organisation=request.org, language=request.LANGUAGE_CODE
    )
    if data is not None:
        if form.is_valid():
            services.article_category_set(article=article, category=form.cleaned_data["category"])
            services.article_translation_save(
                article=article,
                language=language,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                user=request.user,
            )
            messages.success(request, _("The article was saved."))
            return redirect("knowledge:article", request.org.slug, article.pk)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "knowledge/article_edit.html",
        _context(
            request,
            article=article,
            form=form,
            language=language,
            language_name=_LANGUAGES[language],
            direction=selectors.text_direction(language),
            languages=settings.LANGUAGES,
            has_languages={t.language for t in article.translations.all()},
        ),
    )


@org_view(Role.MANAGER)
@require_POST
def article_state(request: OrgRequest, article_id: int) -> HttpResponse:
    article = _article(request, article_id)
    form = StateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose draft, published or archived."))
        return redirect("knowledge:article", request.org.slug, article.pk)
    try:
        services.article_state_set(
            article=article, state=form.cleaned_data["state"], user=request.user
        )
    except ValueError:
        messages.error(request, _("Write the article’s title and text before publishing it."))
    else:
        messages.success(
            request,
            _("The article is now: %(state)s.")
            % {"state": Article.State(form.cleaned_data["state"]).label},
        )
    return redirect("knowledge:article", request.org.slug, article.pk)


@org_view(Role.MANAGER)
def categories(request: OrgRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = CategoryForm(data)
    if data is not None:
        if form.is_valid():
            services.category_save(
                organisation=request.org,
                names=form.names(),
                position=form.cleaned_data["position"],
            )
            messages.success(request, _("The category was added."))
            return redirect("knowledge:categories", request.org.slug)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    found = selectors.category_list(organisation=request.org)
    return render(
        request,
        "knowledge/categories.html",
        _context(
            request,
            form=form,
            categories=[(c, c.name_in(request.LANGUAGE_CODE)) for c in found],
        ),
    )


@org_view(Role.MANAGER)
def category_edit(request: OrgRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(Category.objects.filter(organisation=request.org), pk=category_id)
    if request.method == "POST" and request.POST.get("delete"):
        services.category_delete(category=category)
        messages.success(request, _("The category was deleted; its articles stay, without one."))
        return redirect("knowledge:categories", request.org.slug)
    data = request.POST if request.method == "POST" else None
    form = CategoryForm(data, initial=CategoryForm.initial_for(category))
    if data is not None:
        if form.is_valid():
            services.category_save(
                organisation=request.org,
                names=form.names(),
                position=form.cleaned_data["position"],
                category=category,
            )
            messages.success(request, _("The category was saved."))
            return redirect("knowledge:categories", request.org.slug)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "knowledge/category_edit.html",
        _context(request, form=form, category=category),
    )


@org_view(Role.MANAGER)
def failing(request: OrgRequest) -> HttpResponse:
    """The articles that fail most in the period: many "no" answers, many contacts after
    reading — the ones to rewrite."""
    scope = scope_from_query(request.GET, request.org)
    for problem in scope.problems:
        messages.error(request, problem)
    rows = selectors.failing_articles(
        organisation=request.org, date_from=scope.date_from, date_to=scope.date_to
    )
    return render(
        request,
        "knowledge/failing.html",
        _context(
            request,
            rows=[
                {
                    "row": row,
                    "language_name": _LANGUAGES.get(row.language, row.language),
                    "direction": selectors.text_direction(row.language),
                }
                for row in rows
            ],
            scope=scope,
            periods=[p for p in PERIODS if p[0] != "custom"],
        ),
    )
