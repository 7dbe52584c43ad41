"""The bell's list, marking read, the preferences page and the unsubscribe page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from goaldesk.accounts.access import SignedInRequest
from goaldesk.accounts.mail import unsubscribe_read
from goaldesk.accounts.selectors import memberships_of_user
from goaldesk.notifications.forms import PreferencesForm
from goaldesk.notifications.kinds import DIGEST, KINDS
from goaldesk.notifications.models import Notification
from goaldesk.notifications.selectors import (
    digest_frequency_of,
    notification_list,
    preferences_of,
)
from goaldesk.notifications.services import (
    notifications_mark_read,
    preferences_save,
    unsubscribe_apply,
)

NOTIFICATIONS_PER_PAGE = 50


@login_required
def notifications(request: SignedInRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first, from all their organisations (the
    unread count is the header's bell's, counted once)."""
    page = Paginator(notification_list(user=request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            # The organisation is worth a column only to a member of several.
            "show_organisation": memberships_of_user(user_id=request.user.pk)[:2].count() > 1,
        },
    )


@login_required
@require_POST
def notification_read(request: SignedInRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request: SignedInRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request: SignedInRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go to its page; a link that would leave this site (or
    is no path) leads back to the list instead."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    url = notification.url
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("notifications:list")


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    """Each kind of event in the app and/or by e-mail, and how often the digest comes."""
    initial = PreferencesForm.initial_for(
        preferences_of(user=request.user), digest_frequency_of(user=request.user)
    )
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        # Only what changed is stored: a kind or a digest never touched keeps following its
        # default (the digest's differs by role, and a person may hold several roles).
        preferences_save(
            user=request.user,
            choices=form.changed_choices(),
            digest=form.cleaned_data["digest"] if "digest" in form.changed_data else None,
        )
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )


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
