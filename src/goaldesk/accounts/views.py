import math
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from goaldesk.accounts import selectors, services
from goaldesk.accounts.access import (
    LANGUAGE_COOKIE,
    SignedInRequest,
    apply_preferences,
    profile_for,
)
from goaldesk.accounts.forms import (
    BaseBusinessHoursFormSet,
    BusinessHoursFormSet,
    FirstRunOwnerForm,
    InvitationSignUpForm,
    LanguageForm,
    OrganisationCreateForm,
    OwnerForm,
    PasswordResetRequestForm,
    PasswordSetForm,
    new_business_hours_initial,
)
from goaldesk.accounts.models import Invitation, Membership
from goaldesk.accounts.selectors import memberships_of_user
from goaldesk.accounts.throttling import (
    client_ip_address,
    password_reset_allowed,
    signin_failures_reset,
    signin_lock_remaining,
)
from goaldesk.core.display import duration


class SignInView(auth_views.LoginView):
    """Sign in; on an installation without any user, the first-run set-up instead.

    Every page sends an anonymous visitor here, so this one check leads every page of a new
    installation to the set-up, and costs the other pages, the API and static files nothing.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if services.installation_is_new():
            return redirect("accounts:first_run")
        return super().get(request, *args, **kwargs)

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


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link that sets a new password.

    The next page is the same whether the address belongs to someone or not, and whether the
    throttle let the e-mail go or not (PASSWORD_RESET_LIMIT per address and per client address).
    """

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        allowed = password_reset_allowed(
            email=form.cleaned_data["email"], ip_address=client_ip_address(self.request)
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of the e-mail: a new password, twice. Django's token stops working once the
    password changed, and after PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: PasswordSetForm) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever set a new password through the e-mailed link may sign in with it at once,
        # even if failed guesses had locked the account.
        signin_failures_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _invitation_unusable(request: HttpRequest, invitation: Invitation, state: str) -> HttpResponse:
    context = {"invitation": invitation, "state": state}
    return render(request, "accounts/invitation_unusable.html", context, status=410)


def _invitation_join(
    request: HttpRequest, found: Invitation, form: InvitationSignUpForm | None
) -> None:
    """The signed-in user joins; without one, the account of `form` is created, joins and is
    signed in. Raises what the services raise."""
    if form is None:
        services.invitation_accept(invitation_id=found.pk, user=cast(SignedInRequest, request).user)
        return
    membership = services.invitation_accept_as_new_user(
        invitation_id=found.pk,
        username=form.cleaned_data["username"],
        password=form.cleaned_data["password1"],
    )
    login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation e-mail: who invites to which organisation with which role.

    Signed in: POST joins. Otherwise: POST creates an account that joins, or sign in first. Only
    POST changes anything; a used, withdrawn or expired invitation shows a page saying which.
    """
    found = selectors.invitation_by_token(token)
    if found is None:
        raise Http404
    # In the organisation's language and calendar, as its e-mail was (unless the visitor chose).
    apply_preferences(request, found.organisation)
    state = services.invitation_state(found)
    if state != "pending":
        return _invitation_unusable(request, found, state)
    organisation = found.organisation
    signed_in = request.user.is_authenticated
    form = None if signed_in else InvitationSignUpForm(prefix="join")
    error = ""
    if request.method == "POST":
        if not signed_in:
            form = InvitationSignUpForm(request.POST, prefix="join")
        if form is None or form.is_valid():
            try:
                _invitation_join(request, found, form)
            except services.InvitationUnusable as unusable:
                return _invitation_unusable(request, found, unusable.state)
            except ValidationError as problem:
                if form is not None and hasattr(problem, "error_dict"):
                    for field, problems in problem.error_dict.items():
                        form.add_error(field if field in form.fields else None, problems)
                else:
                    error = " ".join(problem.messages)
            else:
                messages.success(
                    request,
                    gettext("You joined %(name)s.") % {"name": f"\u2068{organisation.name}\u2069"},
                )
                return redirect("metrics:dashboard", org_slug=organisation.slug)
    already_member = (
        signed_in
        and Membership.objects.filter(
            organisation=organisation, user=cast(SignedInRequest, request).user
        ).exists()
    )
    context = {
        "invitation": found,
        "form": form,
        "error": error,
        "already_member": already_member,
        "signin_url": f"{reverse('accounts:login')}?{urlencode({'next': request.path})}",
    }
    response = render(request, "accounts/invitation.html", context, status=400 if error else 200)
    response["Cache-Control"] = "no-store"
    return response


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


# --- First run and new organisations --------------------------------------------------------------

#: Form fields that `organisation_create` takes as they are.
_ORGANISATION_FIELDS = (
    "name",
    "slug",
    "timezone",
    "language",
    "calendar",
    "week_start",
    "arabic_indic_digits",
    "weekend_days",
    "answer_target_seconds",
)


def _hours_formset(data: Any = None, *, weekend_days: list[int]) -> BaseBusinessHoursFormSet:
    # django-stubs types formset_factory's class as a plain BaseFormSet; it is ours.
    return cast(
        BaseBusinessHoursFormSet,
        BusinessHoursFormSet(
            data, initial=new_business_hours_initial(weekend_days), prefix="hours"
        ),
    )


def _organisation_forms(
    request: HttpRequest,
) -> tuple[OrganisationCreateForm, BaseBusinessHoursFormSet]:
    """The new organisation's form and its business hours, bound on POST, else filled in with
    what a new organisation starts with."""
    initial = OrganisationCreateForm.initial_for_new(language=get_language())
    if request.method == "POST":
        form = OrganisationCreateForm(request.POST, prefix="org")
        return form, _hours_formset(request.POST, weekend_days=initial["weekend_days"])
    form = OrganisationCreateForm(initial=initial, prefix="org")
    return form, _hours_formset(weekend_days=initial["weekend_days"])


def _organisation_arguments(
    form: OrganisationCreateForm, hours: BaseBusinessHoursFormSet
) -> dict[str, Any]:
    return {
        **{field: form.cleaned_data[field] for field in _ORGANISATION_FIELDS},
        "business_hours": hours.spans(),
        "number_taken_slug": True,
    }


def _show_errors(
    error: ValidationError,
    org_form: OrganisationCreateForm,
    hours: BaseBusinessHoursFormSet,
    owner_form: OwnerForm | None = None,
) -> None:
    """Put a service's ValidationError beside the fields it names, in whichever form has them."""
    if not hasattr(error, "error_dict"):
        org_form.add_error(None, error)
        return
    for field, problems in error.error_dict.items():
        if field == "business_hours":
            # After validation non_form_errors() is the form set's own list, shown on the page.
            hours.non_form_errors().extend(ValidationError(problems).messages)
        elif owner_form is not None and field in owner_form.fields:
            owner_form.add_error(field, problems)
        else:
            org_form.add_error(field if field in org_form.fields else None, problems)


