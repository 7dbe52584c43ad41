"""The skills pages: the organisation's skills, an agent's skills and training, my skills."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.team.models import AgentSkill, AgentSkillChange, Skill, TrainingRecord
from goaldesk.team.services import agent_skill_set, skill_create, training_record_add
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sara(org):
    return AgentFactory(organisation=org, key="sara", name="Sara")


def test_a_manager_adds_a_product_skill_and_bad_codes_are_named(org, client_as):
    client = client_as(Role.MANAGER)
    url = reverse("team:skills", args=[org.slug])
    bad = client.post(url, {"kind": "product", "name": "Cards", "code": "no spaces"})
    assert bad.status_code == 200
    assert "is not valid" in bad.content.decode()
    assert not Skill.objects.exists()
    good = client.post(
        url,
        {"kind": "product", "name": "Cards", "code": "cards", "requires_certification": "on"},
    )
    assert good.status_code == 302
    skill = Skill.objects.get()
    assert (skill.kind, skill.code, skill.name, skill.requires_certification) == (
        "product",
        "cards",
        "Cards",
        True,
    )
    assert "Cards" in client.get(url).content.decode()


def test_a_viewer_sees_the_skills_but_may_not_add_one(org, client_as):
    client = client_as(Role.VIEWER)
    url = reverse("team:skills", args=[org.slug])
    assert "New skill" not in client.get(url).content.decode()
    assert client.post(url, {"kind": "product", "name": "X", "code": "x"}).status_code == 403


def test_a_manager_sets_a_level_on_a_channel_without_a_skill_yet_and_adds_training(
    org, sara, client_as
):
    client = client_as(Role.MANAGER)
    url = reverse("team:agent_skills", args=[org.slug, sara.pk])
    response = client.post(url, {"form": "skill", "skill": "channel:phone", "level": "2"})
    assert response.status_code == 302
    row = AgentSkill.objects.select_related("skill").get(agent=sara)
    assert (row.skill.kind, row.skill.code, row.level) == ("channel", "phone", 2)
    change = AgentSkillChange.objects.get(agent=sara)
    assert change.changed_by.username == f"{Role.MANAGER}-user"
    # A training record typed in Persian digits and a Jalali date; its expiry before it is refused.
    bad = client.post(
        url,
        {"form": "training", "training-course": "Phone basics", "training-skill": str(row.skill_id),
         "training-completed_on": "1405/09/16", "training-result": "passed",
         "training-expires_on": "1405/09/01"},
    )  # fmt: skip
    assert bad.status_code == 200
    assert "must expire after" in bad.content.decode()
    good = client.post(
        url,
        {"form": "training", "training-course": "Phone basics", "training-skill": str(row.skill_id),
         "training-completed_on": "۱۴۰۵/۰۹/۱۶", "training-result": "passed",
         "training-score": "۸۷٫۵", "training-expires_on": "2027-12-07"},
    )  # fmt: skip
    assert good.status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.completed_on, record.score, record.expires_on) == (
        dt.date(2026, 12, 7),
        87.5,
        dt.date(2027, 12, 7),
    )
    page = client.get(url).content.decode()
    assert "Phone basics" in page and "Competent" in page


def test_the_page_marks_an_expired_certificate_and_the_skill_that_stopped_counting(
    org, sara, client_as
):
    cards = skill_create(
        organisation=org, kind="product", code="cards", name="Cards", requires_certification=True
    )
    agent_skill_set(agent=sara, skill=cards, level=3)
    training_record_add(
        agent=sara,
        course="Cards certification",
        skill=cards,
        completed_on=dt.date(2020, 1, 1),
        result="passed",
        expires_on=dt.date(2021, 1, 1),
    )
    page = client_as(Role.MANAGER).get(reverse("team:agent_skills", args=[org.slug, sara.pk]))
    text = page.content.decode()
    assert text.count('<span class="badge bad">expired</span>') == 2  # the skill and the record


def test_an_agent_sees_their_own_skills_read_only_and_never_another_agents(
    org, sara, member, client
):
    user = member(Role.AGENT)
    sara.user = user
    sara.save()
    other = AgentFactory(organisation=org)
    client.force_login(user)
    own = client.get(reverse("team:agent_skills", args=[org.slug, sara.pk]))
    assert own.status_code == 200 and "Set level" not in own.content.decode()
    assert client.get(reverse("team:agent_skills", args=[org.slug, other.pk])).status_code == 403
    posted = client.post(
        reverse("team:agent_skills", args=[org.slug, sara.pk]),
        {"form": "skill", "skill": "channel:phone", "level": "4"},
    )
    assert posted.status_code == 403 and not AgentSkill.objects.exists()
    mine = client.get(reverse("team:my_skills", args=[org.slug]))
    assert mine.status_code == 200 and "Skills and training of" in mine.content.decode()


def test_my_skills_without_an_agent_record_says_so(org, client_as):
    text = client_as(Role.VIEWER).get(reverse("team:my_skills", args=[org.slug])).content.decode()
    assert "not linked to an agent record" in text


def test_the_skill_levels_and_the_score_label_are_in_the_readers_digits(org):
    from django.utils import translation

    from goaldesk.team.forms import AgentSkillForm, TrainingRecordForm

    with translation.override("fa"):
        levels = [
            str(label) for _v, label in AgentSkillForm(organisation=org).fields["level"].choices
        ]
        score = str(TrainingRecordForm(organisation=org).fields["score"].label)
    assert [label.split(" · ")[0] for label in levels[:4]] == ["۱", "۲", "۳", "۴"]
    assert not re.search(r"[0-9]", "".join(levels) + score)
