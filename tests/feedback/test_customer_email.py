"""Where an e-mail invitation goes: the customer record's address, else the customer id when
that is an address, else nowhere (the invitation is refused with a message)."""

import pytest

from goaldesk.customers.models import Customer
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.survey_selectors import addressee
from tests.feedback.conftest import interaction


def test_the_customer_records_address_comes_first(org):
    kept = interaction(org, "E-1", customer="C-1")
    Customer.objects.filter(organisation=org, key="C-1").update(email="nadia@example.org")
    assert addressee(kept).email == "nadia@example.org"
    made = services.invitation_create(organisation=org, interaction=kept, delivery="email")
    assert made.invitation.email == "nadia@example.org"


def test_else_the_customer_id_when_it_is_an_address(org):
    by_id = interaction(org, "E-2", customer="reza@example.org")
    assert addressee(by_id).email == "reza@example.org"
    # A record whose address is not one does not hide the id's.
    Customer.objects.filter(organisation=org, key="reza@example.org").update(email="none")
    assert addressee(by_id).email == "reza@example.org"


def test_no_address_refuses_the_e_mail_invitation(org):
    nameless = interaction(org, "E-3", customer="C-3")
    assert addressee(nameless).email == ""
    with pytest.raises(services.ValidationError, match="No e-mail address"):
        services.invitation_create(organisation=org, interaction=nameless, delivery="email")


def test_another_organisations_record_is_not_used(org, other_org):
    interaction(other_org, "X-1", customer="C-9")
    Customer.objects.filter(organisation=other_org, key="C-9").update(email="x@example.org")
    assert addressee(interaction(org, "E-9", customer="C-9")).email == ""
