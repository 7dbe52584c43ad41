"""Customer pages under /o/<org_slug>/customers/ and segments under /o/<org_slug>/segments/.

Who may do what: every member reads customers and segments (the interactions list shows the
same customer keys to everyone); managers and owners edit customers, import customer files
(the shared import pages) and write segments.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.customers import activity, selectors, services
from goaldesk.customers.forms import CustomerForm, SegmentForm
from goaldesk.customers.models import Customer, Segment

PAGE_SIZE = 50


def _customer_or_404(request: OrgRequest, customer_id: int) -> Customer:
    customer = selectors.customer_get(organisation=request.org, customer_id=customer_id)
    if customer is None:
        raise Http404
    return customer


def _segment_or_404(request: OrgRequest, segment_id: int) -> Segment:
    segment = selectors.segment_get(organisation=request.org, segment_id=segment_id)
    if segment is None:
        raise Http404
    return segment


@org_view(Role.VIEWER)
def customer_list(request: OrgRequest) -> HttpResponse:
    """The customers, searched by key, name, e-mail or phone, with their contacts."""
    search = request.GET.get("q", "").strip()
    page = Paginator(
        selectors.customers_matching(organisation=request.org, text=search), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    customers = list(page.object_list)
    found = activity.activity_of(organisation=request.org, keys=[c.key for c in customers])
    rows = [(c, found.get(c.key, activity.Activity())) for c in customers]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/list.html",
        {
            "nav": "customers",
            "page": page,
            "rows": rows,
            "search": search,
            "page_query": query.urlencode(),
            "can_edit": request.membership.allows(Role.MANAGER),
        },
    )


@org_view(Role.VIEWER)
def customer_detail(request: OrgRequest, customer_id: int) -> HttpResponse:
    """One customer: their record, contacts, segments, survey answers and latest
    interactions."""
    customer = _customer_or_404(request, customer_id)
    found = activity.activity_of(organisation=request.org, keys=[customer.key])
    segments = [
        segment
        for segment in selectors.segment_list(organisation=request.org)
        if activity.segment_members(segment=segment).filter(pk=customer.pk).exists()
    ]
    return render(
        request,
        "customers/detail.html",
        {
            "nav": "customers",
            "customer": customer,
            "activity": found.get(customer.key, activity.Activity()),
            "interactions": activity.interactions_of(
                organisation=request.org, key=customer.key, limit=50
            ),
            "attributes": sorted((customer.attributes or {}).items()),
            "segments": segments,
            # Answers with their comments, as on the comments page: an agent reads those about
            # their own interactions, a viewer none.
            "answers": activity.answers_of(
                organisation=request.org,
                key=customer.key,
                user=request.user,
                everyone=request.membership.allows(Role.MANAGER),
            )
            if request.membership.allows(Role.AGENT)
            else None,
            "can_edit": request.membership.allows(Role.MANAGER),
        },
    )


@org_view(Role.MANAGER)
def customer_edit(request: OrgRequest, customer_id: int) -> HttpResponse:
    customer = _customer_or_404(request, customer_id)
    form = CustomerForm(request.POST or None, initial=CustomerForm.initial_for(customer))
    if request.method == "POST" and form.is_valid():
        services.customer_update(customer=customer, values=form.cleaned_data)
        messages.success(request, _("The customer is saved."))
        return redirect("customers:detail", org_slug=request.org.slug, customer_id=customer.pk)
    return render(
        request,
        "customers/edit.html",
        {"nav": "customers", "customer": customer, "form": form},
    )


@org_view(Role.VIEWER)
def segment_list(request: OrgRequest) -> HttpResponse:
    """The segments, their rules in words and how many customers each has now."""
    rows = [
        {
            "segment": segment,
            "rules": selectors.rule_texts(segment),
            "count": activity.segment_members(segment=segment).count(),
        }
        for segment in selectors.segment_list(organisation=request.org)
    ]
    return render(
        request,
        "customers/segments.html",
        {
            "nav": "customers",
            "rows": rows,
            "can_edit": request.membership.allows(Role.MANAGER),
        },
    )


def _segment_form(request: OrgRequest, segment: Segment | None) -> HttpResponse:
    names = selectors.attribute_names(organisation=request.org)
    initial = SegmentForm.initial_for(segment) if segment else None
    form = SegmentForm(request.POST or None, initial=initial, attribute_names=names)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.segment_save(
                organisation=request.org,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                rules=form.rules(),
                segment=segment,
            )
        except services.SegmentError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The segment “%(name)s” is saved.") % {"name": saved.name})
            return redirect("customers:segments", org_slug=request.org.slug)
    return render(
        request,
        "customers/segment_form.html",
        {"nav": "customers", "form": form, "segment": segment},
    )


@org_view(Role.MANAGER)
def segment_new(request: OrgRequest) -> HttpResponse:
    return _segment_form(request, None)


@org_view(Role.MANAGER)
def segment_edit(request: OrgRequest, segment_id: int) -> HttpResponse:
    return _segment_form(request, _segment_or_404(request, segment_id))


@org_view(Role.MANAGER)
def segment_count(request: OrgRequest) -> HttpResponse:
    """The live count of the segment form: how many customers its rules match now (a GET
    with the form's fields; nothing is saved)."""
    form = SegmentForm(request.GET)
    form.fields["name"].required = False  # the count needs only the rules
    count: int | None = None
    if form.is_valid():
        draft = Segment(organisation=request.org, rules=form.rules())
        count = activity.segment_members(segment=draft).count()
    context: dict[str, Any] = {"count": count, "errors": not form.is_valid()}
    return render(request, "customers/_segment_count.html", context)


@org_view(Role.MANAGER)
@require_POST
def segment_delete(request: OrgRequest, segment_id: int) -> HttpResponse:
    segment = _segment_or_404(request, segment_id)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that the segment should be deleted."))
        return redirect("customers:segment_edit", org_slug=request.org.slug, segment_id=segment.pk)
    name = segment.name
    try:
        services.segment_delete(segment=segment)
    except services.SegmentError as error:
        messages.error(request, str(error))
        return redirect("customers:segment_edit", org_slug=request.org.slug, segment_id=segment.pk)
    messages.success(request, _("The segment “%(name)s” is deleted.") % {"name": name})
    return redirect("customers:segments", org_slug=request.org.slug)
