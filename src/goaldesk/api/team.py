"""/api/v1/orgs/{slug}/skills and an agent's skills and training records.

Levels: 1 Learning, 2 Competent, 3 Proficient, 4 Expert. A skill counts for scheduling from
level 2 and, when it requires certification, only while a passed training record covers the day
(`counts` in the answers). Dates are YYYY-MM-DD (or the caller's calendar, as everywhere).

Who may: any token or member reads the organisation's skills. An agent's skills and training are
read by manager and owner tokens and members, and by the agent's own signed-in user; setting a
level and adding a training record need the manager or owner role.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import Field, StrictFloat, StrictInt, StrictStr

from goaldesk.accounts.models import Membership, Organisation, Role, today_in
from goaldesk.api.auth import caller_of, organisation_for
from goaldesk.api.errors import FieldChecks, FieldInvalid, saved_or_422
from goaldesk.api.params import parse_date
from goaldesk.api.schemas import BodyIn, DateText, ErrorList, Message, OptionalDateText
from goaldesk.team import selectors, services
from goaldesk.team.models import Agent, Skill, TrainingRecord
from goaldesk.team.skill_labels import skill_label

router = Router(tags=["team"])

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


class LevelIn(BodyIn):
    level: StrictInt | None = Field(
        ..., description="1 Learning, 2 Competent, 3 Proficient, 4 Expert; null removes the skill"
    )


class TrainingIn(BodyIn):
    course: StrictStr = Field(..., min_length=1)
    skill: StrictInt | None = Field(None, description="id of the skill the course certifies")
    completed_on: DateText
    result: StrictStr = Field(..., description="passed or failed")
    score: StrictFloat | None = Field(None, description="0–100")
    expires_on: OptionalDateText = Field(
        None, description="from this day the certificate no longer counts; null: never"
    )
    notes: StrictStr = ""


def _skill_payload(skill: Skill) -> dict[str, Any]:
    return {
        "id": skill.pk,
        "kind": skill.kind,
        "code": skill.code,
        "scheduling_code": skill.scheduling_code,
        "name": skill_label(skill),
        "requires_certification": skill.requires_certification,
    }


def _training_payload(row: selectors.TrainingRow) -> dict[str, Any]:
    record = row.record
    return {
        "id": record.pk,
        "course": record.course,
        "skill": record.skill_id,
        "completed_on": record.completed_on.isoformat(),
        "result": record.result,
        "score": record.score,
        "expires_on": record.expires_on.isoformat() if record.expires_on else None,
        "expired": row.expired,
        "notes": record.notes,
    }


def _agent(organisation: Organisation, agent_id: int) -> Agent:
    agent = Agent.objects.filter(organisation=organisation, pk=agent_id).first()
    if agent is None:
        raise HttpError(404, _("There is no agent %(id)s here.") % {"id": agent_id})
    return agent


def _may_read(request: HttpRequest, organisation: Organisation, agent: Agent) -> None:
    caller = caller_of(request)
    if caller.token is not None:
        role = caller.token.role
    else:
        membership = Membership.objects.filter(organisation=organisation, user=caller.user).first()
        role = membership.role if membership else Role.VIEWER
        if agent.user_id is not None and agent.user_id == getattr(caller.user, "pk", None):
            return
    if not Membership(role=role).allows(Role.MANAGER):
        raise HttpError(
            403, _("Only managers and owners, and the agent themselves, see an agent's skills.")
        )


def _agent_payload(agent: Agent, on: dt.date) -> dict[str, Any]:
    standings = selectors.agent_skill_standings(
        organisation=agent.organisation, on=on, agent_ids=[agent.pk]
    ).get(agent.pk, [])
    return {
        "agent": {"id": agent.pk, "key": agent.key, "name": agent.name},
        "on": on.isoformat(),
        "skills": [
            {
                "skill": _skill_payload(s.skill),
                "level": s.level,
                "level_name": s.level_label,
                "certificate": s.certificate,
                "certificate_expires_on": s.expires_on.isoformat() if s.expires_on else None,
                "counts": s.counts,
            }
            for s in standings
        ],
        "training": [
            _training_payload(r) for r in selectors.training_records_for(agent=agent, on=on)
        ],
    }


@router.get(
    "/v1/orgs/{slug}/skills", response={200: list[dict[str, Any]], **_ERRORS}, summary="Skills"
)
def skills_list(request: HttpRequest, slug: str):
    """The organisation's skills: channels, languages, products and others."""
    organisation = organisation_for(request, slug)
    return [_skill_payload(s) for s in selectors.skill_list(organisation=organisation)]


