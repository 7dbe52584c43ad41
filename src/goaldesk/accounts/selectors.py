"""Reads of organisation settings."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from goaldesk.accounts.models import (
    ROLE_RANK,
    ApiToken,
    BusinessHours,
    Holiday,
    Invitation,
    Membership,
    Organisation,
    hash_token,
)
from goaldesk.engine.business_hours import BusinessCalendar


def business_calendar_for(organisation: Organisation) -> BusinessCalendar:
    """The organisation's opening hours, weekend and holidays as a pure-engine calendar."""
    spans: dict[int, list] = {}
    for span in organisation.business_hours.all():
        spans.setdefault(span.weekday, []).append((span.opens, span.closes))
    return BusinessCalendar(
        timezone=organisation.timezone,
        spans=spans,
        weekend=frozenset(organisation.weekend_days or ()),
        holidays=frozenset(organisation.holidays.values_list("date", flat=True)),
    )


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's members with their users, owners first, then by user name."""
    order = Case(
        *(When(role=role, then=Value(rank)) for role, rank in ROLE_RANK.items()),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .annotate(role_rank=order)
        .order_by("-role_rank", "user__username")
    )


def memberships_of_user(*, user_id: int) -> QuerySet[Membership]:
    """The user's memberships with their organisations, by organisation name."""
    return (
        Membership.objects.filter(user_id=user_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def api_token_list(*, organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")


def business_hours_list(*, organisation: Organisation) -> QuerySet[BusinessHours]:
    return BusinessHours.objects.filter(organisation=organisation).order_by("weekday", "opens")


def holiday_list(*, organisation: Organisation) -> QuerySet[Holiday]:
    return Holiday.objects.filter(organisation=organisation).order_by("date")


def invitation_pending_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    """The organisation's invitations neither accepted nor withdrawn (expired ones included, so
    they can be sent again), newest first."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def invitation_by_token(raw_token: str) -> Invitation | None:
    """The invitation whose link carries `raw_token`, whatever its state; None if there is none."""
    return (
        Invitation.objects.filter(token_hash=hash_token(raw_token))
        .select_related("organisation", "invited_by")
        .first()
    )
