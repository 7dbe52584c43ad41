"""Writes for organisations, their settings, members and API tokens."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import slugify
from django.utils.translation import gettext as _

from goaldesk.accounts.mail import localised_email, send_all
from goaldesk.accounts.models import (
    INVITATION_VALID_FOR,
    ROLE_RANK,
    ApiToken,
    BusinessHours,
    Holiday,
    Invitation,
    Membership,
    Organisation,
    Profile,
    Role,
    hash_token,
    validate_timezone,
)
from goaldesk.accounts.signals import clock_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import User as AuthUser

logger = logging.getLogger(__name__)


@transaction.atomic
def organisation_create(
    *,
    name: str,
    timezone: str,
    language: str,
    slug: str | None = None,
    calendar: str | None = None,
    weekend_days: list[int] | None = None,
    week_start: int | None = None,
    arabic_indic_digits: bool = False,
    answer_target_seconds: int | None = None,
    business_hours: list[tuple[int, dt.time, dt.time]] | None = None,
    owner: AuthUser | None = None,
    number_taken_slug: bool = False,
) -> Organisation:
    """Create an organisation (with its opening spans, and `owner` as its owner when given).

    A slug left empty is made from the name; when that one is taken it is numbered (`acme-2`)
    if `number_taken_slug`, else refused like a slug asked for that is taken. Raises
    ValidationError naming the bad field.
    """
    try:
        validate_timezone(timezone)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from error
    if not slug and number_taken_slug:
        slug = _free_slug(slugify(name)[:50] or "org")
    slug = slug or slugify(name) or "org"
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError(
            {
                "slug": _("An organisation with the short name “%(slug)s” exists already.")
                % {"slug": slug}
            }
        )
    org = Organisation(
        name=name,
        slug=slug,
        timezone=timezone,
        language=language,
        calendar=calendar or ("jalali" if language == "fa" else "gregorian"),
        weekend_days=weekend_days if weekend_days is not None else default_weekend(timezone),
        week_start=week_start or default_week_start(timezone),
        arabic_indic_digits=arabic_indic_digits,
    )
    if answer_target_seconds is not None:
        org.answer_target_seconds = answer_target_seconds
    org.full_clean()
    org.save()
    if business_hours:
        problems = business_hours_problems(business_hours)
        if problems:
            raise ValidationError({"business_hours": [problems[i] for i in sorted(problems)]})
        # A new organisation has no interactions: nothing derived to recompute.
        BusinessHours.objects.bulk_create(
            BusinessHours(organisation=org, weekday=w, opens=o, closes=c)
            for w, o, c in sorted(set(business_hours))
        )
    if owner is not None:
        Membership.objects.create(organisation=org, user=owner, role=Role.OWNER)
    return org


def _free_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3` … whichever no organisation has yet."""
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidates = itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
    return next(candidate for candidate in candidates if candidate not in taken)


class AlreadySetUp(Exception):
    """The installation has a user already: the first-run set-up is closed."""


def installation_is_new() -> bool:
    """Whether no user exists yet, so the first-run set-up is open."""
    return not get_user_model().objects.exists()


@transaction.atomic
def installation_set_up(
    *, username: str, password: str, email: str = "", **organisation: Any
) -> tuple[AuthUser, Organisation]:
    """The first run: create the first user and their organisation, which they own.

    `organisation` takes the keyword arguments of `organisation_create`. Raises AlreadySetUp
    once any user exists, checked inside the transaction with the user table locked, so two
    set-ups sent at once never make two owners; ValidationError names a bad field.
    """
    User = get_user_model()
    if connection.vendor == "postgresql":
        # Nothing to lock row by row in an empty table; writes to it wait until this commits.
        # (SQLite runs its transactions IMMEDIATE: one writer at a time already.)
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(User._meta.db_table)} IN EXCLUSIVE MODE"
            )
    if User.objects.exists():
        raise AlreadySetUp
    user = _user_create(username=username, password=password, email=email)
    org = organisation_create(owner=user, **organisation)
    return user, org


