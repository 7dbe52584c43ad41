"""Writes for organisations and their members."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Membership, Organisation, Role, validate_timezone


@transaction.atomic
def organisation_create(
    *,
    name: str,
    timezone: str,
    language: str,
    slug: str | None = None,
    calendar: str | None = None,
    weekend_days: list[int] | None = None,
) -> Organisation:
    """Create an organisation; raises ValidationError naming the bad field."""
    validate_timezone(timezone)
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
    )
    org.full_clean()
    org.save()
    return org


def default_weekend(timezone: str) -> list[int]:
    """The usual weekend where the time zone is: Iran Friday; much of the Gulf Friday–Saturday."""
    if timezone == "Asia/Tehran":
        return [5]
    if timezone in {
        "Asia/Dubai",
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