def first_run(request: HttpRequest) -> HttpResponse:
    """The first run: create the owner and their organisation, sign them in, go to its import.

    Open only while no user exists (404 after); the service checks again inside its
    transaction, so two set-ups sent at once never make two owners.
    """
    if not services.installation_is_new():
        raise Http404
    org_form, hours = _organisation_forms(request)
    if request.method == "POST":
        owner_form = FirstRunOwnerForm(request.POST, prefix="owner")
        if all([owner_form.is_valid(), org_form.is_valid(), hours.is_valid()]):
            try:
                user, org = services.installation_set_up(
                    username=owner_form.cleaned_data["username"],
                    email=owner_form.cleaned_data["email"],
                    password=owner_form.cleaned_data["password1"],
                    **_organisation_arguments(org_form, hours),
                )
            except services.AlreadySetUp as error:
                raise Http404 from error
            except ValidationError as error:
                _show_errors(error, org_form, hours, owner_form)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    gettext(
                        "GoalDesk is set up and you are signed in as the owner of %(name)s. "
                        "Import your interactions to begin."
                    )
                    % {"name": f"\u2068{org.name}\u2069"},
                )
                return redirect("imports:start", org_slug=org.slug)
    else:
        owner_form = FirstRunOwnerForm(prefix="owner")
    context = {"owner_form": owner_form, "form": org_form, "formset": hours}
    return render(request, "accounts/first_run.html", context)


@login_required
def organisation_new(request: SignedInRequest) -> HttpResponse:
    """Create another organisation; whoever creates it becomes its owner."""
    org_form, hours = _organisation_forms(request)
    if request.method == "POST" and org_form.is_valid() and hours.is_valid():
        try:
            org = services.organisation_create(
                owner=request.user, **_organisation_arguments(org_form, hours)
            )
        except ValidationError as error:
            _show_errors(error, org_form, hours)
        else:
            messages.success(
                request,
                gettext("The organisation %(name)s was created; you are its owner.")
                % {"name": f"\u2068{org.name}\u2069"},
            )
            return redirect("imports:start", org_slug=org.slug)
    return render(request, "accounts/organisation_new.html", {"form": org_form, "formset": hours})
