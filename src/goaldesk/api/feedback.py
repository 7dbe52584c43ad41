"""/api/v1/orgs/{slug}/surveys: survey invitations (list, make) and answers (read).

Making invitations needs a manager (or owner) token or session, like the invitations page; the
answers (with the customers' comments) are for managers and owners, and for a signed-in agent
only the answers about their own interactions, as on the comments page.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from goaldesk.accounts.models import ROLE_RANK, Membership, Organisation, Role
from goaldesk.api.auth import caller_of, organisation_for
from goaldesk.api.errors import FieldChecks, FieldInvalid
from goaldesk.api.params import parse_date
from goaldesk.api.schemas import DateText, ErrorList, Message
from goaldesk.feedback import survey_selectors as selectors
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import SurveyInvitation, SurveyResponse
from goaldesk.interactions.models import Interaction

router = Router(tags=["surveys"])

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


def _period(date_from: str, date_to: str) -> tuple[dt.date, dt.date]:
    checks = FieldChecks()
    start = checks.take(parse_date, date_from, "from", required=True)
    end = checks.take(parse_date, date_to, "to", required=True)
    if start is not None and end is not None and end < start:
        checks.add(FieldInvalid("to", _("The end date is before the start date.")))
    checks.done()
    return start, end  # type: ignore[return-value]


def _invitation_dict(invitation: SurveyInvitation, url: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": invitation.pk,
        "interaction": invitation.interaction.external_id,
        "customer": invitation.customer_id,
        "agent": invitation.agent.key if invitation.agent else None,
        "delivery": invitation.delivery,
        "language": invitation.language,
        "sent_on": invitation.sent_on.isoformat() if invitation.sent_on else None,
        "expires_at": invitation.expires_at.isoformat() if invitation.expires_at else None,
        "answered_at": invitation.answered_at.isoformat() if invitation.answered_at else None,
    }
    if url is not None:
        found["url"] = url
    return found


@router.get(
    "/v1/orgs/{slug}/surveys/invitations",
    response={200: list[dict[str, Any]], **_ERRORS},
    summary="Survey invitations of a period",
)
def invitations_list(
    request: HttpRequest,
    slug: str,
    date_from: DateText = Query(..., alias="from"),  # noqa: B008 - ninja reads the alias
    date_to: DateText = Query(..., alias="to"),  # noqa: B008 - ninja reads the alias
):
    """The invitations sent (or waiting to be sent) on the days `from`..`to`; no links (a link
    is shown once, when the invitation is made)."""
    organisation = organisation_for(request, slug)
    start, end = _period(date_from, date_to)
    found = selectors.invitations_of(organisation, date_from=start, date_to=end)[:5000]
    return [_invitation_dict(i) for i in found]


class InvitationsIn(Schema):
    interaction: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    delivery: str = "link"
    email: str | None = None
    language: str | None = None


@router.post(
    "/v1/orgs/{slug}/surveys/invitations",
    response={201: dict[str, Any], **_ERRORS},
    summary="Invite customers to the survey",
)
def invitations_create(request: HttpRequest, slug: str, payload: InvitationsIn):
    """Invite for one interaction (`interaction`: its external id; `email` and `language`
    optional) or for every interaction of the days `date_from`..`date_to` the survey rules
    allow. `delivery`: "link" (the answer carries each invitation's `url`, to pass on through
    your own SMS or chat tool) or "email". Answers the invitations made and how many
    interactions the rules left out."""
    organisation = organisation_for(request, slug, write=True)
    checks = FieldChecks()
    if payload.delivery not in SurveyInvitation.Delivery.values:
        checks.add(FieldInvalid("delivery", _("Use “link” or “email”.")))
    if bool(payload.interaction) == bool(payload.date_from or payload.date_to):
        checks.add(
            FieldInvalid(
                "interaction", _("Give either one interaction, or a first and a last day.")
            )
        )
    checks.done()
    skipped = 0
    try:
        if payload.interaction:
            interaction = Interaction.objects.filter(
                organisation=organisation, external_id=payload.interaction
            ).first()
            if interaction is None:
                raise HttpError(
                    404,
                    _("No interaction “%(id)s” in this organisation.")
                    % {"id": payload.interaction},
                )
            made = [
                services.invitation_create(
                    organisation=organisation,
                    interaction=interaction,
                    delivery=payload.delivery,
                    email=payload.email or "",
                    language=payload.language or "",
                )
            ]
        else:
            start, end = _period(payload.date_from or "", payload.date_to or "")
            made, skipped = services.invitations_for_period(
                organisation=organisation, date_from=start, date_to=end, delivery=payload.delivery
            )
    except ValidationError as error:
        raise FieldInvalid("interaction", " ".join(error.messages)) from error
    return Status(
        201,
        {
            "invitations": [_invitation_dict(m.invitation, m.url) for m in made],
            "left_out": skipped,
        },
    )


def _role_and_user(request: HttpRequest, organisation: Organisation) -> tuple[str, Any]:
    caller = caller_of(request)
    if caller.token is not None:
        return caller.token.role, None
    membership = Membership.objects.filter(organisation=organisation, user=caller.user).first()
    return (membership.role if membership else Role.VIEWER), caller.user


@router.get(
    "/v1/orgs/{slug}/surveys/answers",
    response={200: list[dict[str, Any]], **_ERRORS},
    summary="Survey answers of a period",
)
def answers_list(
    request: HttpRequest,
    slug: str,
    date_from: DateText = Query(..., alias="from"),  # noqa: B008 - ninja reads the alias
    date_to: DateText = Query(..., alias="to"),  # noqa: B008 - ninja reads the alias
):
    """The answers given on the days `from`..`to`: CSAT, NPS, CES, the comment, every question's
    answer (by question kind and id) and the interaction and agent credited."""
    organisation = organisation_for(request, slug)
    role, user = _role_and_user(request, organisation)
    if ROLE_RANK[Role(role)] < ROLE_RANK[Role.AGENT] or (role == Role.AGENT and user is None):
        raise HttpError(403, _("Survey answers are for agents (their own), managers and owners."))
    start, end = _period(date_from, date_to)
    tz = organisation.tzinfo
    found = SurveyResponse.objects.filter(
        organisation=organisation,
        submitted_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        submitted_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    ).select_related("invitation__interaction", "invitation__agent", "version")
    if role == Role.AGENT:
        found = found.filter(invitation__agent__user=user)
    kinds = {}
    for response in found[:5000]:
        for q in response.version.questions.all():
            kinds[str(q.pk)] = q.kind
    return [
        {
            "interaction": r.invitation.interaction.external_id,
            "agent": r.invitation.agent.key if r.invitation.agent else None,
            "submitted_at": r.submitted_at.isoformat(),
            "language": r.language,
            "csat": r.csat,
            "nps": r.nps,
            "ces": r.ces,
            "comment": r.comment,
            "answers": [
                {"question": int(key), "kind": kinds.get(key), "value": value}
                for key, value in r.answers.items()
            ],
        }
        for r in found[:5000]
    ]
