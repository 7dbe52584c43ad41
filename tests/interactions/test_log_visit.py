"""The walk-in desk's "log a visit" form (org `tehran`, Asia/Tehran = UTC+03:30)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Interaction
from tests.factories import AgentFactory, InteractionFactory, TeamFactory

URL = "/o/tehran/log/"
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def form_fields(response) -> dict[str, str]:
    """The hidden and prefilled values the form was rendered with."""
    html = response.content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html)[1]
        for name in ("visit_id", "shown_at", "arrived_at")
    }


@pytest.fixture
def agent_client(client_as, org):
    client = client_as(Role.AGENT)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="agent-user")
    team = TeamFactory(organisation=org, name="Front desk")
    AgentFactory(organisation=org, key="sara@example.com", name="Sara", user=user, team=team)
    return client


@pytest.mark.django_db
class TestLogVisit:
    def test_saves_one_walk_in_visit_with_the_chosen_fields(self, agent_client, org):
        page = agent_client.get(URL)
        assert page.status_code == 200
        shown = form_fields(page)
        before = timezone.now()
        response = agent_client.post(
            URL,
            {
                **shown,
                "category": "returns",
                "outcome": "success",
                "csat": "4",
                "sentiment_start": "negative",
                "sentiment_end": "positive",
                "customer_id": "C-۱۲۳",  # Persian digits
            },
            follow=True,
        )
        after = timezone.now()
        assert response.status_code == 200
        assert Interaction.objects.count() == 1
        visit = Interaction.objects.get()
        assert visit.organisation == org
        assert visit.channel == "walk_in"
        assert re.fullmatch(r"visit-[0-9a-f]{32}", visit.external_id)
        assert visit.category == "returns"
        assert (visit.outcome, visit.status) == ("success", "resolved")
        assert visit.csat == 4
        assert (visit.sentiment_start, visit.sentiment_end) == ("negative", "positive")
        assert visit.customer_id == "C-123"
        assert visit.agent.key == "sara@example.com"
        assert visit.team.name == "Front desk"
        assert before <= visit.created_at <= after  # arrival left as shown: now
        assert visit.local_date == before.astimezone(TEHRAN).date()
        # …and the form is back, empty, ready for the next visitor, with today's count
        html = response.content.decode()
        assert "Visit saved" in html
        assert "1 visit today" in html
        assert re.search(r"<input[^>]*checked", html) is None  # no tile left selected
        assert form_fields(response)["visit_id"] != shown["visit_id"]

    def test_not_solved_and_an_earlier_arrival_time(self, agent_client, org):
        shown = form_fields(agent_client.get(URL))
        now_local = timezone.now().astimezone(TEHRAN)
        if now_local.hour == 0 and now_local.minute < 5:
            pytest.skip("five minutes after midnight there is no earlier time today")
        earlier = now_local - dt.timedelta(minutes=5)
        agent_client.post(
            URL,
            {**shown, "outcome": "failure", "arrived_at": earlier.strftime("%H:%M")},
        )
        visit = Interaction.objects.get()
        assert (visit.outcome, visit.status, visit.resolved_at) == ("failure", "unresolved", None)
        assert visit.created_at == earlier.replace(second=0, microsecond=0)
        assert visit.category == ""
        assert visit.csat is None

    def test_solved_visit_is_resolved_when_logged(self, agent_client):
        shown = form_fields(agent_client.get(URL))
        agent_client.post(URL, {**shown, "outcome": "success", "arrived_at": "00:00"})
        visit = Interaction.objects.get()
        local_midnight = (
            timezone.now().astimezone(TEHRAN).replace(hour=0, minute=0, second=0, microsecond=0)
        )
        assert visit.created_at == local_midnight
        assert visit.resolution_seconds == pytest.approx(
            (visit.resolved_at - local_midnight).total_seconds()
        )
        assert visit.resolved_at <= timezone.now()

    def test_persian_digits_in_the_arrival_time(self, agent_client):
        shown = form_fields(agent_client.get(URL))
        agent_client.post(URL, {**shown, "outcome": "success", "arrived_at": "۰۰:۰۱"})
        local = Interaction.objects.get().created_at.astimezone(TEHRAN)
        if timezone.now().astimezone(TEHRAN).time() >= dt.time(0, 1):
            assert (local.hour, local.minute) == (0, 1)

    def test_another_category_typed_in(self, agent_client):
        shown = form_fields(agent_client.get(URL))
        agent_client.post(
            URL,
            {**shown, "category": "returns", "other_category": "Warranty", "outcome": "success"},
        )
        assert Interaction.objects.get().category == "Warranty"

    @pytest.mark.parametrize(
        ("change", "field_error"),
        [
            ({"outcome": ""}, "Choose solved or not solved."),
            ({"arrived_at": "25:00"}, "is not a time of day"),
            ({"arrived_at": "23:59"}, "later than now"),
            ({"csat": "7"}, "Select a valid choice"),
        ],
    )
    def test_bad_input_saves_nothing_and_says_why(self, agent_client, change, field_error):
        now_local = timezone.now().astimezone(TEHRAN)
        if change.get("arrived_at") == "23:59" and now_local.time() >= dt.time(23, 59):
            pytest.skip("23:59 is not in the future now")
        shown = form_fields(agent_client.get(URL))
        response = agent_client.post(URL, {**shown, "outcome": "success", **change})
        assert response.status_code == 200
        assert field_error in response.content.decode()
        assert not Interaction.objects.exists()

    def test_posting_the_same_form_twice_saves_one_visit(self, agent_client):
        shown = form_fields(agent_client.get(URL))
        for _ in range(2):
            agent_client.post(URL, {**shown, "outcome": "success"})
        assert Interaction.objects.count() == 1

    def test_recent_categories_come_first_then_defaults(self, agent_client, org):
        today = timezone.now().astimezone(TEHRAN).date()
        for n in range(3):
            InteractionFactory(
                organisation=org, category="SIM cards", local_date=today, external_id=f"s{n}"
            )
        InteractionFactory(
            organisation=org, category="Old thing", local_date=today - dt.timedelta(days=40)
        )
        html = agent_client.get(URL).content.decode()
        values = re.findall(r'name="category" value="([^"]*)"', html)
        assert values[0] == "SIM cards"
        assert "Old thing" not in values
        assert {"question", "returns", "repair"} <= set(values)

    def test_without_a_linked_agent(self, client_as):
        client = client_as(Role.MANAGER)
        shown = form_fields(client.get(URL))
        client.post(URL, {**shown, "outcome": "success"})
        assert Interaction.objects.get().agent is None

    def test_counts_only_todays_walk_ins(self, agent_client, org):
        today = timezone.now().astimezone(TEHRAN).date()
        InteractionFactory(organisation=org, channel="walk_in", local_date=today)
        InteractionFactory(organisation=org, channel="phone", local_date=today)
        InteractionFactory(
            organisation=org, channel="walk_in", local_date=today - dt.timedelta(days=1)
        )
        assert "1 visit today" in agent_client.get(URL).content.decode()


@pytest.mark.django_db
class TestAccess:
    def test_viewer_gets_403(self, client_as):
        client = client_as(Role.VIEWER)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"outcome": "success"}).status_code == 403
        assert not Interaction.objects.exists()

    def test_other_organisations_member_gets_404(self, org, outsider_client):
        assert outsider_client.get(URL).status_code == 404
        assert outsider_client.post(URL, {"outcome": "success"}).status_code == 404
        assert not Interaction.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, org, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert "next=" in response["Location"]
