"""Writes of surveys: designs (a new version once answered), rules, invitations (by e-mail or
as links), reminders, and the one answer of an invitation, written into its interaction."""

import datetime as dt
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi, override
from django.utils.translation import gettext as _

from goaldesk.accounts.access import reading_as
from goaldesk.accounts.mail import absolute
from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Interaction, Status
from goaldesk.interactions.services import interaction_update

from . import survey_selectors as selectors
from .models import (
    INTERACTION_FIELDS,
    SCALES,
    QuestionKind,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRules,
    SurveyVersion,
)

logger = logging.getLogger(__name__)


class SurveyAnswered(Exception):
    """The invitation was answered already."""


# --- designs ----------------------------------------------------------------------------------


@dataclass
class QuestionData:
    kind: str
    texts: dict[str, str]
    options: list[dict[str, str]]
    required: bool = False


def _question_rows(questions: Sequence[QuestionData]) -> list[tuple[Any, ...]]:
    """The questions as they are stored, to compare a design with its latest version."""
    return [
        (
            q.kind,
            {k: v.strip() for k, v in q.texts.items() if v and v.strip()},
            q.options,
            q.required,
        )
        for q in questions
    ]


def _questions_create(version: SurveyVersion, questions: Sequence[QuestionData]) -> None:
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            version=version, position=i, kind=kind, texts=texts, options=options, required=required
        )
        for i, (kind, texts, options, required) in enumerate(_question_rows(questions))
    )


def _checked(questions: Sequence[QuestionData]) -> list[QuestionData]:
    if not questions:
        raise ValidationError({"questions": _("A survey needs at least one question.")})
    for i, q in enumerate(questions, start=1):
        if q.kind not in QuestionKind.values:
            raise ValidationError({"questions": _("Question %(n)s: unknown kind.") % {"n": i}})
        if q.kind == QuestionKind.CHOICE and len(q.options) < 2:
            raise ValidationError(
                {
                    "questions": _("Question %(n)s: a single choice needs two options or more.")
                    % {"n": i}
                }
            )
        if q.kind in (QuestionKind.RATING, QuestionKind.CHOICE) and not any(q.texts.values()):
            raise ValidationError(
                {
                    "questions": _("Question %(n)s: write the question in one language at least.")
                    % {"n": i}
                }
            )
    kinds = [q.kind for q in questions]
    for kind in INTERACTION_FIELDS:
        if kinds.count(kind) > 1:
            raise ValidationError(
                {"questions": _("A survey may ask each of CSAT, NPS and CES once.")}
            )
    return list(questions)


@transaction.atomic
def survey_create(
    *,
    organisation: Organisation,
    name: str,
    questions: Sequence[QuestionData],
    is_default: bool = False,
) -> Survey:
    questions = _checked(questions)
    survey = Survey.objects.create(
        organisation=organisation, name=name.strip()[:120] or "Survey", is_default=is_default
    )
    _questions_create(SurveyVersion.objects.create(survey=survey, number=1), questions)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, name: str, questions: Sequence[QuestionData]) -> SurveyVersion:
    """Rename and change the questions. A version that has answers (or invitations waiting) is
    kept as it was: a change of its questions becomes the next version, which new invitations
    use (the same questions saved again make none)."""
    questions = _checked(questions)
    survey.name = name.strip()[:120] or survey.name
    survey.save(update_fields=["name"])
    version = selectors.latest_version(survey)
    if version is not None and _question_rows(questions) == [
        (q.kind, q.texts, q.options, q.required) for q in version.questions.order_by("position")
    ]:
        return version  # only the name changed, or nothing: no new version
    in_use = version is not None and (
        SurveyResponse.objects.filter(version=version).exists()
        or SurveyInvitation.objects.filter(version=version).exists()
    )
    if version is None or in_use:
        number = version.number + 1 if version else 1
        version = SurveyVersion.objects.create(survey=survey, number=number)
    else:
        version.questions.all().delete()
    _questions_create(version, questions)
    return version


