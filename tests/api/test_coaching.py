"""/api/v1/orgs/{slug}/quality/reviews: who reads which review, and writing one."""

import pytest
from django.test import Client

from goaldesk.accounts.models import ApiToken, Role
from goaldesk.coaching.models import QualityReview
from tests.api.conftest import BASE, ApiClient, make_token
from tests.coaching.factories import review_make, rubric_make
from tests.factories import AgentFactory, InteractionFactory, MembershipFactory, UserFactory

URL = f"{BASE}/tehran/quality/reviews"


@pytest.fixture
def reviews(org):
    manager = UserFactory(username="manager")
    MembershipFactory(organisation=org, user=manager, role=Role.MANAGER)
    aisha_user = UserFactory(username="aisha")
    MembershipFactory(organisation=org, user=aisha_user, role=Role.AGENT)
    aisha = AgentFactory(organisation=org, key="aisha", user=aisha_user)
    omid = AgentFactory(organisation=org, key="omid")
    version = rubric_make(org).versions.get()
    mine = review_make(InteractionFactory(organisation=org, agent=aisha, external_id="A-1"),
                       version, manager)  # fmt: skip
    other = review_make(InteractionFactory(organisation=org, agent=omid, external_id="O-1"),
                        version, manager, points={"greeting": 1, "solution": 3, "follow_up": None})  # fmt: skip
    return {"manager": manager, "aisha_user": aisha_user, "mine": mine, "other": other}


def _session(user):
    client = Client()
    client.force_login(user)
    return ApiClient(client=client)


def test_managers_read_all_agents_their_own_viewers_none(org, reviews, api, viewer_api):
    everything = api.get(URL)
    assert everything.status_code == 200
    assert {r["interaction"] for r in everything.json()} == {"A-1", "O-1"}
    omids = api.get(URL, {"agent": "omid"}).json()
    assert [(r["interaction"], round(r["score"], 2)) for r in omids] == [("O-1", 66.67)]
    assert [a["points"] for a in omids[0]["answers"]] == [1, 3, None]

    aisha = _session(reviews["aisha_user"])
    assert [r["interaction"] for r in aisha.get(URL).json()] == ["A-1"]
    assert aisha.get(f"{URL}/{reviews['other'].pk}").status_code == 404
    assert aisha.get(f"{URL}/{reviews['mine'].pk}").json()["score"] == 100.0

    assert viewer_api.get(URL).status_code == 403
    assert api.get(URL, {"agent": "nobody"}).status_code == 422


def test_a_review_is_written_with_answers_by_criterion_key(org, reviews):
    InteractionFactory(organisation=org, external_id="NEW-1")
    InteractionFactory(organisation=org, external_id="NEW-3")
    raw = make_token(org, Role.MANAGER)
    ApiToken.objects.filter(organisation=org).update(created_by=reviews["manager"])
    api = ApiClient(raw)
    body = {"interaction": "NEW-1", "answers": {"greeting": 1, "solution": 3, "follow_up": 0}}
    created = api.post(URL, body)
    assert created.status_code == 201, created.content
    # (50 + 2 × 75 + 0) / 4 = 50
    assert created.json()["score"] == 50.0 and created.json()["reviewer"] == "manager"

    bad = api.post(URL, {"interaction": "NEW-3", "answers": {"greeting": 7, "solution": 3,
                                                         "follow_up": 0, "speed": 1}})  # fmt: skip
    assert bad.status_code == 422
    assert [d["field"] for d in bad.json()["detail"]] == ["answers.speed"]
    off_scale = api.post(URL, {"interaction": "NEW-3", "answers": {"greeting": 7, "solution": 3,
                                                               "follow_up": 0}})  # fmt: skip
    assert off_scale.status_code == 422
    assert off_scale.json()["detail"][0]["field"] == "answers.greeting"
    missing = api.post(URL, {"interaction": "NEW-3", "answers": {"greeting": 1}})
    assert {d["field"] for d in missing.json()["detail"]} == {
        "answers.solution",
        "answers.follow_up",
    }
    again = api.post(URL, body)
    assert again.status_code == 409
    assert QualityReview.objects.count() == 3


def test_agents_and_viewer_tokens_may_not_write(org, reviews, viewer_api):
    InteractionFactory(organisation=org, external_id="NEW-2")
    body = {"interaction": "NEW-2", "answers": {"greeting": 1, "solution": 3, "follow_up": 0}}
    assert viewer_api.post(URL, body).status_code == 403
    assert _session(reviews["aisha_user"]).post(URL, body).status_code == 403
