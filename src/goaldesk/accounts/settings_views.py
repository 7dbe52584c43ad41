"""Organisation settings pages under /o/<org_slug>/settings/, and the user's own profile.

Who may do what: the owner edits the organisation's settings, members and API tokens; a manager
reads the general settings, business hours and holidays; every member may open the settings
landing page, which lists only what their role can reach.
"""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts import selectors, services
from goaldesk.accounts.access import (
    LANGUAGE_COOKIE,
    OrgRequest,
    SignedInRequest,
    org_view,
    profile_for,
)
from goaldesk.accounts.forms import (
    ApiTokenForm,
    BaseBusinessHoursFormSet,
    BusinessHoursFormSet,
    HolidayForm,
    InvitationForm,
    MemberAddForm,
    MemberCreateForm,
    MemberRoleForm,
    OrganisationSettingsForm,
    ProfileForm,
)
from goaldesk.accounts.models import Invitation, Membership, Role


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError next to the form's fields it names (else on top)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


def require_role(request: OrgRequest, role: str) -> None:
    if not request.membership.allows(role):
        raise PermissionDenied


def render_settings(
    request: OrgRequest, template: str, section: str, **context: Any
) -> HttpResponse:
    membership = request.membership
    context.update(
        nav="settings",
        section=section,
        can_edit_org=membership.allows(Role.OWNER),
        can_manage_team=membership.allows(Role.MANAGER),
    )
    return render(request, template, context)


@org_view(Role.VIEWER)
def settings_landing(request: OrgRequest) -> HttpResponse:
    org = request.org
    weekend_names = [services.weekday_name(day) for day in sorted(org.weekend_days or [])]
    return render_settings(
        request, "accounts/settings/landing.html", "landing", weekend_names=weekend_names
    )


@org_view(Role.MANAGER)
def settings_general(request: OrgRequest) -> HttpResponse:
    org = request.org
    if request.method == "POST":
        require_role(request, Role.OWNER)
        form = OrganisationSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.organisation_update(organisation=org, **form.cleaned_data)
            except ValidationError as error:
                org.refresh_from_db()
                add_service_error(form, error)
            else:
                messages.success(request, _("The settings were saved."))
                return redirect("accounts:settings_general", org_slug=org.slug)
    else:
        form = OrganisationSettingsForm(initial=OrganisationSettingsForm.initial_for(org))
    return render_settings(request, "accounts/settings/general.html", "general", form=form)


def _hours_formset(
    data: Any = None, initial: list[dict[str, Any]] | None = None
) -> BaseBusinessHoursFormSet:
    # django-stubs types formset_factory's class as a plain BaseFormSet; it is ours.
    return cast(
        BaseBusinessHoursFormSet, BusinessHoursFormSet(data, initial=initial, prefix="hours")
    )


@org_view(Role.MANAGER)
def settings_hours(request: OrgRequest) -> HttpResponse:
    org = request.org
    if request.method == "POST":
        require_role(request, Role.OWNER)
        formset = _hours_formset(request.POST)
        if formset.is_valid():
            try:
                services.business_hours_replace(organisation=org, spans=formset.spans())
            except ValidationError as error:
                # The form set checks the same rules; this only happens in a race. After
                # validation non_form_errors() is the form set's own list, shown on the page.
                formset.non_form_errors().extend(error.messages)
            else:
                messages.success(request, _("The business hours were saved."))
                return redirect("accounts:settings_hours", org_slug=org.slug)
    else:
        initial = [
            {"weekday": span.weekday, "opens": span.opens, "closes": span.closes}
            for span in selectors.business_hours_list(organisation=org)
        ]
        formset = _hours_formset(initial=initial)
    spans = [
        {"weekday": services.weekday_name(span.weekday), "opens": span.opens, "closes": span.closes}
        for span in selectors.business_hours_list(organisation=org)
    ]
    return render_settings(
        request, "accounts/settings/hours.html", "hours", formset=formset, spans=spans
    )


