"""Reads of customers and segments (what the interactions add comes through
`customers.activity`)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from goaldesk.accounts.models import Organisation
from goaldesk.core.display import lnum
from goaldesk.customers.models import Customer, RuleKind, Segment

#: Longest search text used.
SEARCH_MAX_CHARS = 100


def segment_choices(*, organisation: Organisation) -> list[tuple[str, str]]:
    """(id as text, name) of the organisation's segments, by name: a filter's options."""
    return [
        (str(pk), name)
        for pk, name in Segment.objects.filter(organisation=organisation)
        .order_by("name")
        .values_list("pk", "name")
    ]


def segment_list(*, organisation: Organisation) -> list[Segment]:
    return list(Segment.objects.filter(organisation=organisation).order_by("name"))


def segment_get(*, organisation: Organisation, segment_id: int) -> Segment | None:
    return Segment.objects.filter(organisation=organisation, pk=segment_id).first()


def segment_name(*, organisation: Organisation, value: str) -> str:
    """The name of the segment a filter value (id or name) names; the value itself if none."""
    match = Q(name__iexact=value)
    if str(value).isdigit():
        match |= Q(pk=int(value))
    found = Segment.objects.filter(match, organisation=organisation).first()
    return found.name if found else str(value)


def customers_matching(*, organisation: Organisation, text: str = "") -> QuerySet[Customer]:
    """The organisation's customers whose key, name, e-mail or phone contains `text` (case
    ignored), by key; all of them for a blank text."""
    customers = Customer.objects.filter(organisation=organisation)
    text = " ".join(text.split())[:SEARCH_MAX_CHARS]
    if text:
        customers = customers.filter(
            Q(key__icontains=text)
            | Q(name__icontains=text)
            | Q(email__icontains=text)
            | Q(phone__icontains=text)
        )
    return customers.order_by("key")


def customer_get(*, organisation: Organisation, customer_id: int) -> Customer | None:
    return Customer.objects.filter(organisation=organisation, pk=customer_id).first()


def attribute_names(*, organisation: Organisation, limit: int = 2000) -> list[str]:
    """The attribute names the organisation's customers carry (from at most `limit` records),
    sorted: the segment form's suggestions and the list's columns."""
    names: set[str] = set()
    for attributes in Customer.objects.filter(organisation=organisation).values_list(
        "attributes", flat=True
    )[:limit]:
        names.update((attributes or {}).keys())
    return sorted(names)


def rule_text(rule: dict) -> str:
    """One rule as a reader says it ("tier is gold", "3 or more contacts in the last 90 days")."""
    kind = rule.get("kind")
    if kind == RuleKind.ATTRIBUTE:
        field = rule.get("field", "")
        name = gettext("language") if field == "language" else field
        return gettext("%(attribute)s is %(value)s") % {
            "attribute": name,
            "value": rule.get("value", ""),
        }
    if kind == RuleKind.CONTACTS:
        return gettext("%(count)s or more contacts in the last %(days)s days") % {
            "count": lnum(rule.get("at_least", 1)),
            "days": lnum(rule.get("days", 90)),
        }
    if kind == RuleKind.LAST_CSAT:
        return gettext("last CSAT %(value)s or lower") % {"value": lnum(rule.get("at_most", 2))}
    if kind == RuleKind.RETURNED:
        return gettext("came back about the same matter within %(days)s days") % {
            "days": lnum(rule.get("days", 7))
        }
    return gettext("unknown rule")


def rule_texts(segment: Segment) -> list[str]:
    """The segment's rules as a reader says them (none: every customer)."""
    return [rule_text(rule) for rule in segment.rules or []] or [gettext("every customer")]
