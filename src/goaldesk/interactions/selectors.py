"""Reads of the interactions app that pages in several apps share: the categories' names."""

from collections.abc import Mapping

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Category, Interaction, category_default_name


def category_names(*, organisation: Organisation) -> dict[str, str]:
    """{category key: its name for the reader}: the name in the reader's language, else in the
    organisation's language, else in English, else the default name made from the key.

    Every page, chart and CSV that shows a category looks it up here (one query). A key with no
    category row (none should exist: every write creates one) is not in the map; callers show
    `category_default_name(key)` for it.
    """
    languages = [translation.get_language() or "en", organisation.language or "en", "en"]
    return {
        category.key: category.name_in(*languages)
        for category in Category.objects.filter(organisation=organisation)
    }


def category_list(*, organisation: Organisation) -> list[Category]:
    """The organisation's categories by key, each with `interaction_count` (its interactions)."""
    counts = (
        Interaction.objects.filter(organisation=organisation, category=OuterRef("key"))
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Category.objects.filter(organisation=organisation)
        .annotate(interaction_count=Coalesce(Subquery(counts), 0))
        .order_by("key")
    )


def category_label(names: Mapping[str, str], key: str) -> str:
    """The name of category `key` from a `category_names` map ("" for no category)."""
    if not key:
        return ""
    return names.get(key) or category_default_name(key)
