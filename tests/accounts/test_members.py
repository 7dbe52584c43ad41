"""Members: add, create, change role, remove; the last owner is protected."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goaldesk.accounts.models import Membership, Role
from tests.factories import AgentFactory, MembershipFactory, UserFactory


@pytest.fixture
def url(org):
    return reverse("accounts:members", args=[org.slug])


@pytest.fixture
def owner_client(client_as):
    return client_as(Role.OWNER)


def _role_of(org, username):
    return Membership.objects.get(organisation=org, user__username=username).role


def test_list_shows_members_and_roles(owner_client, org, url):
    MembershipFactory(organisation=org, user=UserFactory(username="nasrin"), role=Role.AGENT)
    page = owner_client.get(url).content.decode()
    assert "owner-user" in page and "nasrin" in page


def test_add_an_existing_user(owner_client, org, url):
    UserFactory(username="reza")
    response = owner_client.post(url, {"add-username": "reza", "add-role": Role.VIEWER})
    assert response.status_code == 302
    assert _role_of(org, "reza") == Role.VIEWER


def test_add_an_unknown_user_says_so(owner_client, org, url):
    response = owner_client.post(url, {"add-username": "nobody", "add-role": Role.VIEWER})
    assert response.context["add_form"].errors["username"] == ["There is no user called “nobody”."]


def test_add_someone_who_is_a_member_already(owner_client, org, url):
    response = owner_client.post(url, {"add-username": "owner-user", "add-role": Role.VIEWER})
    assert response.context["add_form"].errors["username"] == ["“owner-user” is already a member."]
    assert _role_of(org, "owner-user") == Role.OWNER


def test_create_a_new_user(owner_client, org, url):
    response = owner_client.post(
        url,
        {
            "new-username": "leila",
            "new-email": "",
            "new-role": Role.AGENT,
            "new-password1": "ripe mango on tuesday",
            "new-password2": "ripe mango on tuesday",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="leila")
    assert user.check_password("ripe mango on tuesday")
    assert _role_of(org, "leila") == Role.AGENT


def test_weak_password_is_refused_with_the_validators_messages(owner_client, url):
    response = owner_client.post(
        url,
        {
            "new-username": "leila",
            "new-role": Role.AGENT,
            "new-password1": "12345678",
            "new-password2": "12345678",
        },
    )
    errors = response.context["create_form"].errors["password1"]
    assert "This password is too common." in errors
    assert "This password is entirely numeric." in errors
    assert not get_user_model().objects.filter(username="leila").exists()
    assert 'value="leila"' in response.content.decode()


def test_passwords_that_differ(owner_client, url):
    response = owner_client.post(
        url,
        {
            "new-username": "leila",
            "new-role": Role.AGENT,
            "new-password1": "ripe mango on tuesday",
            "new-password2": "ripe mango on monday",
        },
    )
    assert response.context["create_form"].errors["password2"] == ["The two passwords differ."]


def test_taken_user_name(owner_client, url):
    UserFactory(username="reza")
    response = owner_client.post(
        url,
        {
            "new-username": "reza",
            "new-role": Role.AGENT,
            "new-password1": "ripe mango on tuesday",
            "new-password2": "ripe mango on tuesday",
        },
    )
    assert response.context["create_form"].errors["username"] == ["The user name “reza” is taken."]


def test_change_role(owner_client, org):
    m = MembershipFactory(organisation=org, user=UserFactory(username="nasrin"), role=Role.AGENT)
    url = reverse("accounts:member_role", args=[org.slug, m.pk])
    assert owner_client.post(url, {f"m{m.pk}-role": Role.MANAGER}).status_code == 302
    assert _role_of(org, "nasrin") == Role.MANAGER


def test_the_last_owner_cannot_be_demoted(owner_client, org):
    me = Membership.objects.get(organisation=org, user__username="owner-user")
    url = reverse("accounts:member_role", args=[org.slug, me.pk])
    response = owner_client.post(url, {f"m{me.pk}-role": Role.MANAGER})
    assert response.status_code == 400
    assert "owner-user is the only owner. Make someone else an owner first." in (
        response.content.decode()
    )
    assert _role_of(org, "owner-user") == Role.OWNER


def test_the_last_owner_cannot_be_removed(owner_client, org):
    me = Membership.objects.get(organisation=org, user__username="owner-user")
    response = owner_client.post(reverse("accounts:member_remove", args=[org.slug, me.pk]))
    assert response.status_code == 400
    assert "owner-user is the only owner and cannot be removed." in response.content.decode()
    assert Membership.objects.filter(pk=me.pk).exists()


def test_with_a_second_owner_an_owner_may_step_down(owner_client, org):
    MembershipFactory(organisation=org, user=UserFactory(username="second"), role=Role.OWNER)
    me = Membership.objects.get(organisation=org, user__username="owner-user")
    url = reverse("accounts:member_role", args=[org.slug, me.pk])
    assert owner_client.post(url, {f"m{me.pk}-role": Role.VIEWER}).status_code == 302
    assert _role_of(org, "owner-user") == Role.VIEWER


def test_remove_a_member_unlinks_their_agent_record(owner_client, org):
    user = UserFactory(username="nasrin")
    m = MembershipFactory(organisation=org, user=user, role=Role.AGENT)
    agent = AgentFactory(organisation=org, key="nasrin@example.com", user=user)
    assert (
        owner_client.post(reverse("accounts:member_remove", args=[org.slug, m.pk])).status_code
        == 302
    )
    assert not Membership.objects.filter(pk=m.pk).exists()
    agent.refresh_from_db()
    assert agent.user is None
    assert get_user_model().objects.filter(username="nasrin").exists()


def test_membership_of_another_organisation_is_404(owner_client, org, other_org):
    theirs = MembershipFactory(
        organisation=other_org, user=UserFactory(username="x"), role=Role.AGENT
    )
    url = reverse("accounts:member_remove", args=[org.slug, theirs.pk])
    assert owner_client.post(url).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()
