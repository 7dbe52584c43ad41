"""Telling people: `notify` is called by the service that causes an event, in its transaction.

In-app notifications are written at once; e-mails are sent by the worker after the transaction
commits, each in its recipient's language, calendar and digits.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from goaldesk.accounts.models import Organisation
from goaldesk.notifications.kinds import KINDS
from goaldesk.notifications.models import Notification, Preference


def notify(
    *,
    kind: str,
    recipients: Iterable[Any],
    organisation: Organisation | None = None,
    params: Mapping[str, Any] | None = None,
    url: str = "",
) -> int:
    """Tell each of `recipients` (users; None and duplicates skipped) that `kind` happened,
    the way each of them chose. `params` must be JSON (dates as ISO strings). Returns how many
    people were told in either way."""
    definition = KINDS[kind]
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return 0
    chosen = {p.user_id: p for p in Preference.objects.filter(user__in=list(users), kind=kind)}
    stored = dict(params or {})
    in_app: list[Notification] = []
    by_email: list[int] = []
    for user in users.values():
        preference = chosen.get(user.pk)
        if preference.in_app if preference else definition.in_app:
            in_app.append(
                Notification(
                    recipient=user, organisation=organisation, kind=kind, params=stored, url=url
                )
            )
        if (preference.email if preference else definition.email) and user.email:
            by_email.append(user.pk)
    Notification.objects.bulk_create(in_app)
    if by_email:
        from goaldesk.notifications.tasks import notification_emails_task

        organisation_id = organisation.pk if organisation is not None else None
        transaction.on_commit(
            lambda: notification_emails_task.enqueue(
                kind=kind,
                user_ids=by_email,
                organisation_id=organisation_id,
                params=stored,
                url=url,
            )
        )
    return len({n.recipient_id for n in in_app} | set(by_email))


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s notifications read (those of `ids`, or all). Returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_emails_send(
    *,
    kind: str,
    user_ids: Iterable[int],
    organisation_id: int | None,
    params: Mapping[str, Any],
    url: str,
) -> int:
    """Send the e-mail of one event to each user. Returns the number sent."""
    from goaldesk.accounts.mail import localised_email, send_all

    organisation = (
        Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    )
    definition = KINDS[kind]
    messages = []
    for user in get_user_model().objects.filter(pk__in=list(user_ids), is_active=True):
        if not user.email:
            continue
        messages.append(
            localised_email(
                user=user,
                organisation=organisation,
                subject=lambda: definition.describe(params),
                template="notifications/email/event",
                context={"text": lambda: definition.describe(params), "url": url},
                unsubscribe_kind=kind,
            )
        )
    return send_all(messages)


def preferences_save(
    *, user: Any, choices: Mapping[str, tuple[bool, bool]], digest: str | None = None
) -> None:
    """Store `user`'s (in_app, email) per kind, and their digest frequency if given."""
    from goaldesk.notifications.models import DigestSetting

    with transaction.atomic():
        for kind, (in_app, email) in choices.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"in_app": in_app, "email": email}
            )
        if digest is not None:
            DigestSetting.objects.update_or_create(user=user, defaults={"frequency": digest})


def unsubscribe_apply(*, user: Any, kind: str) -> None:
    """Stop the e-mails of `kind` (or the digest) for `user`: what the unsubscribe page's
    button does."""
    from goaldesk.notifications.kinds import DIGEST
    from goaldesk.notifications.models import DigestFrequency, DigestSetting

    if kind == DIGEST:
        DigestSetting.objects.update_or_create(
            user=user, defaults={"frequency": DigestFrequency.NONE}
        )
        return
    in_app = KINDS[kind].in_app
    preference = Preference.objects.filter(user=user, kind=kind).first()
    if preference is not None:
        in_app = preference.in_app
    Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"in_app": in_app, "email": False}
    )
