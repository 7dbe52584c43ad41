from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest

from goaldesk.notifications.selectors import unread_count


@dataclass
class Bell:
    """The header's bell: the unread count is counted once, and only when a page shows it
    (partials that never render the header cost nothing)."""

    user: Any

    @cached_property
    def unread(self) -> int:
        return unread_count(user=self.user)


def bell(request: HttpRequest) -> dict[str, Any]:
    """`bell` for signed-in visitors (`bell.unread`: how many notifications are unread)."""
    if not request.user.is_authenticated:
        return {}
    return {"bell": Bell(request.user)}
