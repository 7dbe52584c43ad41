"""Persona cards (feedback/): what a manager writes about a segment beside what its
interactions say. Kept beside the customer tests for their small desk of customers."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.customers.services import segment_save
from goaldesk.feedback.models import Persona
from goaldesk.feedback.persona_selectors import persona_card
from tests.goals.factories import goal_make

pytestmark = pytest.mark.django_db

GOLD = [{"kind": "attribute", "field": "tier", "value": "gold"}]


def test_the_card_says_what_the_segments_interactions_say(desk):
    gold = segment_save(organisation=desk, name="Gold", rules=GOLD)
    targeting = goal_make(desk, title="Delight gold", scope={"segment": "gold"})
    goal_make(desk, title="Walk-ins", scope={"channel": "walk_in"})
    card = persona_card(
        organisation=desk,
        segment=gold,
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 3, 31),
    )
    # ann (3 e-mails: billing, repair, billing) and bob (1 call, billing), all at 09:00 UTC,
    # 12:30 in Tehran; CSAT 4, 5, 2, 5.
    assert (card.customers, card.contacts) == (2, 4)
    assert card.channels == [("E-mail", 75.0), ("Phone", 25.0)]
    assert card.categories == [("Billing", 75.0), ("Repair", 25.0)]
    assert card.hours == [(12, 100.0)]
    assert card.csat_pct == pytest.approx(75.0)
    assert card.csat_avg == pytest.approx(4.0)
    assert card.nps is None
    assert card.goals == [targeting]


def test_a_manager_writes_the_persona_and_everyone_reads_it(desk, client_as):
    gold = segment_save(organisation=desk, name="Gold", rules=GOLD)
    manager = client_as(Role.MANAGER)
    edit = reverse("feedback:persona_edit", args=[desk.slug, gold.pk])
    assert manager.get(edit).context["form"].initial == {"name": "Gold"}
    manager.post(edit, {"name": "Loyal Leila", "description": "Buys every season."})
    persona = Persona.objects.get(segment=gold)
    assert (persona.name, persona.description) == ("Loyal Leila", "Buys every season.")
    page = client_as(Role.VIEWER).get(
        reverse("feedback:personas", args=[desk.slug]),
        {"period": "custom", "from": "2026-03-01", "to": "2026-03-31"},
    )
    text = page.content.decode()
    assert "Loyal Leila" in text and "Buys every season." in text
    assert "Write the persona" not in text and "Edit the persona" not in text  # a viewer