def default_weekend(timezone: str) -> list[int]:
    """The usual weekend where the time zone is: Iran Friday; much of the Gulf Friday–Saturday.

    The United Arab Emirates moved to Saturday–Sunday in 2022, so Dubai keeps the default.
    """
    if timezone == "Asia/Tehran":
        return [5]
    if timezone in {
        "Asia/Riyadh",
        "Asia/Qatar",
        "Asia/Kuwait",
        "Asia/Bahrain",
        "Asia/Muscat",
        "Africa/Cairo",
        "Asia/Amman",
        "Asia/Baghdad",
    }:
        return [5, 6]
    return [6, 7]


def default_week_start(timezone: str) -> int:
    """The day a week starts on where the time zone is: Saturday in Iran, Sunday where the
    weekend is Friday–Saturday, Monday elsewhere (ISO 8601)."""
    weekend = default_weekend(timezone)
    if weekend == [5]:
        return 6
    return 7 if weekend == [5, 6] else 1


@transaction.atomic
def member_add(*, organisation: Organisation, user: AbstractBaseUser, role: str) -> Membership:
    """Add `user` to `organisation` with `role`, or change the role of an existing member."""
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": Role(role)}
    )
    return membership


def user_get_or_create(
    *, username: str, password: str | None = None, email: str = ""
) -> AbstractBaseUser:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created or password:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return user


# --- Organisation settings ----------------------------------------------------------------------

#: Organisation fields whose change alters derived interaction columns (local day, business time).
_FIELDS_THAT_CHANGE_DERIVED = ("timezone", "weekend_days")


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    timezone: str,
    language: str,
    calendar: str,
    weekend_days: list[int],
    answer_target_seconds: int,
    week_start: int = 1,
    arabic_indic_digits: bool = False,
) -> Organisation:
    """Save the organisation's general settings; recompute derived columns when needed."""
    validate_timezone(timezone)
    weekend = sorted({int(day) for day in weekend_days})
    if any(day not in range(1, 8) for day in weekend):
        raise ValidationError({"weekend_days": _("Weekend days must be ISO weekdays 1–7.")})
    before = {field: getattr(organisation, field) for field in _FIELDS_THAT_CHANGE_DERIVED}
    organisation.name = name
    organisation.timezone = timezone
    organisation.language = language
    organisation.calendar = calendar
    organisation.weekend_days = weekend
    organisation.week_start = week_start
    organisation.arabic_indic_digits = arabic_indic_digits
    organisation.answer_target_seconds = answer_target_seconds
    organisation.full_clean()
    organisation.save()
    if any(getattr(organisation, f) != before[f] for f in _FIELDS_THAT_CHANGE_DERIVED):
        clock_changed.send(sender=Organisation, organisation=organisation)
    return organisation


def _minutes(value: dt.time, *, closing: bool = False) -> int:
    """Minutes since midnight; a closing time of 00:00 means the end of the day (1440)."""
    minutes = value.hour * 60 + value.minute
    return 1440 if closing and minutes == 0 else minutes


def business_hours_problems(spans: list[tuple[int, dt.time, dt.time]]) -> dict[int, str]:
    """Check opening spans; returns {index in `spans`: what is wrong with that span}.

    A span must close after it opens (00:00 as closing time means midnight); spans on one
    weekday must not overlap (touching, 09:00–13:00 and 13:00–18:00, is fine).
    """
    problems: dict[int, str] = {}
    by_day: dict[int, list[tuple[int, int, int]]] = {}
    for index, (weekday, opens, closes) in enumerate(spans):
        start, end = _minutes(opens), _minutes(closes, closing=True)
        if end <= start:
            problems[index] = _(
                "%(day)s %(opens)s–%(closes)s: the closing time must be after the opening time "
                "(use 00:00 to close at midnight; split a night shift across two days)."
            ) % {
                "day": weekday_name(weekday),
                "opens": f"{opens:%H:%M}",
                "closes": f"{closes:%H:%M}",
            }
            continue
        by_day.setdefault(weekday, []).append((start, end, index))
    for weekday, day_spans in by_day.items():
        day_spans.sort()
        for (_start1, end1, i1), (start2, _end2, i2) in itertools.pairwise(day_spans):
            if start2 < end1:
                first, second = spans[i1], spans[i2]
                problems[i2] = _("%(day)s: the span %(second)s overlaps the span %(first)s.") % {
                    "day": weekday_name(weekday),
                    "first": f"{first[1]:%H:%M}–{first[2]:%H:%M}",
                    "second": f"{second[1]:%H:%M}–{second[2]:%H:%M}",
                }
    return problems


