"""Forms of the account and organisation-settings pages.

Number, time and date fields accept Persian (۱۲۳) and Arabic-Indic (١٢٣) digits.
"""

import datetime as dt
import os
import zoneinfo
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.dates import WEEKDAYS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import ROLE_RANK, Calendar, Organisation, Role, Weekday
from goaldesk.accounts.services import (
    TOKEN_ROLES,
    business_hours_problems,
    default_week_start,
    default_weekend,
    password_reset_email_send,
)
from goaldesk.core.display import digits
from goaldesk.core.forms import LocalDateField, LocalIntegerField, LocalTimeField

#: ISO weekday (1 = Monday … 7 = Sunday) → the weekday's name in the reader's language.
WEEKDAY_CHOICES = [(iso, WEEKDAYS[iso - 1]) for iso in range(1, 8)]


def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone, without the 'posix/' and 'right/' duplicates some systems ship."""
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if not name.startswith(("posix/", "right/")) and name not in {"localtime", "Factory"}
    )
    return [(name, name) for name in names]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class OrganisationSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        # Time-zone names are identifiers (Asia/Tehran): left to right, in any page.
        widget=forms.Select(attrs={"class": "code", "dir": "ltr"}),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a known time zone. Pick one from the list, for example "
                "Asia/Tehran or Europe/Berlin."
            )
        },
        help_text=_("Days, business hours and reports follow this time zone."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    calendar = forms.ChoiceField(label=_("Display calendar"), choices=Calendar.choices)
    week_start = forms.TypedChoiceField(
        label=_("First day of the week"),
        choices=Weekday.choices,
        coerce=int,
        help_text=_("Weeks in periods, charts and date pickers start on this day."),
    )
    arabic_indic_digits = forms.BooleanField(
        label=_("Arabic-Indic digits in Arabic"),
        required=False,
        help_text=_(
            "Pages in Arabic write numbers with Arabic-Indic digits (٠١٢٣) instead of Western ones."
        ),
    )
    weekend_days = forms.TypedMultipleChoiceField(
        label=_("Weekend days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Closed whatever the business hours say."),
    )
    answer_target_seconds = LocalIntegerField(
        label=_("Answer-time target (seconds)"),
        min_value=1,
        max_value=3600,
        help_text=_(
            "A live contact answered within this many seconds counts towards the service level."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["timezone"]).choices = timezone_choices()

    @classmethod
    def initial_for(cls, org: Organisation) -> dict[str, Any]:
        return {
            "name": org.name,
            "timezone": org.timezone,
            "language": org.language,
            "calendar": org.calendar,
            "week_start": org.week_start,
            "arabic_indic_digits": org.arabic_indic_digits,
            "weekend_days": list(org.weekend_days or []),
            "answer_target_seconds": org.answer_target_seconds,
        }


class OrganisationCreateForm(OrganisationSettingsForm):
    """A new organisation: the settings of Settings → General, and its short name."""

    slug = forms.SlugField(
        label=_("Short name"),
        max_length=50,
        required=False,
        # A slug is part of addresses (/o/acme/): left to right, in any page.
        widget=forms.TextInput(attrs={"class": "code", "dir": "ltr"}),
        help_text=_(
            "Part of the organisation's addresses (/o/short-name/): lower-case letters, digits "
            "and hyphens. Left empty, it is made from the name."
        ),
    )
    field_order = ["name", "slug"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # organisation_form.js fills the short name in from the name as it is typed.
        self.fields["slug"].widget.attrs["data-slug-from"] = self["name"].auto_id

    @classmethod
    def initial_for_new(cls, *, language: str) -> dict[str, Any]:
        """What a new organisation starts with: the server's time zone and its usual weekend
        and first weekday, the visitor's language and that language's usual calendar."""
        timezone = server_timezone()
        return {
            "timezone": timezone,
            "language": language,
            "calendar": Calendar.JALALI if language == "fa" else Calendar.GREGORIAN,
            "week_start": default_week_start(timezone),
            "weekend_days": default_weekend(timezone),
            "answer_target_seconds": Organisation._meta.get_field(
                "answer_target_seconds"
            ).get_default(),
        }


def server_timezone() -> str:
    """The time zone of the machine GoalDesk runs on (TZ, else /etc/localtime), else the
    settings' TIME_ZONE: the likeliest zone of a new organisation."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    candidates.append(settings.TIME_ZONE)
    known = zoneinfo.available_timezones()
    return next((name for name in candidates if name in known), "UTC")