def survey_default_create(*, organisation: Organisation) -> Survey:
    """The ready CSAT survey of a new organisation: the 1–5 question and a comment. Their texts
    are left to the built-in wording, shown in each respondent's language (an organisation may
    write its own in the design page)."""
    with override(organisation.language):
        name = _("Customer satisfaction")
    return survey_create(
        organisation=organisation,
        name=name,
        is_default=True,
        questions=[
            QuestionData(QuestionKind.CSAT, {}, [], required=True),
            QuestionData(QuestionKind.TEXT, {}, []),
        ],
    )


def organisation_created(
    sender: Any, instance: Organisation, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Organisation (connected in FeedbackConfig.ready): a new organisation gets
    its CSAT survey, so invitations work on day one."""
    if created and not raw:
        survey_default_create(organisation=instance)


@transaction.atomic
def rules_save(*, organisation: Organisation, values: Mapping[str, Any]) -> SurveyRules:
    rules = selectors.rules_for(organisation)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()
    return rules


# --- invitations ------------------------------------------------------------------------------


Segments = tuple[set[str] | None, set[str]]


def refusal(
    *,
    rules: SurveyRules,
    interaction: Interaction,
    now: dt.datetime,
    segments: Segments | None = None,
) -> str | None:
    """Why the rules give `interaction` no invitation (a translated sentence), or None.
    `segments`: the rules' `selectors.segment_keys`, when the caller checks many."""
    included, excluded = segments or selectors.segment_keys(rules)
    key = interaction.customer_id or ""
    if included is not None and key not in included:
        return _("The rules invite only customers of the segments chosen.")
    if key in excluded:
        return _("The rules leave out the customers of this segment.")
    if SurveyInvitation.objects.filter(interaction=interaction).exists():
        return _("This interaction has an invitation already.")
    if rules.channels and interaction.channel not in rules.channels:
        return _("The rules do not invite customers of this channel.")
    if rules.resolved_only and interaction.status != Status.RESOLVED:
        return _("The rules invite only about resolved interactions.")
    if interaction.customer_id and rules.once_per_customer_days:
        since = now - dt.timedelta(days=rules.once_per_customer_days)
        if SurveyInvitation.objects.filter(
            organisation=interaction.organisation,
            customer_id=interaction.customer_id,
            created_at__gte=since,
        ).exists():
            return _("This customer was invited in the last %(days)s days.") % {
                "days": rules.once_per_customer_days
            }
    return None


@dataclass
class Made:
    invitation: SurveyInvitation
    url: str


def survey_url(invitation: SurveyInvitation) -> str:
    """The full address of the invitation's page."""
    return absolute(reverse("survey", args=[selectors.token_for(invitation.nonce)]))


def _new_nonce() -> str:
    return secrets.token_hex(16)  # 128 bits


def invitation_create(
    *,
    organisation: Organisation,
    interaction: Interaction,
    delivery: str,
    email: str = "",
    language: str = "",
    now: dt.datetime | None = None,
    rules: SurveyRules | None = None,
    segments: Segments | None = None,
    connection: Any = None,
) -> Made:
    """Invite the customer of `interaction` (the rules checked: ValidationError says why not).

    A link (`delivery="link"`) is sent when made: the organisation passes it on through its own
    SMS or chat tool. An e-mail goes to `email` (else the customer's address:
    `selectors.addressee`), in `language` (else the customer's), once the rules' delay after resolution has passed (the worker's clock
    sends it; at once when it has passed already). The agent credited is the interaction's
    agent now."""
    now = now or timezone.now()
    rules = rules or selectors.rules_for(organisation)
    problem = refusal(rules=rules, interaction=interaction, now=now, segments=segments)
    if problem:
        raise ValidationError(problem)
    survey = rules.survey if rules.survey_id else selectors.survey_for_invitations(organisation)
    version = selectors.latest_version(survey) if survey else None
    if version is None:
        raise ValidationError(_("There is no survey to send."))
    customer = selectors.addressee(interaction)
    if delivery == SurveyInvitation.Delivery.EMAIL:
        email = (email or customer.email).strip()
        if not email:
            raise ValidationError(_("No e-mail address is known for this customer."))
    language = language if language in dict(settings.LANGUAGES) else customer.language
    nonce = _new_nonce()
    invitation = SurveyInvitation(
        organisation=organisation,
        version=version,
        interaction=interaction,
        agent_id=interaction.agent_id,
        customer_id=interaction.customer_id,
        delivery=delivery,
        email=email if delivery == SurveyInvitation.Delivery.EMAIL else email[:254],
        language=language,
        nonce=nonce,
        token_hash=selectors.token_hash(selectors.token_for(nonce)),
        created_at=now,
    )
    try:
        with transaction.atomic():
            if delivery == SurveyInvitation.Delivery.LINK:
                _mark_sent(invitation, now, rules)
                invitation.save()
            else:
                due = (interaction.resolved_at or now) + dt.timedelta(hours=rules.delay_hours)
                invitation.send_after = max(due, now)
                invitation.save()
                if invitation.send_after <= now:
                    transaction.on_commit(
                        lambda: invitations_send_due(
                            organisation=organisation, now=now, connection=connection
                        )
                    )
    except IntegrityError as error:  # another process invited for it in the meantime
        raise ValidationError(_("This interaction has an invitation already.")) from error
    return Made(invitation, survey_url(invitation))


def _mark_sent(invitation: SurveyInvitation, now: dt.datetime, rules: SurveyRules) -> None:
    invitation.sent_at = now
    invitation.sent_on = timezone.localtime(now, invitation.organisation.tzinfo).date()
    invitation.expires_at = now + dt.timedelta(days=rules.expiry_days or 30)


def invitations_for_period(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    delivery: str,
    now: dt.datetime | None = None,
) -> tuple[list[Made], int]:
    """Invite for every interaction of the days date_from..date_to the rules allow. Returns
    the invitations made and how many interactions the rules (or a missing address) left out."""
    now = now or timezone.now()
    rules = selectors.rules_for(organisation)
    segments = selectors.segment_keys(rules)
    made: list[Made] = []
    skipped = 0
    interactions = Interaction.objects.filter(
        organisation=organisation, local_date__range=(date_from, date_to)
    ).order_by("created_at", "pk")
    for interaction in interactions:
        try:
            made.append(
                invitation_create(
                    organisation=organisation,
                    interaction=interaction,
                    delivery=delivery,
                    now=now,
                    rules=rules,
                    segments=segments,
                )
            )
        except ValidationError:
            skipped += 1
    return made, skipped


def _email(invitation: SurveyInvitation, *, reminder: bool) -> EmailMultiAlternatives:
    organisation = invitation.organisation
    with reading_as(None, organisation), override(invitation.language):
        context = {
            "organisation": organisation,
            "url": survey_url(invitation),
            "reminder": reminder,
            "expires_at": invitation.expires_at,
            "language": invitation.language,
            "direction": "rtl" if get_language_bidi() else "ltr",
        }
        subject = (
            _("Reminder: how did %(organisation)s do?")
            if reminder
            else _("How did %(organisation)s do?")
        ) % {"organisation": organisation.name}
        text = render_to_string("feedback/email/survey_invitation.txt", context)
        html = render_to_string("feedback/email/survey_invitation.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        headers={"Content-Language": invitation.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def invitations_send_due(
    *,
    organisation: Organisation | None = None,
    now: dt.datetime | None = None,
    connection: Any = None,
) -> int:
    """Send the e-mail invitations whose delay has passed and the reminders that are due (one
    per invitation, `reminder_days` after it was sent, while unanswered and unexpired). Each is
    claimed in the database first, so two workers never send one twice. Returns how many
    e-mails went out."""
    now = now or timezone.now()
    due = SurveyInvitation.objects.filter(
        delivery=SurveyInvitation.Delivery.EMAIL, sent_at__isnull=True, send_after__lte=now
    ).select_related("organisation")
    if organisation is not None:
        due = due.filter(organisation=organisation)
    messages = []
    rules_cache: dict[int, SurveyRules] = {}

    def rules_of(org: Organisation) -> SurveyRules:
        if org.pk not in rules_cache:
            rules_cache[org.pk] = selectors.rules_for(org)
        return rules_cache[org.pk]

    for invitation in due:
        _mark_sent(invitation, now, rules_of(invitation.organisation))
        claimed = SurveyInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
            sent_at=invitation.sent_at,
            sent_on=invitation.sent_on,
            expires_at=invitation.expires_at,
        )
        if claimed:
            messages.append(_email(invitation, reminder=False))
    reminders = SurveyInvitation.objects.filter(
        delivery=SurveyInvitation.Delivery.EMAIL,
        sent_at__isnull=False,
        answered_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
    ).select_related("organisation")
    if organisation is not None:
        reminders = reminders.filter(organisation=organisation)
    for invitation in reminders:
        days = rules_of(invitation.organisation).reminder_days
        if (
            not days
            or invitation.sent_at is None
            or invitation.sent_at > now - dt.timedelta(days=days)
        ):
            continue
        if SurveyInvitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            messages.append(_email(invitation, reminder=True))
    if not messages:
        return 0
    with connection or get_connection() as open_connection:
        return open_connection.send_messages(messages) or 0


