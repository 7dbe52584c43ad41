"""Fixtures shared by every test: organisations, members in each role, signed-in clients."""

import pytest
from django.test import Client
from django.utils import timezone, translation

from goaldesk.accounts.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

ROLES = [Role.OWNER, Role.MANAGER, Role.AGENT, Role.VIEWER]
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests check behaviour, not the hash's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_and_utc():
    """Each test starts in English and UTC, whatever an earlier page or command activated."""
    translation.activate("en")
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own directory, never to ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Tehran Desk", slug="tehran", timezone="Asia/Tehran")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Berlin Support", slug="berlin", timezone="Europe/Berlin")


@pytest.fixture
def member(org):
    """member(role) → a user with that role in `org`."""

    def make(role: str = Role.OWNER):
        user = UserFactory(username=f"{role}-user")
        MembershipFactory(user=user, organisation=org, role=role)
        return user

    return make


@pytest.fixture
def client_as(member):
    """client_as(role) → a test client signed in as a member of `org` with that role."""

    def make(role: str = Role.OWNER) -> Client:
        client = Client()
        client.force_login(member(role))
        return client

    return make


@pytest.fixture
def outsider_client(other_org):
    """A client signed in as an owner of another organisation."""
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, organisation=other_org, role=Role.OWNER)
    client = Client()
    client.force_login(user)
    return client
