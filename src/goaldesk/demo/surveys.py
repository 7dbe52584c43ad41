"""Customer surveys of a demo organisation: the ready CSAT survey with an NPS question added,
rules (e-mail and chat, resolved only, two hours after resolution, a reminder after three days),
four weeks of invitations (links for chat, e-mails for e-mail contacts), about two in five
answered with a comment now and then, and the last days' e-mails written to the demo's mailbox.

Answers go through `feedback.survey_services`, so they land in the interactions' CSAT and NPS
like any real answer (an interaction with an imported CSAT keeps that score as its answer, so
the dashboard's figures hardly move). Deterministic: seeded by `seed` and the slug.
"""

import datetime as dt
import os
import random

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

from goaldesk.accounts.models import Organisation
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import QuestionKind, SurveyInvitation
from goaldesk.feedback.survey_selectors import (
    addressee,
    latest_version,
    survey_for_invitations,
)
from goaldesk.interactions.models import Interaction

DAYS = 28
PER_DAY = 9
ANSWER_SHARE = 0.42
#: How many of the last days' invitations go by e-mail (written to the mailbox).
EMAILS = 6

COMMENTS = {
    "en": {
        "low": [
            "I had to explain my problem three times.",
            "Nobody called me back as promised.",
            "Still not fixed after two days.",
        ],
        "mid": ["It worked out in the end, but it took long.", "OK, a bit slow."],
        "high": [
            "Quick and friendly, thank you!",
            "Solved on the first call, great.",
            "Very patient and clear.",
            "",
        ],
    },
    "fa": {
        "low": [
            "سه بار مشکلم را توضیح دادم.",
            "همان‌طور که قول داده بودند با من تماس نگرفتند.",
            "بعد از دو روز هنوز درست نشده.",
        ],
        "mid": ["آخرش درست شد، ولی طول کشید.", "خوب بود، کمی کند."],
        "high": ["سریع و مهربان، ممنون!", "در همان تماس اول حل شد.", "بسیار صبور و روشن.", ""],
    },
}


def _mail_connection():
    """The demo's mailbox (<data dir>/mail, as .eml files) unless mail is configured."""
    if not os.environ.get("GOALDESK_EMAIL_URL") and settings.EMAIL_BACKEND.endswith(
        "console.EmailBackend"
    ):
        return get_connection(
            "goaldesk.core.mail_backends.EmlFileBackend", file_path=str(settings.DATA_DIR / "mail")
        )
    return None


def surveys_demo_build(*, organisation: Organisation, today: dt.date, seed: int = 7) -> int:
    """Build the organisation's surveys; returns the number of invitations made."""
    rng = random.Random(f"{seed}:{organisation.slug}:surveys")
    language = "fa" if organisation.language == "fa" else "en"
    survey = survey_for_invitations(organisation)
    if survey is None:  # every organisation gets one when it is created; just in case
        survey = services.survey_default_create(organisation=organisation)
    nps_text = {
        "en": "How likely are you to recommend us to a friend?",
        "fa": "چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟",
        "de": "Wie wahrscheinlich empfehlen Sie uns weiter?",
        "ar": "ما مدى احتمال أن توصي بنا لصديق؟",
    }
    services.survey_update(
        survey=survey,
        name=survey.name,
        questions=[
            services.QuestionData(QuestionKind.CSAT, {}, [], required=True),
            services.QuestionData(QuestionKind.NPS, nps_text, []),
            services.QuestionData(QuestionKind.TEXT, {}, []),
        ],
    )
    services.rules_save(
        organisation=organisation,
        values={
            "survey": survey,
            "channels": ["email", "chat", "phone"],
            "resolved_only": True,
            "once_per_customer_days": 30,
            "delay_hours": 2,
            "reminder_days": 3,
            "low_score_notify": False,  # no burst of notifications while building
        },
    )
    rules = services.selectors.rules_for(organisation)
    version = latest_version(survey)
    assert version is not None  # noqa: S101 - the survey was just made with its questions
    questions = {q.kind: str(q.pk) for q in version.questions.all()}
    tz = organisation.tzinfo
    made = emails = 0
    connection = _mail_connection()
    for offset in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=offset)
        candidates = list(
            Interaction.objects.filter(
                organisation=organisation,
                local_date=day,
                status="resolved",
                channel__in=["email", "chat", "phone"],
                resolved_at__isnull=False,
            )
            .exclude(customer_id="")
            .order_by("pk")[:400]
        )
        rng.shuffle(candidates)
        for interaction in candidates[:PER_DAY]:
            resolved = interaction.resolved_at
            assert resolved is not None  # noqa: S101 - filtered above
            moment = max(resolved, dt.datetime.combine(day, dt.time(9), tzinfo=tz)) + dt.timedelta(
                hours=2
            )
            by_email = interaction.channel == "email" and offset <= 5 and emails < EMAILS
            try:
                result = services.invitation_create(
                    organisation=organisation,
                    interaction=interaction,
                    delivery=(
                        SurveyInvitation.Delivery.EMAIL
                        if by_email
                        else SurveyInvitation.Delivery.LINK
                    ),
                    email=(
                        addressee(interaction).email
                        or f"{interaction.customer_id}@customers.example"
                        if by_email
                        else ""
                    ),
                    language=language,
                    now=moment,
                    rules=rules,
                    connection=connection,
                )
            except services.ValidationError:
                continue
            made += 1
            invitation = result.invitation
            if by_email:
                emails += 1
                services.invitations_send_due(
                    organisation=organisation, now=moment, connection=connection
                )
                invitation.refresh_from_db()
            if rng.random() >= ANSWER_SHARE:
                continue
            csat = interaction.csat or rng.choices([1, 2, 3, 4, 5], [6, 6, 10, 30, 48])[0]
            nps = max(0, min(10, 2 * csat + rng.choice([-1, 0, 0, 1]) - (1 if csat < 3 else 0)))
            band = "low" if csat <= 2 else "mid" if csat == 3 else "high"
            answers: dict[str, int | str] = {
                questions[QuestionKind.CSAT]: csat,
                questions[QuestionKind.NPS]: nps,
            }
            if rng.random() < 0.6:
                comment = rng.choice(COMMENTS[language][band])
                if comment:
                    answers[questions[QuestionKind.TEXT]] = comment
            answered = moment + dt.timedelta(hours=rng.randint(1, 30))
            services.response_submit(
                invitation=invitation,
                answers=answers,
                language=language,
                now=min(answered, timezone.now()),
            )
    services.rules_save(organisation=organisation, values={"low_score_notify": True})
    return made
