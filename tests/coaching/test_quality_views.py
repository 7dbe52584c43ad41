"""The quality pages as people use them: who sees which review, scoring with the radio table,
answering and resolving a dispute, and the quality score on the dashboard."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.accounts.models import Role, today_in
from goaldesk.coaching.models import QualityReview, QueueItem, ReviewState
from goaldesk.metrics.selectors import kpis_for_period
from tests.coaching.factories import review_make, rubric_make
from tests.factories import (
    AgentFactory,
    InteractionFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _member(org, username, role):
    user = UserFactory(username=username)
    MembershipFactory(organisation=org, user=user, role=role)
    return user


@pytest.fixture
def desk(org):
    manager = _member(org, "manager", Role.MANAGER)
    owner = _member(org, "owner", Role.OWNER)
    aisha_user = _member(org, "aisha", Role.AGENT)
    omid_user = _member(org, "omid", Role.AGENT)
    viewer = _member(org, "viewer", Role.VIEWER)
    team = TeamFactory(organisation=org, name="Front desk")
    aisha = AgentFactory(organisation=org, key="aisha", name="Aisha", user=aisha_user, team=team)
    omid = AgentFactory(organisation=org, key="omid", name="Omid", user=omid_user)
    version = rubric_make(org).versions.get()
    return {
        "org": org, "manager": manager, "owner": owner, "aisha_user": aisha_user,
        "omid_user": omid_user, "viewer": viewer, "aisha": aisha, "omid": omid,
        "team": team, "version": version,
    }  # fmt: skip


def _url(name, org, **kwargs):
    return reverse(f"coaching:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_an_agent_never_sees_another_agents_review(desk):
    org = desk["org"]
    omids = review_make(
        InteractionFactory(organisation=org, agent=desk["omid"], external_id="OMID-1"),
        desk["version"], desk["manager"],
    )  # fmt: skip
    aishas = review_make(
        InteractionFactory(organisation=org, agent=desk["aisha"], external_id="AISHA-1"),
        desk["version"], desk["manager"],
    )  # fmt: skip
    aisha = _client(desk["aisha_user"])
    assert aisha.get(_url("review", org, review_id=omids.pk)).status_code == 404
    for action in ("review_acknowledge", "review_dispute"):
        assert aisha.post(_url(action, org, review_id=omids.pk), {"reason": "x"}).status_code == 404
    omids.refresh_from_db()
    assert omids.state == ReviewState.SUBMITTED
    page = aisha.get(_url("quality", org)).content.decode()
    assert "AISHA-1" in page and "OMID-1" not in page
    assert aisha.get(_url("review", org, review_id=aishas.pk)).status_code == 200
    # Viewers see no individual review; managers see both.
    assert _client(desk["viewer"]).get(_url("review", org, review_id=aishas.pk)).status_code == 403
    home = _client(desk["manager"]).get(_url("quality", org)).content.decode()
    assert "AISHA-1" in home and "OMID-1" in home


def test_a_manager_scores_an_interaction_with_the_radio_table(desk):
    org = desk["org"]
    interaction = InteractionFactory(organisation=org, agent=desk["aisha"])
    manager = _client(desk["manager"])
    url = _url("review_new", org, pk=interaction.pk)
    detail = reverse("interactions:detail", kwargs={"org_slug": org.slug, "pk": interaction.pk})
    assert url in manager.get(detail).content.decode()
    assert url not in _client(desk["aisha_user"]).get(detail).content.decode()
    page = manager.get(url).content.decode()
    # Greeting 0–2 without N/A; follow-up 0–1 with N/A.
    assert len(re.findall(r'name="c_greeting"', page)) == 3
    assert len(re.findall(r'name="c_follow_up"', page)) == 3
    assert 'value="na"' in page

    # A missing answer and N/A where it is not allowed: said next to the criterion, nothing saved.
    bad = manager.post(url, {"version": desk["version"].pk, "c_greeting": "na", "c_solution": "4"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Choose one of the points shown." in text
    assert "Choose the points or not applicable." in text
    assert not QualityReview.objects.exists()

    done = manager.post(url, {
        "version": desk["version"].pk, "c_greeting": "1", "c_solution": "3", "c_follow_up": "na",
        "note_greeting": "No name used", "comment": "Good fix",
    })  # fmt: skip
    review = QualityReview.objects.get()
    assert done.status_code == 302 and done["Location"] == _url("review", org, review_id=review.pk)
    assert review.score == pytest.approx(200 / 3) and review.agent == desk["aisha"]
    assert review.answers.get(criterion__key="greeting").comment == "No name used"
    # A second visit goes to the review already made.
    assert manager.get(url)["Location"] == _url("review", org, review_id=review.pk)


def test_the_agent_disputes_and_the_manager_upholds(desk):
    org = desk["org"]
    review = review_make(
        InteractionFactory(organisation=org, agent=desk["aisha"]), desk["version"],
        desk["manager"], points={"greeting": 2, "solution": 1, "follow_up": 1},
    )  # fmt: skip
    assert review.score == 0.0
    aisha = _client(desk["aisha_user"])
    empty = aisha.post(_url("review_dispute", org, review_id=review.pk), {"reason": ""})
    assert empty.status_code == 200 and "Say why you disagree" in empty.content.decode()
    aisha.post(_url("review_dispute", org, review_id=review.pk), {"reason": "It was solved"})
    review.refresh_from_db()
    assert review.state == ReviewState.DISPUTED

    owner = _client(desk["owner"])
    page = owner.get(_url("review", org, review_id=review.pk)).content.decode()
    assert "Resolve the dispute" in page and "It was solved" in page
    # Upheld without answers: told which criterion, nothing changes.
    missing = owner.post(
        _url("review_resolve", org, review_id=review.pk), {"resolve-outcome": "upheld"}
    )
    assert missing.status_code == 200
    review.refresh_from_db()
    assert review.state == ReviewState.DISPUTED
    owner.post(_url("review_resolve", org, review_id=review.pk), {
        "resolve-outcome": "upheld", "resolve-c_greeting": "2", "resolve-c_solution": "4",
        "resolve-c_follow_up": "1", "resolve-note": "You were right",
    })  # fmt: skip
    review.refresh_from_db()
    assert (review.state, review.outcome, review.score) == ("resolved", "upheld", 100.0)
    assert "You were right" in aisha.get(_url("review", org, review_id=review.pk)).content.decode()


def test_no_get_changes_anything(desk):
    org = desk["org"]
    InteractionFactory(organisation=org, agent=desk["aisha"], csat=1, local_date=today_in(org))
    manager = _client(desk["manager"])
    assert manager.get(_url("queue_fill", org)).status_code == 405
    assert not QueueItem.objects.exists()
    assert manager.post(_url("queue_fill", org)).status_code == 302
    assert QueueItem.objects.count() == 1
    review = review_make(
        InteractionFactory(organisation=org, agent=desk["aisha"]), desk["version"], desk["manager"]
    )
    assert manager.get(_url("review_delete", org, review_id=review.pk)).status_code == 405
    # Deleting needs the box ticked.
    manager.post(_url("review_delete", org, review_id=review.pk))
    assert QualityReview.objects.filter(pk=review.pk).exists()
    manager.post(_url("review_delete", org, review_id=review.pk), {"confirm": "1"})
    assert not QualityReview.objects.filter(pk=review.pk).exists()


def test_the_rubric_page_makes_a_new_version_once_used(desk):
    org = desk["org"]
    rubric = desk["version"].rubric
    manager = _client(desk["manager"])
    url = _url("rubric_edit", org, rubric_id=rubric.pk)
    review_make(
        InteractionFactory(organisation=org, agent=desk["aisha"]), desk["version"], desk["manager"]
    )
    page = manager.get(url).content.decode()
    assert "Reviews have been made with this version" in page

    def row(i, key, label, low, high, weight, critical="", na=""):
        data = {f"criteria-{i}-key": key, f"criteria-{i}-label": label,
                f"criteria-{i}-scale_min": low, f"criteria-{i}-scale_max": high,
                f"criteria-{i}-weight": weight}  # fmt: skip
        if critical:
            data[f"criteria-{i}-critical"] = "on"
        if na:
            data[f"criteria-{i}-not_applicable_allowed"] = "on"
        return data

    post = {
        "name": "Support calls", "active": "on",
        "criteria-TOTAL_FORMS": "4", "criteria-INITIAL_FORMS": "3",
        "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000",
        **row(0, "greeting", "Greeting", "0", "2", "1"),
        **row(1, "solution", "Solution correct", "0", "4", "2", critical=True),
        **row(2, "follow_up", "Follow-up", "0", "1", "1", na=True),
        **row(3, "", "Tone", "۱", "۵", "0,5"),  # Persian digits and a decimal comma
    }  # fmt: skip
    answer = manager.post(url, post)
    assert answer.status_code == 302
    versions = list(rubric.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    tone = versions[1].criteria.get(key="tone")
    assert (tone.scale_min, tone.scale_max, tone.weight) == (1, 5, 0.5)
    assert versions[0].criteria.count() == 3

    # A bad row is shown on its row; nothing is saved.
    post["criteria-3-scale_max"] = "1"
    bad = manager.post(url, post)
    assert (
        bad.status_code == 200
        and "The highest points must be above the lowest." in bad.content.decode()
    )
    assert rubric.versions.count() == 2


def test_the_quality_score_on_the_dashboard_is_the_mean_of_the_reviews(desk):
    """Three reviews: interaction A by two reviewers (100 and 50), interaction B (0, a critical
    fail) → (100 + 50 + 0) / 3 = 50. Filtered: Aisha's (A) = 75, the chat channel (B) = 0."""
    org = desk["org"]
    a = InteractionFactory(organisation=org, agent=desk["aisha"], team=desk["team"],
                           channel="email", local_date=dt.date(2026, 3, 2))  # fmt: skip
    b = InteractionFactory(organisation=org, agent=desk["omid"], channel="chat",
                           local_date=dt.date(2026, 3, 3))  # fmt: skip
    version = desk["version"]
    review_make(a, version, desk["manager"], points={"greeting": 2, "solution": 4, "follow_up": 1})
    review_make(a, version, desk["owner"], points={"greeting": 1, "solution": 3, "follow_up": 0})
    review_make(b, version, desk["manager"], points={"greeting": 2, "solution": 0, "follow_up": 1})
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 31)

    def qa(**filters):
        return kpis_for_period(
            organisation=org, date_from=first, date_to=last, filters=filters or None,
            keys=["qa_score"],
        )["qa_score"]  # fmt: skip

    assert qa() == pytest.approx(50.0)
    assert qa(agent="aisha") == pytest.approx(75.0)
    assert qa(team="Front desk") == pytest.approx(75.0)
    assert qa(channel="chat") == pytest.approx(0.0)

    page = (
        _client(desk["viewer"])
        .get(
            reverse("metrics:dashboard", kwargs={"org_slug": org.slug})
            + "?from=2026-03-01&to=2026-03-31"
        )
        .content.decode()
    )
    row = page[page.index("Quality score") :]
    assert re.search(r"metric=qa_score\">50\.00<", row[:400]), row[:400]


def test_the_owner_can_set_a_quality_bar_for_the_levels(desk):
    org = desk["org"]
    url = reverse("goals:level_thresholds", kwargs={"org_slug": org.slug})
    owner = _client(desk["owner"])
    page = owner.get(url).content.decode()
    assert "Quality score" in page and 'name="qa_score__exceptional"' in page
    form = re.findall(r'name="(\w+__\w+)"(?: [^>]*)? value="([^"]*)"', page)
    data = dict(form)
    data["qa_score__exceptional"] = "80"
    assert owner.post(url, data).status_code == 302
    from goaldesk.goals.selectors import level_thresholds_for

    thresholds = level_thresholds_for(org)
    assert thresholds.qa_score.exceptional == 80
    assert thresholds.csat_pct.meets_expectations == 75  # the others kept their values