@router.get(
    "/v1/orgs/{slug}/agents/{agent_id}/skills",
    response={200: dict[str, Any], **_ERRORS},
    summary="An agent's skills and training records",
)
def agent_skills(request: HttpRequest, slug: str, agent_id: int, on: str = ""):
    """Levels, certificates and whether each skill counts on `on` (default: today), and the
    agent's training records (each marked `expired` when its expiry is on or before that day)."""
    organisation = organisation_for(request, slug)
    agent = _agent(organisation, agent_id)
    _may_read(request, organisation, agent)
    day = parse_date(on, "on") or today_in(organisation)
    return _agent_payload(agent, day)


@router.put(
    "/v1/orgs/{slug}/agents/{agent_id}/skills/{skill_id}",
    response={200: dict[str, Any], **_ERRORS},
    summary="Set an agent's level in a skill",
)
def agent_skill_set(
    request: HttpRequest, slug: str, agent_id: int, skill_id: int, payload: LevelIn
):
    """Sets the level (null removes the skill); the change is kept in the agent's history.
    Answers the agent's skills as GET does."""
    organisation = organisation_for(request, slug, write=True)
    agent = _agent(organisation, agent_id)
    skill = Skill.objects.filter(organisation=organisation, pk=skill_id).first()
    if skill is None:
        raise HttpError(404, _("There is no skill %(id)s here.") % {"id": skill_id})
    caller = caller_of(request)
    result = saved_or_422(
        lambda: services.agent_skill_set(
            agent=agent, skill=skill, level=payload.level, changed_by=caller.user
        )
    )
    if isinstance(result, Status):
        return result
    return _agent_payload(agent, today_in(organisation))


@router.post(
    "/v1/orgs/{slug}/agents/{agent_id}/training",
    response={201: dict[str, Any], **_ERRORS},
    summary="Add a training record",
)
def training_add(request: HttpRequest, slug: str, agent_id: int, payload: TrainingIn):
    organisation = organisation_for(request, slug, write=True)
    agent = _agent(organisation, agent_id)
    checks = FieldChecks()
    completed_on = checks.take(parse_date, payload.completed_on, "completed_on", required=True)
    expires_on = checks.take(parse_date, payload.expires_on, "expires_on")
    skill = None
    if payload.skill is not None:
        skill = Skill.objects.filter(organisation=organisation, pk=payload.skill).first()
        if skill is None:
            checks.add(
                FieldInvalid("skill", _("There is no skill %(id)s here.") % {"id": payload.skill})
            )
    checks.done()
    if completed_on is None:  # refused above (required); for the type checker
        raise FieldInvalid("completed_on", _("This field is required."))
    caller = caller_of(request)
    result = saved_or_422(
        lambda: services.training_record_add(
            agent=agent,
            course=payload.course,
            skill=skill,
            completed_on=completed_on,
            result=payload.result,
            score=payload.score,
            expires_on=expires_on,
            notes=payload.notes,
            created_by=caller.user,
        )
    )
    if isinstance(result, Status):
        return result
    record: TrainingRecord = result
    today = today_in(organisation)
    return Status(
        201,
        _training_payload(
            selectors.TrainingRow(
                record=record, expired=record.expires_on is not None and record.expires_on <= today
            )
        ),
    )
