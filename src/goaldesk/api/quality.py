"""/api/v1/orgs/{slug}/quality/reviews: quality reviews.

Managers and owners (sessions, and manager tokens) read every review and may filter by agent
and by the interactions' days; a signed-in agent reads only the reviews of their own
interactions; viewers (and viewer tokens) read none (403). A review is written through the same
service as the web form: answers by criterion key (points, or null for not applicable); a
criterion that cannot be used answers 422 naming it. A token's reviews are credited to the
member who made the token.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from pydantic import Field, StrictInt, StrictStr

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.api.auth import caller_of, organisation_for
from goaldesk.api.errors import FieldInvalid, FieldsInvalid
from goaldesk.api.params import parse_date
from goaldesk.api.schemas import BodyIn, ErrorList, Message, OptionalDateText
from goaldesk.coaching import quality_selectors as selectors
from goaldesk.coaching import quality_services as services
from goaldesk.coaching.models import QualityReview, RubricVersion
from goaldesk.interactions.models import Interaction
from goaldesk.team.models import Agent

router = Router(tags=["quality"])

_ERRORS = {401: Message, 403: Message, 404: Message, 409: Message, 422: ErrorList}


class ReviewIn(BodyIn):
    interaction: StrictStr = Field(..., min_length=1, description="the interaction's external id")
    rubric: StrictInt | None = Field(
        None, description="a rubric's id; may be left out when one rubric is in use"
    )
    answers: dict[str, StrictInt | None] = Field(
        ..., description="criterion key → points, or null for not applicable"
    )
    notes: dict[str, StrictStr] = Field(default_factory=dict, description="criterion key → note")
    comment: StrictStr = ""


def review_payload(review: QualityReview) -> dict[str, Any]:
    answers = {a.criterion_id: a for a in review.answers.all()}
    return {
        "id": review.pk,
        "interaction": review.interaction.external_id,
        "interaction_day": review.interaction.local_date.isoformat(),
        "agent": review.agent.key if review.agent else None,
        "reviewer": review.reviewer.get_username() if review.reviewer else None,
        "rubric": review.rubric_version.rubric_id,
        "rubric_version": review.rubric_version.number,
        "score": review.score,
        "state": review.state,
        "comment": review.comment,
        "answers": [
            {
                "criterion": c.key,
                "label": c.label,
                "points": answers[c.pk].points if c.pk in answers else None,
                "scale": [c.scale_min, c.scale_max],
                "note": answers[c.pk].comment if c.pk in answers else "",
            }
            for c in selectors.criteria_of(review.rubric_version)
        ],
        "dispute_reason": review.dispute_reason,
        "outcome": review.outcome or None,
        "created_at": review.created_at.isoformat(),
    }


def _reader(request: HttpRequest, slug: str) -> tuple[Organisation, Membership]:
    """The organisation and the caller as a member (a token acts with its own role)."""
    organisation = organisation_for(request, slug)
    caller = caller_of(request)
    if caller.token is not None:
        membership = Membership(organisation=organisation, user=None, role=caller.token.role)
    else:
        found = Membership.objects.filter(organisation=organisation, user=caller.user).first()
        if found is None:  # organisation_for has checked it; kept for the type checker
            raise HttpError(404, _("There is no organisation “%(slug)s” for you.") % {"slug": slug})
        membership = found
    if not membership.allows(Role.AGENT):
        raise HttpError(403, _("Quality reviews are shown to managers and to the agent reviewed."))
    return organisation, membership


def _visible(organisation: Organisation, membership: Membership) -> Any:
    if membership.user_id is None:  # a token: manager tokens read all, others nothing
        qs = QualityReview.objects.filter(organisation=organisation)
        return qs if membership.allows(Role.MANAGER) else qs.none()
    return selectors.reviews_visible(organisation=organisation, membership=membership)


@router.get(
    "/v1/orgs/{slug}/quality/reviews",
    response={200: list[dict[str, Any]], **_ERRORS},
    summary="Quality reviews",
)
def reviews_list(
    request: HttpRequest,
    slug: str,
    agent: str = "",
    date_from: OptionalDateText = Query(None, alias="from"),  # noqa: B008 - ninja reads the alias
    date_to: OptionalDateText = Query(None, alias="to"),  # noqa: B008
):
    """Reviews, newest first (at most 1000): managers see all (`agent`: an agent's key),
    agents their own; `from`/`to` narrow to the interactions' days."""
    organisation, membership = _reader(request, slug)
    first = parse_date(date_from, "from")
    last = parse_date(date_to, "to")
    chosen = None
    if agent:
        chosen = Agent.objects.filter(organisation=organisation, key=agent).first()
        if chosen is None:
            raise FieldInvalid("agent", _("There is no agent with this key."))
    qs = selectors.reviews_filtered(
        _visible(organisation, membership).select_related(
            "interaction", "agent", "reviewer", "rubric_version"
        ),
        agent=chosen,
        date_from=first,
        date_to=last,
    ).prefetch_related("answers", "rubric_version__criteria")
    return [review_payload(review) for review in qs[:1000]]


@router.get(
    "/v1/orgs/{slug}/quality/reviews/{review_id}",
    response={200: dict[str, Any], **_ERRORS},
    summary="One quality review",
)
def review_read(request: HttpRequest, slug: str, review_id: int):
    organisation, membership = _reader(request, slug)
    review = (
        _visible(organisation, membership)
        .select_related("interaction", "agent", "reviewer", "rubric_version")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise HttpError(404, _("There is no review %(id)s here.") % {"id": review_id})
    return review_payload(review)


def _version(organisation: Organisation, rubric_id: int | None) -> RubricVersion:
    versions = selectors.active_versions(organisation=organisation)
    if rubric_id is None:
        if len(versions) == 1:
            return versions[0]
        raise FieldInvalid(
            "rubric",
            _("Name the rubric: there is none in use.")
            if not versions
            else _("Name the rubric: more than one is in use."),
        )
    for version in versions:
        if version.rubric_id == rubric_id:
            return version
    raise FieldInvalid("rubric", _("There is no rubric in use with this id."))


@router.post(
    "/v1/orgs/{slug}/quality/reviews",
    response={201: dict[str, Any], **_ERRORS},
    summary="Review an interaction",
)
def review_create(request: HttpRequest, slug: str, payload: ReviewIn):
    """Score an interaction with a rubric; answers by criterion key. One review per interaction
    and reviewer."""
    organisation = organisation_for(request, slug, write=True)
    caller = caller_of(request)
    reviewer = caller.user if caller.token is None else caller.token.created_by
    if reviewer is None:
        raise HttpError(403, _("This token has no member to credit the review to."))
    interaction = Interaction.objects.filter(
        organisation=organisation, external_id=payload.interaction
    ).first()
    if interaction is None:
        raise FieldInvalid("interaction", _("There is no interaction with this id."))
    version = _version(organisation, payload.rubric)
    keys = {c.key for c in selectors.criteria_of(version)}
    unknown = [k for k in [*payload.answers, *payload.notes] if k not in keys]
    if unknown:
        raise FieldsInvalid(
            [
                FieldInvalid(f"answers.{k}", _("This is not a criterion of the rubric."))
                for k in dict.fromkeys(unknown)
            ]
        )
    answers = {k: (payload.answers.get(k), payload.notes.get(k, "")) for k in keys}
    missing = [k for k in keys if k not in payload.answers]
    if missing:
        raise FieldsInvalid(
            [
                FieldInvalid(f"answers.{k}", _("Give the points, or null for not applicable."))
                for k in sorted(missing)
            ]
        )
    try:
        review = services.review_create(
            interaction=interaction,
            reviewer=reviewer,
            version=version,
            answers=answers,
            comment=payload.comment,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise FieldsInvalid(
                [
                    FieldInvalid(
                        f"answers.{field}" if field in keys else field, " ".join(e.messages)
                    )
                    for field, e in ((f, ValidationError(p)) for f, p in error.error_dict.items())
                ]
            ) from error
        raise HttpError(409, " ".join(error.messages)) from error
    return Status(201, review_payload(review))