def weekday_name(iso_weekday: int) -> str:
    """The weekday's name in the active language (1 = Monday … 7 = Sunday)."""
    return str(WEEKDAYS[iso_weekday - 1])


@transaction.atomic
def business_hours_replace(
    *, organisation: Organisation, spans: list[tuple[int, dt.time, dt.time]]
) -> list[BusinessHours]:
    """Replace all opening spans with `spans` ([(ISO weekday, opens, closes)]).

    Raises ValidationError (one message per bad span) when a span closes before it opens or
    two spans on one weekday overlap. Recomputes derived columns when the hours changed.
    """
    for weekday, _opens, _closes in spans:
        if weekday not in range(1, 8):
            raise ValidationError(_("Weekday %(day)s is not 1–7.") % {"day": weekday})
    problems = business_hours_problems(spans)
    if problems:
        raise ValidationError([problems[i] for i in sorted(problems)])
    clean = sorted(
        {
            (w, o.replace(second=0, microsecond=0), c.replace(second=0, microsecond=0))
            for w, o, c in spans
        }
    )
    before = list(
        organisation.business_hours.order_by("weekday", "opens", "closes").values_list(
            "weekday", "opens", "closes"
        )
    )
    if before == clean:
        return list(organisation.business_hours.all())
    organisation.business_hours.all().delete()
    created = BusinessHours.objects.bulk_create(
        BusinessHours(organisation=organisation, weekday=w, opens=o, closes=c) for w, o, c in clean
    )
    clock_changed.send(sender=Organisation, organisation=organisation)
    return created


@transaction.atomic
def holiday_add(*, organisation: Organisation, date: dt.date, name: str = "") -> Holiday:
    """Mark `date` as a holiday; raises ValidationError when it is one already."""
    if organisation.holidays.filter(date=date).exists():
        raise ValidationError(
            {"date": _("%(date)s is already a holiday.") % {"date": date.isoformat()}}
        )
    holiday = Holiday.objects.create(organisation=organisation, date=date, name=name.strip())
    clock_changed.send(sender=Organisation, organisation=organisation)
    return holiday


@transaction.atomic
def holiday_delete(*, organisation: Organisation, holiday_id: int) -> bool:
    """Delete one of the organisation's holidays; False when it has no such holiday."""
    deleted, _details = organisation.holidays.filter(pk=holiday_id).delete()
    if deleted:
        clock_changed.send(sender=Organisation, organisation=organisation)
    return bool(deleted)


# --- Members ------------------------------------------------------------------------------------


def _owners_left_after(*, organisation: Organisation, excluding: Membership) -> int:
    owners = Membership.objects.select_for_update().filter(
        organisation=organisation, role=Role.OWNER
    )
    return owners.exclude(pk=excluding.pk).count()


@transaction.atomic
def member_add_existing(*, organisation: Organisation, username: str, role: str) -> Membership:
    """Add the existing user called `username`; raises ValidationError naming the field."""
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username.strip()}).first()
    if user is None:
        raise ValidationError(
            {"username": _("There is no user called “%(name)s”.") % {"name": username}}
        )
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            {"username": _("“%(name)s” is already a member.") % {"name": username}}
        )
    return Membership.objects.create(organisation=organisation, user=user, role=Role(role))


@transaction.atomic
def member_create_user(
    *, organisation: Organisation, username: str, password: str, role: str, email: str = ""
) -> Membership:
    """Create a new user with `password` (the password validators apply) and add them."""
    user = _user_create(username=username, password=password, email=email)
    return Membership.objects.create(organisation=organisation, user=user, role=Role(role))


def _user_create(*, username: str, password: str, email: str = "") -> AuthUser:
    """A new user whose password passed the validators; ValidationError names the field."""
    User = get_user_model()
    username = username.strip()
    if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
        raise ValidationError(
            {"username": _("The user name “%(name)s” is taken.") % {"name": username}}
        )
    user = User(**{User.USERNAME_FIELD: username}, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def member_change_role(*, organisation: Organisation, membership_id: int, role: str) -> Membership:
    """Give a member another role; the last owner cannot be demoted."""
    membership = Membership.objects.select_for_update().get(
        organisation=organisation, pk=membership_id
    )
    role = Role(role)
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owners_left_after(organisation=organisation, excluding=membership) == 0
    ):
        raise ValidationError(
            {
                "role": _("%(name)s is the only owner. Make someone else an owner first.")
                % {"name": membership.user.get_username()}
            }
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, organisation: Organisation, membership_id: int) -> None:
    """Remove a member from the organisation (their user account stays); never the last owner."""
    membership = Membership.objects.select_for_update().get(
        organisation=organisation, pk=membership_id
    )
    if membership.role == Role.OWNER and (
        _owners_left_after(organisation=organisation, excluding=membership) == 0
    ):
        raise ValidationError(
            _("%(name)s is the only owner and cannot be removed. Make someone else an owner first.")
            % {"name": membership.user.get_username()}
        )
    # The agent record (team app) stays for the history, without its link to the sign-in user.
    membership.user.agent_records.filter(organisation=organisation).update(user=None)
    membership.delete()