def invitations_automatic(*, now: dt.datetime | None = None) -> int:
    """For each organisation whose rules invite automatically: an e-mail invitation for each
    interaction resolved in the last two days that the rules allow and whose customer's
    address is known. Returns how many were made."""
    now = now or timezone.now()
    made = 0
    for rules in SurveyRules.objects.filter(automatic=True).select_related("organisation"):
        interactions = Interaction.objects.filter(
            organisation=rules.organisation,
            resolved_at__gte=now - dt.timedelta(days=2),
            resolved_at__lte=now,
            survey_invitations__isnull=True,
        ).order_by("resolved_at", "pk")
        segments = selectors.segment_keys(rules) if interactions.exists() else (None, set())
        for interaction in interactions:
            if not selectors.addressee(interaction).email:
                continue
            try:
                invitation_create(
                    organisation=rules.organisation,
                    interaction=interaction,
                    delivery=SurveyInvitation.Delivery.EMAIL,
                    now=now,
                    rules=rules,
                    segments=segments,
                )
                made += 1
            except ValidationError:
                continue
    return made


def periodic_surveys() -> None:
    """The worker's clock: automatic invitations, then the e-mails and reminders due."""
    invitations_automatic()
    invitations_send_due()


# --- answers ----------------------------------------------------------------------------------