#: Opening hours a new organisation's form starts with on each working day.
NEW_ORGANISATION_HOURS = (dt.time(9), dt.time(17))


def new_business_hours_initial(weekend_days: list[int]) -> list[dict[str, Any]]:
    """One 09:00–17:00 span on each day that is not a weekend day, Monday first."""
    opens, closes = NEW_ORGANISATION_HOURS
    return [
        {"weekday": day, "opens": opens, "closes": closes}
        for day in range(1, 8)
        if day not in weekend_days
    ]


class BusinessHoursSpanForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=[("", "—"), *WEEKDAY_CHOICES], coerce=int
    )
    opens = LocalTimeField(label=_("Opens"))
    closes = LocalTimeField(label=_("Closes"))


class BaseBusinessHoursFormSet(forms.BaseFormSet):
    def spans(self) -> list[tuple[int, dt.time, dt.time]]:
        """The filled-in spans that are not marked for deletion, in form order."""
        return [
            (f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"])
            for f in self._filled_forms()
        ]

    def _filled_forms(self) -> list[forms.Form]:
        return [
            f
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and {"weekday", "opens", "closes"} <= f.cleaned_data.keys()
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = self._filled_forms()
        problems = business_hours_problems(self.spans())
        for index, message in problems.items():
            filled[index].add_error("closes", message)
        if problems:
            raise forms.ValidationError(_("Some opening spans need fixing; see the marked rows."))


BusinessHoursFormSet = forms.formset_factory(
    BusinessHoursSpanForm, formset=BaseBusinessHoursFormSet, extra=3, can_delete=True
)


class HolidayForm(forms.Form):
    date = LocalDateField(label=_("Date"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


ROLE_CHOICES = Role.choices


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Role.AGENT)


class OwnerForm(forms.Form):
    """A new user: user name, e-mail, and the password twice (the validators run in the service)."""

    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password1")
            and data.get("password2")
            and (data["password1"] != data["password2"])
        ):
            self.add_error("password2", _("The two passwords differ."))
        return data


class FirstRunOwnerForm(OwnerForm):
    """The first user of an installation: the password rules are shown beside the password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_text_html()
        # Django's own list of the rules; only its digits change (۸ in Persian), so it stays HTML.
        self.fields["password1"].help_text = mark_safe(digits(rules))  # noqa: S308


class MemberCreateForm(OwnerForm):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Role.AGENT)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What uses it, e.g. “Helpdesk sync”.")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in TOKEN_ROLES],
        initial=Role.VIEWER,
        help_text=_("Viewer tokens can only read; manager tokens can also send data."),
    )


class ProfileForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As the organisation")), *settings.LANGUAGES],
        required=False,
    )
    calendar = forms.ChoiceField(
        label=_("Calendar"),
        choices=[("", _("As the organisation")), *Calendar.choices],
        required=False,
    )
    #: Where notifications and digests are sent; empty: nothing is sent by e-mail.
    email = forms.EmailField(label=_("E-mail"), required=False)


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Django's reset form; its e-mail is written in the user's language and calendar."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        password_reset_email_send(
            user=context["user"], uidb64=context["uid"], token=context["token"]
        )


class PasswordSetForm(auth_forms.SetPasswordForm):
    """Django's new-password form, with the password rules in the reader's digits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_text_html()
        self.fields["new_password1"].help_text = mark_safe(digits(rules))  # noqa: S308


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Role.AGENT)

    def __init__(self, *args: Any, inviter_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Nobody invites to a role above their own: a manager invites up to manager.
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (value, label)
            for value, label in ROLE_CHOICES
            if ROLE_RANK[Role(value)] <= ROLE_RANK[Role(inviter_role)]
        ]


class InvitationSignUpForm(OwnerForm):
    """A new account for whoever opened an invitation: the e-mail is the invitation's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["email"]
        rules = password_validation.password_validators_help_text_html()
        self.fields["password1"].help_text = mark_safe(digits(rules))  # noqa: S308
