"""/api/v1/orgs/{slug}/customers and segments: read by any token or member of the
organisation (as the interactions that carry the same customer keys are)."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from goaldesk.api.auth import organisation_for
from goaldesk.api.schemas import ErrorList, Message
from goaldesk.customers import activity, selectors
from goaldesk.customers.models import Customer

router = Router(tags=["customers"])

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}
PAGE_SIZE = 100


def _customer_payload(customer: Customer, found: activity.Activity) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "customer_id": customer.key,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "language": customer.language,
        "attributes": customer.attributes or {},
        "contacts": found.contacts,
        "first_contact": found.first_contact,
        "last_contact": found.last_contact,
        "latest_csat": found.last_csat,
    }


@router.get(
    "/v1/orgs/{slug}/customers",
    response={200: dict[str, Any], **_ERRORS},
    summary="Customers",
)
def customers_list(request: HttpRequest, slug: str, q: str = "", page: int = 1):
    """The customers by key, 100 a page (`page` from 1), those whose key, name, e-mail or
    phone contains `q`; each with its contacts (first, last, how many) and latest CSAT."""
    organisation = organisation_for(request, slug)
    paginator = Paginator(
        selectors.customers_matching(organisation=organisation, text=q), PAGE_SIZE
    )
    chosen = paginator.get_page(page)
    customers = list(chosen.object_list)
    found = activity.activity_of(organisation=organisation, keys=[c.key for c in customers])
    return {
        "count": paginator.count,
        "page": chosen.number,
        "pages": paginator.num_pages,
        "customers": [
            _customer_payload(c, found.get(c.key, activity.Activity())) for c in customers
        ],
    }


@router.get(
    "/v1/orgs/{slug}/customers/{customer_id}",
    response={200: dict[str, Any], **_ERRORS},
    summary="One customer",
)
def customer_get(request: HttpRequest, slug: str, customer_id: str):
    """One customer by its key (`customer_id`, as interactions carry it), with its segments."""
    organisation = organisation_for(request, slug)
    customer = Customer.objects.filter(organisation=organisation, key=customer_id).first()
    if customer is None:
        raise HttpError(404, _("No customer “%(key)s”.") % {"key": customer_id})
    found = activity.activity_of(organisation=organisation, keys=[customer.key])
    payload = _customer_payload(customer, found.get(customer.key, activity.Activity()))
    payload["segments"] = [
        s.name
        for s in selectors.segment_list(organisation=organisation)
        if activity.segment_members(segment=s).filter(pk=customer.pk).exists()
    ]
    return payload


@router.get(
    "/v1/orgs/{slug}/segments",
    response={200: list[dict[str, Any]], **_ERRORS},
    summary="Customer segments",
)
def segments_list(request: HttpRequest, slug: str):
    """The segments: id, name, description, rules (as stored and in words) and how many
    customers each has now. Any metrics route takes `segment` (name or id) as a filter."""
    organisation = organisation_for(request, slug)
    return [
        {
            "id": s.pk,
            "name": s.name,
            "description": s.description,
            "rules": s.rules,
            "rules_text": selectors.rule_texts(s),
            "customers": activity.segment_members(segment=s).count(),
        }
        for s in selectors.segment_list(organisation=organisation)
    ]