def answers_clean(
    version: SurveyVersion, data: Mapping[str, Any], language: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers of a submitted form (`data`: field "q<id>" → text) checked against the
    version's questions: ({question id: value}, {field: translated problem})."""
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for question in version.questions.all():
        field = f"q{question.pk}"
        raw = str(data.get(field, "") or "").strip()
        if not raw:
            if question.required:
                problems[field] = _("Please answer this question.")
            continue
        if question.kind == QuestionKind.TEXT:
            answers[str(question.pk)] = raw[:5000]
            continue
        try:
            value = int(raw)
        except ValueError:
            problems[field] = _("Please choose one of the answers.")
            continue
        if question.kind == QuestionKind.CHOICE:
            low, high = 0, len(question.options) - 1
        else:
            low, high = SCALES[question.kind]
        if not low <= value <= high:
            problems[field] = _("Please choose one of the answers.")
            continue
        answers[str(question.pk)] = value
    return answers, problems


def response_submit(
    *,
    invitation: SurveyInvitation,
    answers: Mapping[str, Any],
    language: str = "",
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """Record the one answer of `invitation` (SurveyAnswered if it has one) and write its CSAT,
    NPS and CES into the interaction through interactions.services (the answer replaces a value
    the interaction had: docs/metrics.md). A low score (`low_score`) goes to the quality review
    queue and is told to the managers when the rules say so."""
    now = now or timezone.now()
    questions = {str(q.pk): q for q in invitation.version.questions.all()}
    scores = {
        questions[key].kind: value
        for key, value in answers.items()
        if key in questions and questions[key].kind in INTERACTION_FIELDS
    }
    comment = "\n\n".join(
        str(value)
        for key, value in answers.items()
        if key in questions and questions[key].kind == QuestionKind.TEXT
    )
    try:
        with transaction.atomic():
            locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.answered_at is not None:
                raise SurveyAnswered
            response = SurveyResponse.objects.create(
                invitation=locked,
                organisation=locked.organisation,
                version=locked.version,
                language=language or locked.language,
                answers=dict(answers),
                submitted_at=now,
                csat=scores.get(QuestionKind.CSAT),
                nps=scores.get(QuestionKind.NPS),
                ces=scores.get(QuestionKind.CES),
                comment=comment,
            )
            locked.answered_at = now
            locked.save(update_fields=["answered_at"])
            if scores:
                _scores_write(locked.interaction, scores)
            invitation.answered_at = now
    except IntegrityError as error:  # a second answer racing the first
        raise SurveyAnswered from error
    scale = low_score(scores)
    if scale:
        _low_score(invitation, response, scale)
    return response


def low_score(scores: Mapping[str, int | None]) -> str:
    """Which score of an answer is low ("csat": 1–2, "nps": a detractor's 0–6, "ces": an effort
    of 6–7), "" when none is."""
    csat, nps, ces = (scores.get(kind) for kind in INTERACTION_FIELDS)
    if csat is not None and csat <= 2:
        return QuestionKind.CSAT
    if nps is not None and nps <= 6:
        return QuestionKind.NPS
    if ces is not None and ces >= 6:
        return QuestionKind.CES
    return ""


def _scores_write(interaction: Interaction, scores: Mapping[str, int]) -> None:
    try:
        interaction_update(
            interaction=interaction,
            user=None,
            values={kind: str(value) for kind, value in scores.items()},
        )
    except Exception:  # the interaction's other columns no longer pass the import's checks
        # The answer itself is kept (the caller's transaction goes on); only the copy is missing.
        logger.exception("Survey answer of interaction %s not written into it", interaction.pk)


def _low_score(invitation: SurveyInvitation, response: SurveyResponse, scale: str) -> None:
    from goaldesk.coaching.models import QueueItem, QueueReason
    from goaldesk.coaching.quality_services import week_start_of
    from goaldesk.goals.alerts import managers_of
    from goaldesk.notifications.services import notify

    rules = selectors.rules_for(invitation.organisation)
    interaction = invitation.interaction
    if rules.low_score_to_review:
        QueueItem.objects.get_or_create(
            organisation=invitation.organisation,
            interaction=interaction,
            defaults={
                "reason": QueueReason.LOW_CSAT if scale == "csat" else QueueReason.LOW_SURVEY,
                "week": week_start_of(invitation.organisation, interaction.local_date),
            },
        )
    if rules.low_score_notify:
        leads = managers_of(invitation.organisation)
        notify(
            kind="survey_low_score",
            recipients=leads,
            organisation=invitation.organisation,
            params={
                "agent": str(invitation.agent) if invitation.agent else "",
                "score": getattr(response, scale),
                "scale": scale,
                "day": interaction.local_date.isoformat(),
            },
            url=reverse("interactions:detail", args=[invitation.organisation.slug, interaction.pk]),
        )


def invitation_withdraw(*, invitation: SurveyInvitation, now: dt.datetime | None = None) -> bool:
    """Withdraw an unanswered invitation: one still waiting to be e-mailed is never sent (and
    removed); a sent one's link stops working now (it stays counted as sent, as it was).
    False when there was nothing to withdraw (answered, expired or withdrawn already)."""
    now = now or timezone.now()
    waiting = SurveyInvitation.objects.filter(
        pk=invitation.pk, answered_at__isnull=True, sent_at__isnull=True
    )
    if waiting.delete()[0]:
        return True
    return bool(
        SurveyInvitation.objects.filter(
            pk=invitation.pk, answered_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
    )
