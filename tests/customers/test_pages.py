"""What a person sees: the customers list and page, segments with their live count, a segment
chosen on the dashboard, the levels page, a goal scoped to a segment, and the API."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.customers.models import Customer, Segment
from goaldesk.customers.services import segment_save
from goaldesk.goals.selectors import metric_value
from tests.api.conftest import ApiClient, make_token
from tests.goals.factories import goal_make

pytestmark = pytest.mark.django_db

GOLD = [{"kind": "attribute", "field": "tier", "value": "gold"}]


def test_the_list_searches_and_shows_contacts(desk, client_as):
    client = client_as(Role.VIEWER)
    url = reverse("customers:list", args=[desk.slug])
    page = client.get(url).content.decode()
    assert "ann" in page and "bob" in page and "cy" in page
    found = client.get(url, {"q": "Ann"}).content.decode()
    assert 'href="/o/tehran/customers/' in found
    assert ">bob<" not in found
    assert "Import customers" not in page  # a viewer does not import
    assert "Import customers" in client_as(Role.MANAGER).get(url).content.decode()


def test_the_customer_page_shows_interactions_contacts_and_segments(desk, client_as):
    segment_save(organisation=desk, name="Gold club", rules=GOLD)
    segment_save(
        organisation=desk,
        name="Silver",
        rules=[{"kind": "attribute", "field": "tier", "value": "silver"}],
    )
    ann = Customer.objects.get(organisation=desk, key="ann")
    page = client_as(Role.VIEWER).get(reverse("customers:detail", args=[desk.slug, ann.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        text.count('<a class="code" href="/o/tehran/interactions/') == 3
    )  # her three interactions
    assert "Gold club" in text and "Silver" not in text
    assert "Shiraz" in text  # an attribute
    assert page.context["activity"].contacts == 3


def test_a_manager_edits_a_customer_and_bad_attributes_are_refused(desk, client_as):
    client = client_as(Role.MANAGER)
    bob = Customer.objects.get(organisation=desk, key="bob")
    url = reverse("customers:edit", args=[desk.slug, bob.pk])
    bad = client.post(url, {"attributes": "tier gold"})
    assert bad.status_code == 200
    assert "Line 1: write name: value" in bad.content.decode()
    client.post(url, {"name": "Bob Roe", "attributes": "Tier: platinum\ncity: Yazd"})
    bob.refresh_from_db()
    assert (bob.name, bob.attributes) == ("Bob Roe", {"tier": "platinum", "city": "Yazd"})


def test_a_segment_is_written_with_rules_and_counted_live(desk, client_as):
    client = client_as(Role.MANAGER)
    count = client.get(
        reverse("customers:segment_count", args=[desk.slug]),
        {"attribute_1": "Tier", "value_1": "GOLD"},
    )
    assert "2 customers match these rules now." in count.content.decode()
    client.post(
        reverse("customers:segment_new", args=[desk.slug]),
        {
            "name": "Frequent gold",
            "attribute_1": "tier",
            "value_1": "gold",
            "contacts_at_least": "۳",  # Persian digits
            "contacts_days": "3650",
        },
    )
    segment = Segment.objects.get(organisation=desk, name="Frequent gold")
    assert segment.rules == [
        {"kind": "attribute", "field": "tier", "value": "gold"},
        {"kind": "contacts", "at_least": 3, "days": 3650},
    ]
    listing = client.get(reverse("customers:segments", args=[desk.slug])).content.decode()
    assert (
        "<bdi>tier is gold</bdi>; <bdi>3 or more contacts in the last 3,650 days</bdi>" in listing
    )
    # The same name again is refused with a message, nothing lost.
    again = client.post(
        reverse("customers:segment_new", args=[desk.slug]), {"name": "frequent GOLD"}
    )
    assert "There is already a segment called" in again.content.decode()
    # Deleting asks for confirmation.
    delete = reverse("customers:segment_delete", args=[desk.slug, segment.pk])
    client.post(delete, {})
    assert Segment.objects.filter(pk=segment.pk).exists()
    client.post(delete, {"confirm": "1"})
    assert not Segment.objects.filter(pk=segment.pk).exists()


def test_the_dashboard_levels_goal_and_api_follow_a_segment(desk, client_as):
    gold = segment_save(organisation=desk, name="Gold", rules=GOLD)
    client = client_as(Role.VIEWER)
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    dashboard = client.get(
        reverse("metrics:dashboard", args=[desk.slug]), {**period, "segment": str(gold.pk)}
    )
    assert dashboard.context["scope"].filters == {"segment": str(gold.pk)}
    assert f'<option value="{gold.pk}" selected>Gold</option>' in dashboard.content.decode()
    listing = client.get(
        reverse("metrics:interactions", args=[desk.slug]), {**period, "segment": str(gold.pk)}
    )
    assert listing.context["page"].paginator.count == 4
    level = client.get(
        reverse("goals:level", args=[desk.slug]), {**period, "segment": str(gold.pk)}
    )
    assert level.status_code == 200
    # The dashboard's level panel judges the same segment as the levels page.
    panel = client.get(
        reverse("goals:dashboard_panel", args=[desk.slug]), {**period, "segment": str(gold.pk)}
    )
    whole = client.get(reverse("goals:level", args=[desk.slug]), period)
    assert panel.context["goals_panel"]["level"]["criteria"] == level.context["criteria"]
    assert level.context["criteria"] != whole.context["criteria"]
    # A goal scoped to the segment measures the gold customers only: CSAT 4, 5, 2, 5.
    value = metric_value(
        organisation=desk,
        metric_key="csat_avg",
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 3, 31),
        scope={"segment": "Gold"},
    )
    assert value == pytest.approx(4.0)
    goal_make(desk, scope={"segment": "Gold"}, metric_key="csat_avg")
    api = ApiClient(make_token(desk, Role.VIEWER))
    kpis = api.get("/api/v1/orgs/tehran/metrics/kpis", {**period, "segment": "gold"}).json()
    assert kpis["kpis"]["contacts"] == 4
    assert kpis["filters"] == {"segment": "gold"}
    unknown = api.get("/api/v1/orgs/tehran/metrics/kpis", {**period, "segment": "platinum"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == [
        {"field": "segment", "message": "No segment “platinum” in this organisation."}
    ]
    level_api = api.get("/api/v1/orgs/tehran/level", {**period, "segment": "Gold"}).json()
    assert level_api["filters"] == {"segment": "Gold"}
    # Gold CSAT 4, 5, 2, 5: 75 % satisfied (the whole desk: 4 of 6 answers).
    assert level_api["measured"]["metrics"]["csat_pct"] == pytest.approx(75.0)
    whole = api.get("/api/v1/orgs/tehran/level", period).json()
    assert whole["measured"]["metrics"]["csat_pct"] == pytest.approx(100 * 4 / 6)


def test_the_api_lists_customers_one_customer_and_segments(desk):
    segment_save(organisation=desk, name="Gold", rules=GOLD)
    api = ApiClient(make_token(desk, Role.VIEWER))
    listed = api.get("/api/v1/orgs/tehran/customers", {"q": "ann"}).json()
    assert listed["count"] == 1
    ann = listed["customers"][0]
    assert (ann["customer_id"], ann["contacts"], ann["latest_csat"]) == ("ann", 3, 2)
    one = api.get("/api/v1/orgs/tehran/customers/bob").json()
    assert (one["attributes"], one["segments"]) == ({"tier": "Gold"}, ["Gold"])
    missing = api.get("/api/v1/orgs/tehran/customers/nobody")
    assert missing.status_code == 404
    segments = api.get("/api/v1/orgs/tehran/segments").json()
    assert [(s["name"], s["customers"], s["rules_text"]) for s in segments] == [
        ("Gold", 2, ["tier is gold"])
    ]


def test_the_customer_page_shows_their_survey_answers_to_whom_may_read_them(
    desk, client_as, member
):
    from django.test import Client

    from goaldesk.feedback import survey_services
    from goaldesk.feedback.models import QuestionKind
    from goaldesk.interactions.models import Interaction
    from goaldesk.team.models import Agent

    last = Interaction.objects.get(organisation=desk, customer_id="ann", csat=2)
    made = survey_services.invitation_create(organisation=desk, interaction=last, delivery="link")
    questions = {q.kind: q.pk for q in made.invitation.version.questions.all()}
    survey_services.response_submit(
        invitation=made.invitation,
        answers={
            str(questions[QuestionKind.CSAT]): 1,
            str(questions["text"]): "Nobody called back",
        },
    )
    ann = Customer.objects.get(organisation=desk, key="ann")
    url = reverse("customers:detail", args=[desk.slug, ann.pk])

    manager_page = client_as(Role.MANAGER).get(url).content.decode()
    assert "Nobody called back" in manager_page and "CSAT 1 of 5" in manager_page
    # A viewer reads no answers; an agent only those about their own interactions.
    assert 'id="survey-answers"' not in client_as(Role.VIEWER).get(url).content.decode()
    agent_user = member(Role.AGENT)
    client = Client()
    client.force_login(agent_user)
    assert "Nobody called back" not in client.get(url).content.decode()
    Agent.objects.filter(organisation=desk, key="ana").update(user=agent_user)
    assert "Nobody called back" in client.get(url).content.decode()


def test_a_renamed_segment_keeps_its_goals_and_one_in_use_is_not_deleted(desk, client_as):
    from goaldesk.goals.models import Goal

    gold = segment_save(organisation=desk, name="Gold", rules=GOLD)
    goal = goal_make(desk, title="Gold customers happy", scope={"segment": "gold"})
    segment_save(organisation=desk, name="Gold club", rules=GOLD, segment=gold)
    goal.refresh_from_db()
    assert goal.scope == {"segment": "Gold club"}

    manager = client_as(Role.MANAGER)
    url = reverse("customers:segment_delete", args=[desk.slug, gold.pk])
    page = manager.post(url, {"confirm": "1"}, follow=True)
    assert "still used by: “Gold customers happy”" in page.content.decode()
    assert Segment.objects.filter(pk=gold.pk).exists()
    Goal.objects.filter(pk=goal.pk).update(scope={})
    manager.post(url, {"confirm": "1"})
    assert not Segment.objects.filter(pk=gold.pk).exists()
