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
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from goaldesk.accounts import services
from goaldesk.accounts.access import LANGUAGE_COOKIE, SignedInRequest, profile_for
from goaldesk.accounts.forms import (
    BaseBusinessHoursFormSet,
    BusinessHoursFormSet,
    FirstRunOwnerForm,
    LanguageForm,
    OrganisationCreateForm,
    OwnerForm,
    new_business_hours_initial,
)
from goaldesk.accounts.selectors import memberships_of_user
from goaldesk.accounts.throttling import (
    client_ip_address,
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
