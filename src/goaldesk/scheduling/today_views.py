"""The Today page: the day so far against the forecast and the rest of it re-forecast.

Managers and owners (the people who move staff during the day) read it; it changes nothing.
htmx polls the same URL and gets the page's body without the frame.
"""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.core.display import digits
from goaldesk.scheduling.today import Today, channel_choices, today_for


def _hm(today: Today, index: int) -> str:
    return digits(timezone.localtime(today.intervals[index].start).strftime("%H:%M"))


def _chart(today: Today) -> dict[str, Any]:
    """Contacts so far, the morning's forecast and the re-forecast per interval; labels are
    written here, in the reader's digits."""
    return {
        "rtl": bool(get_language_bidi()),
        "labels": [_hm(today, i) for i in range(len(today.intervals))],
        "actual": [row.actual for row in today.intervals],
        "forecast": [round(row.forecast, 2) for row in today.intervals],
        "reforecast": [round(row.reforecast, 2) for row in today.intervals],
        "text": {
            "actual": _("Contacts"),
            "forecast": _("Forecast"),
            "reforecast": _("Re-forecast"),
        },
    }


@org_view(Role.MANAGER)
@require_GET
def today(request: OrgRequest) -> HttpResponse:
    """Today so far for one channel (`?channel=`; an unknown one shows the first)."""
    data = today_for(
        organisation=request.org, now=timezone.now(), channel=request.GET.get("channel")
    )
    context: dict[str, Any] = {
        "nav": "today",
        "today": data,
        "channels": channel_choices(data),
        "rows": [{"time": _hm(data, i), "row": row} for i, row in enumerate(data.intervals)],
        "chart": _chart(data) if data.intervals else None,
    }
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request, "scheduling/_today.html" if partial else "scheduling/today.html", context
    )
