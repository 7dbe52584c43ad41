"""factory_boy factories, one per model the tests build."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.interactions.models import Interaction
from goaldesk.team.models import Agent, Team


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    timezone = "UTC"
    language = "en"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OWNER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"agent{n}@example.com")
    name = factory.Sequence(lambda n: f"Agent {n}")


class InteractionFactory(factory.django.DjangoModelFactory):
    """A bare interaction row; tests that need derived columns write through the services."""

    class Meta:
        model = Interaction

    organisation = factory.SubFactory(OrganisationFactory)
    external_id = factory.Sequence(lambda n: f"T-{n}")
    channel = "email"
    created_at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    local_date = dt.date(2026, 3, 2)
    status = "open"
