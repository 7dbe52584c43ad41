"""One interaction's page: every column, its reviews, notes and history; edit, note, delete."""

import datetime as dt
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Interaction, InteractionChange, InteractionNote, Review
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interactions_upsert
from tests.factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TEHRAN)


@pytest.fixture
def ticket(org):
    """One e-mail of customer C-77, answered after 30 minutes and resolved after 2 hours."""
    TeamFactory(organisation=org, name="Front desk")
    AgentFactory(organisation=org, key="sara@example.com", name="Sara Ahmed")
    AgentFactory(organisation=org, key="reza@example.com", name="Reza Karimi")
    interactions_upsert(
        organisation=org,
        records=[
            InteractionData(
                external_id="T-100",
                channel="email",
                created_at=_at("2026-03-02T09:00:00"),
                customer_id="C-77",
                agent="sara@example.com",
                team="Front desk",
                category="billing",
                first_response_at=_at("2026-03-02T09:30:00"),
                resolved_at=_at("2026-03-02T11:00:00"),
                status="resolved",
                handle_seconds=600,
                csat=4,
            )
        ],
    )
    return Interaction.objects.get(organisation=org, external_id="T-100")


class _FormValues(HTMLParser):
    """What a browser would send for the page's form as it is drawn (inputs and selects)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "hidden"):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select = a.get("name")
            self.values.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def _form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html[html.index('<form method="post"') :])
    return parser.values


def _url(name, org, interaction):
    return reverse(f"interactions:{name}", args=[org.slug, interaction.pk])


def test_the_page_shows_every_column_by_label_and_the_reviews_of_its_customer(
    org, ticket, client_as
):
    Review.objects.create(
        organisation=org,
        external_id="R-1",
        source="Google",
        date=dt.date(2026, 3, 3),
        rating=2,
        text="Billed twice",
        author="C-77",
    )
    Review.objects.create(
        organisation=org, external_id="R-2", source="Google", date=dt.date(2026, 3, 3), rating=5
    )
    page = client_as(Role.VIEWER).get(_url("detail", org, ticket)).content.decode()
    assert "E-mail" in page and "Billing" in page and "Resolved" in page
    assert "Sara Ahmed" in page and "Front desk" in page
    assert "C-77" in page
    assert "30 min" in page  # first response, formatted
    assert "Billed twice" in page  # the customer's review…
    assert page.count("Google") == 1  # …and not another customer's
    # A viewer reads; the buttons to change are not offered.
    assert _url("edit", org, ticket) not in page and _url("delete", org, ticket) not in page


def test_an_edit_records_before_and_after_and_recomputes_what_is_derived(org, ticket, client_as):
    client = client_as(Role.MANAGER)
    data = _form_values(client.get(_url("edit", org, ticket)).content.decode())
    assert data["created_at_1"] == "09:00" and data["channel"] == "email"
    data["first_response_at_1"] = "10:00"  # 60 minutes instead of 30
    data["agent"] = "reza@example.com"
    response = client.post(_url("edit", org, ticket), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    ticket.refresh_from_db()
    assert ticket.first_response_seconds == 3600
    assert ticket.agent.key == "reza@example.com"
    changes = {c.field: (c.before, c.after) for c in InteractionChange.objects.all()}
    assert changes == {
        "first_response_at": ("2026-03-02T09:30:00+03:30", "2026-03-02T10:00:00+03:30"),
        "agent": ("sara@example.com", "reza@example.com"),
    }
    page = client.get(_url("detail", org, ticket)).content.decode()
    history = page[page.index('id="history"') :]
    assert "manager-user" in history
    assert "First response at" in history and "Agent" in history
    assert "09:30" in history and "10:00" in history


def test_an_edit_is_checked_by_the_import_rules_and_changes_nothing_when_refused(
    org, ticket, client_as
):
    from goaldesk.interactions.records import RecordError
    from goaldesk.interactions.services import interaction_update

    with pytest.raises(RecordError) as refused:
        interaction_update(
            interaction=ticket, user=None, values={"resolved_at": "2026-03-02T08:00:00"}
        )
    assert refused.value.column == "resolved_at"
    assert "before the interaction was created" in str(refused.value)
    ticket.refresh_from_db()
    assert ticket.resolution_seconds == 7200
    assert not InteractionChange.objects.exists()


def test_the_edit_form_names_the_field_a_refused_value_belongs_to(org, ticket, client_as):
    client = client_as(Role.OWNER)
    response = client.post(
        _url("edit", org, ticket),
        {
            "channel": "email",
            "created_at_0": "2026/03/02",
            "created_at_1": "09:00",
            "status": "resolved",
            "csat": "9",
        },
    )
    assert response.status_code == 400
    assert "csat" in response.context["form"].errors
    assert "9" in response.context["form"].errors["csat"][0]
    ticket.refresh_from_db()
    assert ticket.csat == 4


def test_a_manager_adds_a_note_and_an_agent_only_on_their_own_interactions(
    org, ticket, client_as, member
):
    manager = client_as(Role.MANAGER)
    assert manager.post(_url("note", org, ticket), {"text": "  Called back.  "}).status_code == 302
    note = InteractionNote.objects.get()
    assert (note.text, note.author.username) == ("Called back.", "manager-user")
    assert "Called back." in manager.get(_url("detail", org, ticket)).content.decode()

    # An agent whose user is not the interaction's agent: refused, and offered no form.
    agent_user = member(Role.AGENT)
    agent = Client()
    agent.force_login(agent_user)
    assert agent.post(_url("note", org, ticket), {"text": "x"}).status_code == 403
    assert _url("note", org, ticket) not in agent.get(_url("detail", org, ticket)).content.decode()

    # Once linked to the interaction's agent record, they may.
    ticket.agent.user = agent_user
    ticket.agent.save()
    assert agent.post(_url("note", org, ticket), {"text": "Refund sent."}).status_code == 302
    assert InteractionNote.objects.count() == 2

    # An empty note is refused with the field named.
    response = manager.post(_url("note", org, ticket), {"text": "   "})
    assert response.status_code == 400 and InteractionNote.objects.count() == 2


def test_only_the_owner_deletes_after_confirming_and_the_deletion_is_recorded(
    org, ticket, client_as
):
    url = _url("delete", org, ticket)
    manager = client_as(Role.MANAGER)
    assert manager.post(url).status_code == 403
    assert manager.get(url).status_code == 403
    owner = client_as(Role.OWNER)
    confirm = owner.get(url)
    assert confirm.status_code == 200 and b'method="post"' in confirm.content
    assert Interaction.objects.filter(pk=ticket.pk).exists()  # asking deletes nothing

    response = owner.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("metrics:interactions", args=[org.slug])
    assert not Interaction.objects.filter(pk=ticket.pk).exists()
    record = InteractionChange.objects.get(action=InteractionChange.Action.DELETED)
    assert (record.interaction_number, record.external_id) == (ticket.pk, "T-100")
    assert record.user.username == "owner-user"
    assert '"customer_id": "C-77"' in record.before


def test_the_history_shows_moments_in_the_readers_calendar(org, ticket, client_as):
    from goaldesk.interactions.services import interaction_update

    org.calendar = "jalali"
    org.save()
    ticket.refresh_from_db()
    interaction_update(interaction=ticket, user=None, values={"resolved_at": "2026-03-02T12:30:00"})
    page = client_as(Role.VIEWER).get(_url("detail", org, ticket)).content.decode()
    history = page[page.index('id="history"') :]
    # 2 March 2026 is 11 Esfand 1404.
    assert "1404/12/11 11:00" in history and "1404/12/11 12:30" in history
    assert "2026-03-02" not in history  # not the canonical text the change was stored as