# --- API tokens ---------------------------------------------------------------------------------

#: Roles an API token may have: tokens read or write data, they never manage the organisation.
TOKEN_ROLES = (Role.MANAGER, Role.VIEWER)


@transaction.atomic
def api_token_create(
    *, organisation: Organisation, name: str, role: str, created_by: AuthUser | None
) -> tuple[ApiToken, str]:
    """Create a token; returns (token, raw key). The raw key is not stored and cannot be shown again."""
    if role not in TOKEN_ROLES:
        raise ValidationError({"role": _("A token is either a manager or a viewer.")})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name.strip(),
        role=role,
        prefix=raw[:10],
        token_hash=hash_token(raw),
        created_by=created_by,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, organisation: Organisation, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(organisation=organisation, pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = django_timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# --- Profile ------------------------------------------------------------------------------------


@transaction.atomic
def profile_update(
    *, user: AuthUser, language: str, calendar: str, email: str | None = None
) -> Profile:
    """Save the user's own language and calendar ('' = as the organisation), and their e-mail
    address when given ('' = none)."""
    if email is not None and email != user.email:
        user.email = email
        user.save(update_fields=["email"])
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.calendar = calendar
    profile.full_clean(exclude=["user", "last_organisation"])
    profile.save(update_fields=["language", "calendar"])
    return profile


# --- Password reset -----------------------------------------------------------------------------


def password_reset_email_send(*, user: AuthUser, uidb64: str, token: str) -> None:
    """Send `user` the link that sets a new password, in their language and calendar.

    A failure is logged, not raised: the page must look the same whether an e-mail went or not.
    """
    profile = Profile.objects.filter(user=user).select_related("last_organisation").first()
    organisation = profile.last_organisation if profile else None
    if organisation is None:
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        organisation = membership.organisation if membership else None
    valid_until = django_timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    message = localised_email(
        user=user,
        organisation=organisation,
        subject=lambda: _("Set a new GoalDesk password"),
        template="accounts/email/password_reset",
        context={
            "url": reverse("accounts:password_reset_confirm", args=[uidb64, token]),
            "valid_until": valid_until,
            "username": user.get_username(),
        },
        unsubscribe_kind=None,
    )
    try:
        send_all([message])
    except Exception:  # any mail-server failure; the page must not tell
        logger.exception("The password-reset e-mail to user %s was not sent", user.pk)


# --- Invitations --------------------------------------------------------------------------------


def invitation_roles(*, inviter_role: str) -> list[Role]:
    """The roles someone with `inviter_role` may invite to: up to their own."""
    return [role for role in Role if ROLE_RANK[role] <= ROLE_RANK[Role(inviter_role)]]


def _invitation_email_send(*, invitation: Invitation, raw_token: str) -> None:
    """Send the invitation link once the transaction is committed, in the organisation's
    language and calendar (the invited person has no preferences yet)."""
    organisation = invitation.organisation
    inviter = invitation.invited_by.get_username() if invitation.invited_by else ""
    role = Role(invitation.role)
    message = localised_email(
        user=None,
        address=invitation.email,
        organisation=organisation,
        subject=lambda: (
            _("Join %(organisation)s on GoalDesk") % {"organisation": organisation.name}
        ),
        template="accounts/email/invitation",
        context={
            "url": reverse("accounts:invitation", args=[raw_token]),
            "valid_until": invitation.expires_at,
            "inviter": inviter,
            "role": lambda: str(role.label),
        },
        unsubscribe_kind=None,
    )
    transaction.on_commit(lambda: send_all([message]))


def _invitation_check(*, organisation: Organisation, email: str) -> None:
    User = get_user_model()
    members = User.objects.filter(
        email__iexact=email, memberships__organisation=organisation
    ).exists()
    if members:
        raise ValidationError(
            {
                "email": _("Someone with the e-mail %(email)s is already a member.")
                % {"email": email}
            }
        )


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: AuthUser, inviter_role: str
) -> tuple[Invitation, str]:
    """Invite `email` to `organisation` with `role` and send the link; returns (invitation, raw
    token). Earlier pending invitations of the same address end. ValidationError names the field:
    an address of a member, a role above the inviter's."""
    email = email.strip()
    if Role(role) not in invitation_roles(inviter_role=inviter_role):
        raise ValidationError({"role": _("You cannot invite someone to a role above your own.")})
    _invitation_check(organisation=organisation, email=email)
    now = django_timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    raw = Invitation.generate()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=Role(role),
        token_hash=hash_token(raw),
        invited_by=invited_by,
        expires_at=now + INVITATION_VALID_FOR,
    )
    _invitation_email_send(invitation=invitation, raw_token=raw)
    return invitation, raw


