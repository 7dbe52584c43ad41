from goaldesk.knowledge import services


def article_make(organisation, texts, *, state="published", category=None):
    """An article with `texts` = {language: (title, body)} in `state`."""
    article = services.article_create(organisation=organisation, user=None, category=category)
    for language, (title, body) in texts.items():
        services.article_translation_save(
            article=article, language=language, title=title, body=body, user=None
        )
    if state != "draft":
        services.article_state_set(article=article, state=state, user=None)
    return article
