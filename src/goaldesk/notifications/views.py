"""The bell's list, marking read, the preferences page and the unsubscribe page."""

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from goaldesk.accounts.mail import unsubscribe_read
from goaldesk.notifications.kinds import DIGEST, KINDS
from goaldesk.notifications.services import unsubscribe_apply


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link from an e-mail. GET only shows one button (mail scanners open every link);
    the button's POST stops that kind of e-mail."""
    found = unsubscribe_read(token)
    if found is None:
        raise Http404
    user_id, kind = found
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or (kind != DIGEST and kind not in KINDS):
        raise Http404
    label = KINDS[kind].label if kind in KINDS else None
    done = False
    if request.method == "POST":
        unsubscribe_apply(user=user, kind=kind)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": label, "is_digest": kind == DIGEST, "done": done, "email": user.email},
    )
