"""Skills, levels and their history, training records and when a skill counts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from goaldesk.team.models import AgentSkillChange, Skill, SkillLevel, TrainingRecord
from goaldesk.team.selectors import (
    Certificate,
    agent_skill_codes,
    agent_skill_standings,
    training_records_for,
)
from goaldesk.team.services import (
    agent_channels_languages_set,
    agent_merge,
    agent_skill_set,
    skill_create,
    training_record_add,
)
from tests.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 7)


@pytest.fixture
def sara(org):
    return AgentFactory(organisation=org, key="sara", name="Sara")


@pytest.fixture
def payments(org):
    return skill_create(
        organisation=org,
        kind=Skill.Kind.PRODUCT,
        code="payments",
        name="Card payments",
        requires_certification=True,
    )


def _passed(agent, skill, completed, expires):
    return training_record_add(
        agent=agent,
        course="Payments certification",
        skill=skill,
        completed_on=completed,
        result=TrainingRecord.Result.PASSED,
        expires_on=expires,
    )


def test_each_level_change_is_one_history_line_with_who_and_what(org, sara):
    manager = UserFactory(username="lead")
    phone = skill_create(organisation=org, kind=Skill.Kind.CHANNEL, code="phone")
    agent_skill_set(agent=sara, skill=phone, level=SkillLevel.LEARNING, changed_by=manager)
    agent_skill_set(agent=sara, skill=phone, level=SkillLevel.LEARNING, changed_by=manager)  # same
    agent_skill_set(agent=sara, skill=phone, level=SkillLevel.EXPERT)
    agent_skill_set(agent=sara, skill=phone, level=None, changed_by=manager)
    lines = list(
        AgentSkillChange.objects.filter(agent=sara)
        .order_by("pk")
        .values_list("old_level", "new_level", "changed_by__username")
    )
    assert lines == [(None, 1, "lead"), (1, 4, None), (4, None, "lead")]
    assert not sara.skill_levels.exists()


def test_a_level_outside_one_to_four_and_another_organisations_skill_are_refused(
    org, other_org, sara
):
    phone = skill_create(organisation=org, kind=Skill.Kind.CHANNEL, code="phone")
    with pytest.raises(ValidationError) as error:
        agent_skill_set(agent=sara, skill=phone, level=5)
    assert "level" in error.value.error_dict
    foreign = skill_create(organisation=other_org, kind=Skill.Kind.CHANNEL, code="phone")
    with pytest.raises(ValidationError):
        agent_skill_set(agent=sara, skill=foreign, level=3)
    assert not AgentSkillChange.objects.exists()


def test_a_skill_code_is_checked_and_unique_and_a_product_needs_a_name(org):
    skill_create(organisation=org, kind=Skill.Kind.PRODUCT, code="cards", name="Cards")
    with pytest.raises(ValidationError) as error:
        skill_create(organisation=org, kind=Skill.Kind.PRODUCT, code="Cards", name="Again")
    assert "already" in error.value.error_dict["code"][0].message
    with pytest.raises(ValidationError) as error:
        skill_create(organisation=org, kind=Skill.Kind.PRODUCT, code="a b", name="")
    assert set(error.value.error_dict) == {"code", "name"}


def test_skills_count_from_competent_and_with_a_certificate_only_while_it_covers_the_day(
    org, sara, payments
):
    """Sara: phone Proficient, chat Learning, Card payments Expert (certified 1 Jan 2026 until
    7 Dec 2026, the day it stops counting)."""
    agent_channels_languages_set(agent=sara, channels=["phone", "chat"], languages=["fa"])
    chat = Skill.objects.get(organisation=org, code="chat")
    agent_skill_set(agent=sara, skill=chat, level=SkillLevel.LEARNING)
    agent_skill_set(agent=sara, skill=payments, level=SkillLevel.EXPERT)
    _passed(sara, payments, dt.date(2026, 1, 1), DAY)

    before = agent_skill_codes(organisation=org, on=DAY - dt.timedelta(days=1))
    assert before == {sara.pk: frozenset({"phone", "lang:fa", "product:payments"})}
    on_the_day = agent_skill_codes(organisation=org, on=DAY)
    assert on_the_day == {sara.pk: frozenset({"phone", "lang:fa"})}
    # A week through the expiry does not count for any of it.
    week = agent_skill_codes(organisation=org, on=DAY - dt.timedelta(days=3), through=DAY)
    assert "product:payments" not in week[sara.pk]
    standing = next(
        s for s in agent_skill_standings(organisation=org, on=DAY)[sara.pk] if s.skill == payments
    )
    assert (standing.certificate, standing.expires_on, standing.counts) == (
        Certificate.EXPIRED,
        DAY,
        False,
    )


def test_a_failed_course_or_one_not_taken_yet_certifies_nothing_and_a_renewal_does(
    org, sara, payments
):
    agent_skill_set(agent=sara, skill=payments, level=SkillLevel.PROFICIENT)
    assert agent_skill_codes(organisation=org, on=DAY)[sara.pk] == frozenset()
    training_record_add(
        agent=sara,
        course="Payments certification",
        skill=payments,
        completed_on=DAY - dt.timedelta(days=5),
        result=TrainingRecord.Result.FAILED,
        score=40.0,
    )
    _passed(sara, payments, DAY + dt.timedelta(days=1), None)  # tomorrow's course
    standing = agent_skill_standings(organisation=org, on=DAY)[sara.pk][0]
    assert (standing.certificate, standing.counts) == (Certificate.MISSING, False)
    _passed(sara, payments, DAY - dt.timedelta(days=400), DAY - dt.timedelta(days=35))
    _passed(sara, payments, DAY - dt.timedelta(days=2), DAY + dt.timedelta(days=363))
    assert agent_skill_codes(organisation=org, on=DAY)[sara.pk] == {"product:payments"}


def test_an_agent_without_any_skill_is_absent_from_the_codes(org, sara):
    other = AgentFactory(organisation=org)
    agent_channels_languages_set(agent=other, channels=["email"], languages=None)
    assert agent_skill_codes(organisation=org, on=DAY) == {other.pk: frozenset({"email"})}


def test_the_profile_checkboxes_keep_levels_add_at_proficient_and_remove_the_unticked(org, sara):
    agent_channels_languages_set(agent=sara, channels=["phone", "chat"], languages=["fa"])
    chat = Skill.objects.get(organisation=org, code="chat")
    agent_skill_set(agent=sara, skill=chat, level=SkillLevel.EXPERT)
    agent_channels_languages_set(agent=sara, channels=["chat", "email"], languages=None)
    levels = {
        row.skill.scheduling_code: row.level for row in sara.skill_levels.select_related("skill")
    }
    assert levels == {"chat": 4, "email": 3, "lang:fa": 3}
    removed = AgentSkillChange.objects.get(skill__code="phone", new_level=None)
    assert removed.old_level == 3


def test_a_training_record_is_checked_and_marked_expired_from_its_expiry(org, sara, payments):
    with pytest.raises(ValidationError) as error:
        training_record_add(
            agent=sara,
            course=" ",
            completed_on=DAY,
            result="maybe",
            score=120.0,
            expires_on=DAY,
        )
    assert set(error.value.error_dict) == {"course", "result", "score", "expires_on"}
    _passed(sara, payments, DAY - dt.timedelta(days=365), DAY)
    _passed(sara, payments, DAY - dt.timedelta(days=10), None)
    rows = training_records_for(agent=sara, on=DAY)
    assert [(r.record.expires_on, r.expired) for r in rows] == [(None, False), (DAY, True)]


def test_merging_two_agents_keeps_the_targets_level_and_moves_history_and_training(
    org, sara, payments
):
    duplicate = AgentFactory(organisation=org, key="Sara Ahmed")
    agent_skill_set(agent=sara, skill=payments, level=SkillLevel.COMPETENT)
    agent_skill_set(agent=duplicate, skill=payments, level=SkillLevel.EXPERT)
    agent_channels_languages_set(agent=duplicate, channels=["chat"], languages=None)
    _passed(duplicate, payments, DAY, None)
    agent_merge(organisation=org, source_id=duplicate.pk, target_id=sara.pk)
    levels = {r.skill.scheduling_code: r.level for r in sara.skill_levels.select_related("skill")}
    assert levels == {"product:payments": 2, "chat": 3}
    assert AgentSkillChange.objects.filter(agent=sara).count() == 3
    assert TrainingRecord.objects.get().agent == sara