@org_view(Role.MANAGER)
def settings_holidays(request: OrgRequest) -> HttpResponse:
    org = request.org
    if request.method == "POST":
        require_role(request, Role.OWNER)
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                services.holiday_add(organisation=org, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The holiday was added."))
                return redirect("accounts:settings_holidays", org_slug=org.slug)
    else:
        form = HolidayForm()
    holidays = selectors.holiday_list(organisation=org)
    return render_settings(
        request, "accounts/settings/holidays.html", "holidays", form=form, holidays=holidays
    )


@require_POST
@org_view(Role.OWNER)
def holiday_delete(request: OrgRequest, holiday_id: int) -> HttpResponse:
    org = request.org
    if not services.holiday_delete(organisation=org, holiday_id=holiday_id):
        raise Http404
    messages.success(request, _("The holiday was removed."))
    return redirect("accounts:settings_holidays", org_slug=org.slug)


def _members_page(
    request: OrgRequest,
    *,
    add_form: MemberAddForm | None = None,
    create_form: MemberCreateForm | None = None,
    row_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    org = request.org
    members = list(selectors.membership_list(organisation=org))
    row_errors = row_errors or {}
    rows = [
        {
            "membership": m,
            "form": MemberRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}"),
            "error": row_errors.get(m.pk, ""),
        }
        for m in members
    ]
    response = render_settings(
        request,
        "accounts/settings/members.html",
        "members",
        rows=rows,
        add_form=add_form or MemberAddForm(prefix="add"),
        create_form=create_form or MemberCreateForm(prefix="new"),
    )
    response.status_code = status
    return response


@org_view(Role.OWNER)
def members(request: OrgRequest) -> HttpResponse:
    org = request.org
    if request.method != "POST":
        return _members_page(request)
    if "add-username" in request.POST:
        add_form = MemberAddForm(request.POST, prefix="add")
        if add_form.is_valid():
            try:
                membership = services.member_add_existing(organisation=org, **add_form.cleaned_data)
            except ValidationError as error:
                add_service_error(add_form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s was added.") % {"name": membership.user.get_username()},
                )
                return redirect("accounts:members", org_slug=org.slug)
        return _members_page(request, add_form=add_form)
    create_form = MemberCreateForm(request.POST, prefix="new")
    if create_form.is_valid():
        data = create_form.cleaned_data
        try:
            membership = services.member_create_user(
                organisation=org,
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                role=data["role"],
            )
        except ValidationError as error:
            add_service_error(create_form, error)
        else:
            messages.success(
                request,
                _("The user %(name)s was created and added.")
                % {"name": membership.user.get_username()},
            )
            return redirect("accounts:members", org_slug=org.slug)
    return _members_page(request, create_form=create_form)


@require_POST
@org_view(Role.OWNER)
def member_role(request: OrgRequest, membership_id: int) -> HttpResponse:
    org = request.org
    membership = get_object_or_404(Membership, organisation=org, pk=membership_id)
    form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        return _members_page(request, row_errors={membership.pk: _("Choose a role.")}, status=400)
    try:
        services.member_change_role(
            organisation=org, membership_id=membership.pk, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        return _members_page(
            request, row_errors={membership.pk: " ".join(error.messages)}, status=400
        )
    messages.success(
        request,
        _("%(name)s is now %(role)s.")
        % {"name": membership.user.get_username(), "role": Role(form.cleaned_data["role"]).label},
    )
    return redirect("accounts:members", org_slug=org.slug)


@require_POST
@org_view(Role.OWNER)
def member_remove(request: OrgRequest, membership_id: int) -> HttpResponse:
    org = request.org
    membership = get_object_or_404(Membership, organisation=org, pk=membership_id)
    try:
        services.member_remove(organisation=org, membership_id=membership.pk)
    except ValidationError as error:
        return _members_page(
            request, row_errors={membership.pk: " ".join(error.messages)}, status=400
        )
    messages.success(request, _("%(name)s was removed.") % {"name": membership.user.get_username()})
    if membership.user_id == request.user.pk:
        return redirect("accounts:home")
    return redirect("accounts:members", org_slug=org.slug)


def _invitations_page(request: OrgRequest, form: InvitationForm | None = None) -> HttpResponse:
    role = request.membership.role
    return render_settings(
        request,
        "accounts/settings/invitations.html",
        "invitations",
        form=form or InvitationForm(inviter_role=role),
        invitations=selectors.invitation_pending_list(organisation=request.org),
        manageable_roles=services.invitation_roles(inviter_role=role),
        now=timezone.now(),
    )


@org_view(Role.MANAGER)
def invitations(request: OrgRequest) -> HttpResponse:
    """Invite someone by e-mail (owners to any role, managers up to manager); the pending
    invitations, to withdraw or send again."""
    org = request.org
    if request.method != "POST":
        return _invitations_page(request)
    form = InvitationForm(request.POST, inviter_role=request.membership.role)
    if form.is_valid():
        try:
            invitation, _raw = services.invitation_create(
                organisation=org,
                invited_by=request.user,
                inviter_role=request.membership.role,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitations", org_slug=org.slug)
    response = _invitations_page(request, form)
    response.status_code = 400
    return response


def _invitation_change(request: OrgRequest, invitation_id: int, *, resend: bool) -> HttpResponse:
    org = request.org
    change = services.invitation_resend if resend else services.invitation_revoke
    try:
        result = change(
            organisation=org, invitation_id=invitation_id, inviter_role=request.membership.role
        )
    except Invitation.DoesNotExist as missing:
        raise Http404 from missing
    except ValidationError as error:
        raise PermissionDenied from error
    invitation = result[0] if isinstance(result, tuple) else result
    if resend:
        messages.success(
            request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
        )
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return redirect("accounts:invitations", org_slug=org.slug)


@require_POST
@org_view(Role.MANAGER)
def invitation_revoke(request: OrgRequest, invitation_id: int) -> HttpResponse:
    return _invitation_change(request, invitation_id, resend=False)


@require_POST
@org_view(Role.MANAGER)
def invitation_resend(request: OrgRequest, invitation_id: int) -> HttpResponse:
    return _invitation_change(request, invitation_id, resend=True)


@org_view(Role.OWNER)
def tokens(request: OrgRequest) -> HttpResponse:
    org = request.org
    raw_token = None
    new_token = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                new_token, raw_token = services.api_token_create(
                    organisation=org,
                    created_by=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    response = render_settings(
        request,
        "accounts/settings/tokens.html",
        "tokens",
        form=form,
        tokens=selectors.api_token_list(organisation=org),
        raw_token=raw_token,
        new_token=new_token,
    )
    if raw_token:
        # The raw key is on this page only: never cache it anywhere.
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@org_view(Role.OWNER)
def token_revoke(request: OrgRequest, token_id: int) -> HttpResponse:
    org = request.org
    get_object_or_404(selectors.api_token_list(organisation=org), pk=token_id)
    token = services.api_token_revoke(organisation=org, token_id=token_id)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens", org_slug=org.slug)


@login_required
def profile(request: SignedInRequest) -> HttpResponse:
    """The user's own language and calendar; empty means 'as the organisation'."""
    current = profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.profile_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your preferences were saved."))
            response = redirect("accounts:profile")
            # The language cookie wins over the profile, so keep the two in step.
            if form.cleaned_data["language"]:
                response.set_cookie(
                    LANGUAGE_COOKIE,
                    form.cleaned_data["language"],
                    max_age=365 * 86400,
                    samesite="Lax",
                )
            else:
                response.delete_cookie(LANGUAGE_COOKIE, samesite="Lax")
            return response
    else:
        form = ProfileForm(
            initial={
                "language": current.language,
                "calendar": current.calendar,
                "email": request.user.email,
            }
        )
    return render(request, "accounts/profile.html", {"form": form})