def _pending_invitation(*, organisation: Organisation, invitation_id: int) -> Invitation:
    return Invitation.objects.select_for_update().get(
        organisation=organisation,
        pk=invitation_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )


@transaction.atomic
def invitation_resend(
    *, organisation: Organisation, invitation_id: int, inviter_role: str
) -> tuple[Invitation, str]:
    """Send a pending invitation again with a new link and a new expiry (the old link stops
    working); returns (invitation, raw token). Raises Invitation.DoesNotExist when it is not
    pending in `organisation`; ValidationError when its role is above the inviter's."""
    invitation = _pending_invitation(organisation=organisation, invitation_id=invitation_id)
    if Role(invitation.role) not in invitation_roles(inviter_role=inviter_role):
        raise ValidationError(_("You cannot invite someone to a role above your own."))
    raw = Invitation.generate()
    invitation.token_hash = hash_token(raw)
    invitation.expires_at = django_timezone.now() + INVITATION_VALID_FOR
    invitation.save(update_fields=["token_hash", "expires_at"])
    _invitation_email_send(invitation=invitation, raw_token=raw)
    return invitation, raw


@transaction.atomic
def invitation_revoke(
    *, organisation: Organisation, invitation_id: int, inviter_role: str
) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working (withdrawing it again
    changes nothing). Raises Invitation.DoesNotExist when there is no such invitation in
    `organisation` or it was accepted; ValidationError above the inviter's role."""
    invitation = Invitation.objects.select_for_update().get(
        organisation=organisation, pk=invitation_id, accepted_at__isnull=True
    )
    if Role(invitation.role) not in invitation_roles(inviter_role=inviter_role):
        raise ValidationError(_("You cannot invite someone to a role above your own."))
    if invitation.revoked_at is None:
        invitation.revoked_at = django_timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationUnusable(Exception):
    """The invitation was used, withdrawn or has expired (`state` says which)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


def invitation_state(invitation: Invitation) -> str:
    """ "accepted", "revoked", "expired" or "pending"."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= django_timezone.now():
        return "expired"
    return "pending"


@transaction.atomic
def invitation_accept(*, invitation_id: int, user: AuthUser) -> Membership:
    """`user` joins the invitation's organisation with its role; the invitation is used up.
    Raises InvitationUnusable when it was used, withdrawn or expired, ValidationError when
    `user` is already a member."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    state = invitation_state(invitation)
    if state != "pending":
        raise InvitationUnusable(state)
    organisation = invitation.organisation
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("You are already a member of %(organisation)s.") % {"organisation": organisation.name}
        )
    membership = Membership.objects.create(
        organisation=organisation, user=user, role=Role(invitation.role)
    )
    invitation.accepted_at = django_timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept_as_new_user(
    *, invitation_id: int, username: str, password: str
) -> Membership:
    """Create a user (the password validators apply; its e-mail is the invitation's) who joins
    as `invitation_accept` does. ValidationError names the field; InvitationUnusable as there."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    state = invitation_state(invitation)
    if state != "pending":
        raise InvitationUnusable(state)
    user = _user_create(username=username, password=password, email=invitation.email)
    return invitation_accept(invitation_id=invitation.pk, user=user)
