"""Background jobs of notifications (run by `goaldesk worker`)."""

from typing import Any

from django_tasks import task


@task()
def notification_emails_task(
    kind: str,
    user_ids: list[int],
    organisation_id: int | None,
    params: dict[str, Any],
    url: str,
) -> int:
    """E-mail one event to each of `user_ids`. Returns the number sent."""
    from goaldesk.notifications.services import notification_emails_send

    return notification_emails_send(
        kind=kind, user_ids=user_ids, organisation_id=organisation_id, params=params, url=url
    )
