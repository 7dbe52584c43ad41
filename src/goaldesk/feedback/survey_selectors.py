"""Reads of surveys: designs and their texts, the rules, invitations by token, the response rate
(the `survey_response_rate` provider) and the comments."""

import datetime as dt
import hashlib
import hmac
from base64 import urlsafe_b64encode
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from goaldesk.accounts.models import Organisation
from goaldesk.customers.models import Customer, Segment
from goaldesk.interactions.models import Interaction
from goaldesk.interactions.segments import segment_members
from goaldesk.interactions.selectors import resolve_filters
from goaldesk.metrics.providers import ProvidedValue, per_period, span

from .models import (
    QuestionKind,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRules,
    SurveyVersion,
)

_TOKEN_SALT = b"goaldesk.feedback.survey-link:"


# --- tokens -----------------------------------------------------------------------------------


def token_for(nonce: str) -> str:
    """The link's token of the invitation with `nonce`: HMAC-SHA256 under SECRET_KEY, 256 bits,
    43 URL-safe characters. Needs the key, so the database alone gives no working link."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), _TOKEN_SALT + nonce.encode(), hashlib.sha256
    ).digest()
    return urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str, *, now: dt.datetime | None = None) -> SurveyInvitation | None:
    """The sent, unexpired invitation whose link carries `token`; None for an unknown, tampered
    or expired one (all look the same: not found)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        SurveyInvitation.objects.select_related("organisation", "version__survey", "interaction")
        .filter(token_hash=token_hash(token), sent_at__isnull=False)
        .first()
    )
    now = now or timezone.now()
    if invitation is None or (invitation.expires_at and invitation.expires_at <= now):
        return None
    return invitation


# --- designs ----------------------------------------------------------------------------------


def default_question_text(kind: str) -> str:
    """The built-in wording of a question kind, in the active language."""
    texts = {
        QuestionKind.CSAT: _("How satisfied are you with the help you received?"),
        QuestionKind.NPS: _("How likely are you to recommend us to a friend or colleague?"),
        QuestionKind.CES: _("How easy was it to get your issue resolved?"),
        QuestionKind.TEXT: _("Anything you would like to tell us?"),
    }
    return str(texts.get(kind, ""))  # type: ignore[call-overload]  # a kind by its value


def question_text(question: SurveyQuestion, language: str) -> str:
    """The question in `language`: its own text there, else the built-in wording of its kind
    in that language, else its text in any language."""
    own = (question.texts or {}).get(language, "").strip()
    if own:
        return own
    with override(language):
        built_in = default_question_text(question.kind)
    if built_in:
        return built_in
    return next((t for t in (question.texts or {}).values() if t and t.strip()), "")


def option_texts(question: SurveyQuestion, language: str) -> list[str]:
    return [
        (o.get(language) or next((t for t in o.values() if t), "")) if isinstance(o, dict) else ""
        for o in question.options or []
    ]


def organisation_languages(organisation: Organisation) -> list[str]:
    """The languages a survey is written in: the organisation's first, then the others."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [organisation.language, *(c for c in codes if c != organisation.language)]


def surveys_of(organisation: Organisation) -> QuerySet[Survey]:
    return Survey.objects.filter(organisation=organisation).order_by("-is_default", "name", "pk")


def latest_version(survey: Survey) -> SurveyVersion | None:
    return survey.versions.order_by("-number").first()


def version_has_answers(version: SurveyVersion) -> bool:
    return SurveyResponse.objects.filter(version=version).exists()


def rules_for(organisation: Organisation) -> SurveyRules:
    """The organisation's rules (unsaved defaults when none were saved)."""
    return SurveyRules.objects.filter(organisation=organisation).first() or SurveyRules(
        organisation=organisation
    )


def survey_for_invitations(organisation: Organisation) -> Survey | None:
    rules = rules_for(organisation)
    if rules.survey_id:
        return rules.survey
    return Survey.objects.filter(organisation=organisation).order_by("-is_default", "pk").first()


# --- e-mail addresses -------------------------------------------------------------------------


@dataclass(frozen=True)
class Addressee:
    """Where and in which language an invitation about an interaction goes."""

    email: str
    language: str


