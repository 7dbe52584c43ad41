"""Organisations, their members and roles, their settings, and API tokens."""

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from goaldesk.core.display import CALENDAR_LABELS
from goaldesk.engine import GREGORIAN, HIJRI, JALALI


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    AGENT = "agent", _("Agent")
    VIEWER = "viewer", _("Viewer")


#: A role may do what every role below it may do.
ROLE_RANK = {Role.VIEWER: 0, Role.AGENT: 1, Role.MANAGER: 2, Role.OWNER: 3}


class Calendar(models.TextChoices):
    GREGORIAN = GREGORIAN, CALENDAR_LABELS[GREGORIAN]
    JALALI = JALALI, CALENDAR_LABELS[JALALI]
    HIJRI = HIJRI, CALENDAR_LABELS[HIJRI]


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True, max_length=60)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    calendar = models.CharField(
        _("display calendar"), max_length=16, choices=Calendar.choices, default=Calendar.GREGORIAN
    )
    week_start = models.PositiveSmallIntegerField(
        _("first day of the week"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text=_("Weeks in periods, charts and date pickers start on this day."),
    )
    arabic_indic_digits = models.BooleanField(
        _("Arabic-Indic digits in Arabic"),
        default=False,
        help_text=_(
            "Pages in Arabic write numbers with Arabic-Indic digits (٠١٢٣) instead of Western ones."
        ),
    )
    #: ISO weekdays (1 = Monday … 7 = Sunday) the organisation does not work.
    weekend_days = models.JSONField(_("weekend days"), default=list, blank=True)
    answer_target_seconds = models.PositiveIntegerField(
        _("answer-time target (seconds)"),
        default=20,
        help_text=_(
            "A live contact answered within this many seconds counts towards the service level."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class BusinessHours(models.Model):
    """One opening span on one weekday; a day may have several (09:00–13:00 and 14:00–18:00)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="business_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), help_text=_("ISO weekday: 1 = Monday … 7 = Sunday")
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Holiday(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="holiday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    def allows(self, role: str) -> bool:
        """Whether this member's role is `role` or above."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


class Profile(models.Model):
    """A user's own preferences; empty means 'as the organisation'."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    calendar = models.CharField(_("calendar"), max_length=16, choices=Calendar.choices, blank=True)
    last_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A per-organisation key for the REST API; only its hash is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MANAGER)
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return "gd_" + secrets.token_urlsafe(32)


class ApiTokenFailure(models.Model):
    """Bad API tokens sent from one client address in the current counting window."""

    ip_address = models.CharField(max_length=64, unique=True)
    window_started_at = models.DateTimeField(db_index=True)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.ip_address}: {self.failures} since {self.window_started_at:%Y-%m-%d %H:%M}"


def today_in(org: Organisation) -> dt.date:
    """Today's date in the organisation's time zone."""
    return dt.datetime.now(tz=org.tzinfo).date()


#: How long an invitation link works.
INVITATION_VALID_FOR = dt.timedelta(days=7)


class Invitation(models.Model):
    """An invitation to join `organisation` with `role`, sent by e-mail; only the hash of the
    link's random token is stored (as for API tokens)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AGENT)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)
