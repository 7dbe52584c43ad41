import math
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import LANGUAGE_COOKIE, SignedInRequest, profile_for
from goaldesk.accounts.forms import LanguageForm
from goaldesk.accounts.selectors import memberships_of_user
from goaldesk.accounts.throttling import (
    client_ip_address,
    signin_failures_reset,
    signin_lock_remaining,
)
from goaldesk.core.display import duration


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        signin_failures_reset(username=form.get_user().get_username())
        return response


def signin_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page saying that signing in is locked and for how long (429, Retry-After).

    django-axes calls this (AXES_LOCKOUT_CALLABLE) for a sign-in refused because the account or
    the address reached the failure limit.
    """
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    remaining = signin_lock_remaining(username=username, ip_address=client_ip_address(request))
    wait_minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    message = gettext(
        "Too many failed sign-ins for this account or from this address. Signing in is "
        "locked for now: try again in %(duration)s."
    ) % {"duration": duration(wait_minutes * 60)}
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next", ""),
        "lockout_message": message,
    }
    response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(wait_minutes * 60)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """Go to the dashboard of the organisation used last, or the list of organisations."""
    profile = profile_for(request.user)
    memberships = memberships_of_user(user_id=request.user.pk)
    last = memberships.filter(organisation=profile.last_organisation_id).first()
    chosen = last or (memberships.first() if memberships.count() == 1 else None)
    if chosen is not None:
        return redirect("metrics:dashboard", org_slug=chosen.organisation.slug)
    return redirect("accounts:organisations")


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organisations.html")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and in the user's profile."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or reverse("accounts:home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("accounts:home")
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            profile = profile_for(request.user)
            profile.language = language
            profile.save(update_fields=["language"])
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="Lax")
    return response
