"""Reads of notifications and of each person's choices."""

from typing import Any

from django.db.models import QuerySet

from goaldesk.accounts.models import ROLE_RANK, Role
from goaldesk.accounts.selectors import memberships_of_user
from goaldesk.notifications.kinds import KINDS
from goaldesk.notifications.models import DigestFrequency, DigestSetting, Notification, Preference

#: Who gets a digest without having chosen: the people who steer the organisation.
DIGEST_DEFAULT_BY_ROLE = {
    Role.OWNER: DigestFrequency.WEEKLY,
    Role.MANAGER: DigestFrequency.WEEKLY,
    Role.AGENT: DigestFrequency.NONE,
    Role.VIEWER: DigestFrequency.NONE,
}


def unread_count(*, user: Any) -> int:
    """How many of `user`'s notifications are unread (one COUNT on the recipient/read index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """`user`'s notifications, newest first, with their organisations."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


def preferences_of(*, user: Any) -> dict[str, tuple[bool, bool]]:
    """kind → (in the app, by e-mail) as `user` chose, the kind's defaults where they did not."""
    chosen = {p.kind: p for p in Preference.objects.filter(user=user)}
    return {
        key: (chosen[key].in_app, chosen[key].email) if key in chosen else (kind.in_app, kind.email)
        for key, kind in KINDS.items()
    }


def digest_default_for(membership_role: str) -> str:
    """The digest frequency of a person with `membership_role` who has not chosen one."""
    return DIGEST_DEFAULT_BY_ROLE.get(Role(membership_role), DigestFrequency.NONE)


def digest_frequency_for(user: Any, membership_role: str) -> str:
    """How often `user`, a member with `membership_role`, gets the digest (a `DigestFrequency`
    value): their own choice, else weekly for managers and owners and none for the others."""
    chosen = DigestSetting.objects.filter(user=user).values_list("frequency", flat=True).first()
    return chosen if chosen is not None else digest_default_for(membership_role)


def digest_frequency_of(*, user: Any) -> str:
    """The digest frequency `user`'s preferences page shows: their choice, else the default of
    their highest role in any organisation."""
    chosen = DigestSetting.objects.filter(user=user).values_list("frequency", flat=True).first()
    if chosen is not None:
        return chosen
    roles = [Role(m.role) for m in memberships_of_user(user_id=user.pk)]
    return digest_default_for(max(roles, key=ROLE_RANK.__getitem__, default=Role.VIEWER))