def addressee(interaction: Interaction) -> Addressee:
    """The customer of `interaction` as an invitation needs them: the e-mail address and
    language of their customer record, else their customer key when that is an e-mail address,
    and the organisation's language."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    organisation = interaction.organisation
    key = (interaction.customer_id or "").strip()
    record = Customer.objects.filter(organisation=organisation, key=key).first() if key else None
    email, language = "", ""
    if record is not None:
        email, language = record.email.strip(), record.language.strip().lower()
    for candidate in (email, key):
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        email = candidate
        break
    else:
        email = ""
    codes = dict(settings.LANGUAGES)
    language = language if language in codes else language.split("-")[0]
    return Addressee(email, language if language in codes else organisation.language)


def segment_keys(rules: SurveyRules) -> tuple[set[str] | None, set[str]]:
    """The customer keys the rules' segments include (None: no segment chosen, everyone) and
    exclude. Segments deleted since the rules were saved count for nothing."""

    def keys(ids: Sequence[Any]) -> set[str] | None:
        found = Segment.objects.filter(organisation_id=rules.organisation_id, pk__in=ids or [])
        if not found:
            return None
        members: set[str] = set()
        for segment in found:
            members.update(segment_members(segment=segment).values_list("key", flat=True))
        return members

    return keys(rules.segments_included), keys(rules.segments_excluded) or set()


def customer_answers(
    *, organisation: Organisation, key: str, user: Any, everyone: bool, limit: int = 20
) -> list[SurveyResponse]:
    """The latest answers of the customer with `key` (for the customer page); `everyone`
    false: only those about interactions credited to `user`'s agent records."""
    qs = (
        SurveyResponse.objects.filter(organisation=organisation, invitation__customer_id=key)
        .select_related("invitation__interaction", "invitation__agent")
        .order_by("-submitted_at", "-pk")
    )
    if not everyone:
        qs = qs.filter(invitation__agent__user=user)
    return list(qs[:limit])


# --- the response rate ------------------------------------------------------------------------


def response_rate(
    *,
    organisation: Organisation,
    periods: Sequence[tuple[dt.date, dt.date]],
    filters: Mapping[str, Any],
) -> list[ProvidedValue]:
    """`survey_response_rate`: of the invitations sent on the period's days (the organisation's
    days), the share answered (whenever), in %; filters follow the invitation's interaction."""
    try:
        scope = resolve_filters(organisation=organisation, filters=filters)
    except Exception:  # an unknown team or agent: no value rather than an error here
        return [ProvidedValue(None, 0) for _p in periods]
    invitations = SurveyInvitation.objects.filter(organisation=organisation, sent_on__isnull=False)
    if filters:
        invitations = invitations.filter(
            interaction__in=Interaction.objects.filter(scope, organisation=organisation)
        )
    first, last = span(periods)
    rows = (
        invitations.filter(sent_on__range=(first, last))
        .values("sent_on")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    )
    values = []
    for counts in per_period(periods, {row.pop("sent_on"): row for row in rows}):
        sent = counts.get("sent", 0)
        values.append(
            ProvidedValue(100.0 * counts.get("answered", 0) / sent if sent else None, sent)
        )
    return values


# --- invitations and comments -----------------------------------------------------------------


def invitations_of(
    organisation: Organisation,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SurveyInvitation]:
    qs = SurveyInvitation.objects.filter(organisation=organisation).select_related(
        "interaction", "agent", "response"
    )
    if date_from:
        qs = qs.filter(
            Q(sent_on__gte=date_from) | Q(sent_on__isnull=True, created_at__date__gte=date_from)
        )
    if date_to:
        qs = qs.filter(
            Q(sent_on__lte=date_to) | Q(sent_on__isnull=True, created_at__date__lte=date_to)
        )
    return qs


def comments(
    organisation: Organisation,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    score: str = "",
    agent_id: int | None = None,
    channel: str = "",
    only_user: Any = None,
) -> QuerySet[SurveyResponse]:
    """Answers with a comment, newest first. `score`: "low" (CSAT 1–2), "mid" (3), "high"
    (4–5). `only_user`: only answers about interactions credited to that user's agent records."""
    qs = (
        SurveyResponse.objects.filter(organisation=organisation)
        .exclude(comment="")
        .select_related("invitation__interaction", "invitation__agent")
    )
    tz = organisation.tzinfo
    if date_from:
        start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
        qs = qs.filter(submitted_at__gte=start)
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(submitted_at__lt=end)
    if score == "low":
        qs = qs.filter(csat__lte=2)
    elif score == "mid":
        qs = qs.filter(csat=3)
    elif score == "high":
        qs = qs.filter(csat__gte=4)
    if agent_id:
        qs = qs.filter(invitation__agent_id=agent_id)
    if channel:
        qs = qs.filter(invitation__interaction__channel=channel)
    if only_user is not None:
        qs = qs.filter(invitation__agent__user=only_user)
    return qs
