"""The permission matrix: every organisation page for every kind of visitor.

Each URL of /o/<org_slug>/… is listed here with the lowest role that may read it (GET) and the
lowest role that may change something through it (POST). A new URL that is not listed fails
`test_every_organisation_url_is_in_the_matrix`, so nothing goes unchecked.
"""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goaldesk.accounts.models import (
    ROLE_RANK,
    ApiToken,
    Holiday,
    Invitation,
    Membership,
    Role,
    hash_token,
)
from goaldesk.forecasting.models import ForecastRun
from goaldesk.interactions.models import ImportJob
from goaldesk.scheduling.models import Schedule, ScheduledShift, ShiftSwap
from goaldesk.team.models import Skill
from tests.factories import (
    AgentFactory,
    InteractionFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)
from tests.goals.factories import goal_make, objective_make

V, A, M, O = Role.VIEWER, Role.AGENT, Role.MANAGER, Role.OWNER  # noqa: E741

#: url name → (lowest role for GET, lowest role for POST); None: the method is not offered.
MATRIX = {
    "metrics:dashboard": (V, None),
    # Customers, segments and personas: every member reads, managers write.
    "customers:list": (V, None),
    "customers:detail": (V, None),
    "customers:edit": (M, M),
    "customers:segments": (V, None),
    "customers:segment_new": (M, M),
    "customers:segment_count": (M, None),
    "customers:segment_edit": (M, M),
    "customers:segment_delete": (None, M),
    "feedback:personas": (V, None),
    "feedback:persona_edit": (M, M),
    "metrics:breakdown": (V, None),
    "metrics:interactions": (V, None),
    "metrics:interactions_csv": (V, None),
    "metrics:interactions_xlsx": (V, None),
    "metrics:reviews": (V, None),
    "interactions:detail": (V, None),
    "interactions:edit": (M, M),
    # Agents: only on interactions of their own agent record (tests/interactions/test_record_pages.py).
    "interactions:note": (None, M),
    "interactions:delete": (O, O),
    "interactions:log_visit": (A, A),
    "interactions:categories": (M, M),
    "imports:start": (M, M),
    "imports:template_csv": (M, None),
    "imports:template_xlsx": (M, None),
    "imports:job": (M, None),
    "imports:mapping": (M, M),
    "imports:progress": (M, None),
    "imports:rejected_csv": (M, None),
    "imports:for_real": (None, M),
    "imports:retry": (None, M),
    "imports:values": (M, M),
    "accounts:settings": (V, None),
    "accounts:settings_general": (M, O),
    "accounts:settings_hours": (M, O),
    "accounts:settings_holidays": (M, O),
    "accounts:holiday_delete": (None, O),
    "accounts:members": (O, O),
    "accounts:member_role": (None, O),
    "accounts:member_remove": (None, O),
    # Owners invite to any role, managers up to manager (tests/accounts/test_invitations.py).
    "accounts:invitations": (M, M),
    "accounts:invitation_revoke": (None, M),
    "accounts:invitation_resend": (None, M),
    "accounts:tokens": (O, O),
    "accounts:token_revoke": (None, O),
    "team:teams": (V, M),
    "team:team_edit": (M, M),
    "team:agents": (V, None),
    "team:agent_create": (M, M),
    "team:agent_edit": (M, M),
    "team:agent_set_active": (None, M),
    "team:agent_merge": (M, M),
    "team:skills": (V, M),
    "team:skill_edit": (M, M),
    # Agents: also their own record's page, read only (tests/team/test_skill_pages.py).
    "team:agent_skills": (M, M),
    "team:my_skills": (V, None),
    # Who is short of which skill at the week's peaks: for the people who plan, managers and owners.
    "coaching:skills": (M, None),
    "goals:list": (V, None),
    "goals:new": (M, M),
    "goals:check": (None, M),
    "goals:strategy": (V, M),
    "goals:business_goal_edit": (M, M),
    "goals:level": (V, None),
    "goals:dashboard_panel": (V, None),
    "goals:level_thresholds": (O, O),
    "goals:detail": (V, None),
    "goals:edit": (M, M),
    "goals:objective_add": (None, M),
    "goals:confidence": (None, A),
    "goals:objective_edit": (M, M),
    "goals:objective_toggle": (None, M),  # agents: only their own (tests/goals/test_views.py)
    "goals:my_objectives": (V, None),
    "forecasting:home": (V, None),
    "forecasting:forecast_start": (None, M),
    "forecasting:run": (V, None),
    "forecasting:run_progress": (V, None),
    "forecasting:run_retry": (None, M),
    "forecasting:upload": (M, M),
    "forecasting:peaks": (V, None),
    "forecasting:staffing": (V, M),
    "forecasting:staffing_preview": (V, None),
    "scheduling:schedule_home": (V, M),
    "scheduling:schedule_detail": (V, None),
    "scheduling:schedule_progress": (V, None),
    "scheduling:schedule_retry": (None, M),
    "scheduling:schedule_shift_add": (None, M),
    "scheduling:schedule_shift_edit": (None, M),
    "scheduling:schedule_publish": (None, M),
    "scheduling:schedule_export": (V, None),
    "scheduling:swap_decide": (None, M),
    "scheduling:schedule_profiles": (M, None),
    "scheduling:schedule_profile": (M, M),
    "scheduling:schedule_profile_feed_revoke": (None, M),
    "scheduling:schedule_rules": (M, M),
    # The day as it happens is for the people who move staff during it: managers and owners.
    "scheduling:today": (M, None),
    # Any member may ask; only a member linked to an agent record gets shifts (else a message).
    "scheduling:my_shifts": (V, None),
    "scheduling:my_feed_revoke": (None, V),
    "scheduling:swap_offer": (None, V),
    "scheduling:swap_take": (None, V),
    "scheduling:swap_withdraw": (None, V),
    # The pulse: results in aggregate for agents and above; anyone may open the answer page, but
    # only the people asked (agents, members linked to an agent record) are counted
    # (tests/coaching/test_pulse_views.py).
    "coaching:pulse": (A, None),
    "coaching:pulse_answer": (V, V),
    "coaching:pulse_settings": (M, M),
    "coaching:pulse_open": (None, M),
    # Scorecards: managers see all; an agent their own, others and viewers as the settings
    # allow (tests/coaching/test_scorecard_views.py).
    "coaching:scorecards": (V, None),
    "coaching:scorecard": (M, None),
    "coaching:ranking": (V, None),  # managers only when public rankings are off
    "coaching:recognitions": (V, A),
    "coaching:settings": (M, M),
    # Quality reviews: agents see only reviews of their own interactions (the matrix's review is
    # of the agent member's own agent record; another agent's is 404: tests/coaching/).
    "coaching:quality": (A, None),
    "coaching:queue_fill": (None, M),
    "coaching:queue_rules": (M, M),
    "coaching:rubrics": (M, None),
    "coaching:rubric_new": (M, M),
    "coaching:rubric_edit": (M, M),
    "coaching:review_new": (M, M),
    "coaching:review": (A, None),
    "coaching:review_edit": (M, M),
    "coaching:review_delete": (None, M),
    "coaching:review_acknowledge": (None, A),
    "coaching:review_dispute": (None, A),
    "coaching:review_resolve": (None, M),
    "coaching:calibration": (M, None),
    # Surveys: comments for agents and above, an agent seeing only answers about their own
    # interactions (tests/feedback/test_survey_pages.py); the public survey page /s/<token>/
    # answers a real token only (test_a_survey_link_answers_only_for_a_real_token below).
    "feedback:surveys": (V, None),
    "feedback:survey_new": (M, M),
    "feedback:survey_edit": (M, M),
    "feedback:survey_rules": (M, M),
    "feedback:survey_invitations": (V, M),
    "feedback:survey_invitation_withdraw": (None, M),
    "feedback:survey_comments": (A, None),
    # The FAQ: managers write it; agents read every article, drafts included, read only.
    "knowledge:articles": (A, None),
    "knowledge:article_new": (None, M),
    "knowledge:article": (A, None),
    "knowledge:article_edit": (M, M),
    "knowledge:article_state": (None, M),
    "knowledge:categories": (M, M),
    "knowledge:category_edit": (M, M),
    "knowledge:failing": (M, None),
}


def _organisation_routes():
    """url name → route, for every URL under /o/<org_slug>/."""

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                yield f"{namespace}:{p.name}", prefix + str(p.pattern)

    return {
        name: route
        for name, route in walk(get_resolver().url_patterns)
        if "<slug:org_slug>" in route
    }


def test_every_organisation_url_is_in_the_matrix():
    assert set(_organisation_routes()) == set(MATRIX)


def _goal_objects(organisation):
    goal = goal_make(organisation)
    return {
        "goal_id": goal.pk,
        "objective_id": objective_make(goal).pk,
        "business_goal_id": goal.business_goal_id,
    }


@pytest.fixture
def objects(org):
    """One object of each kind the URLs point at, in `org`."""
    team = TeamFactory(organisation=org)
    other = MembershipFactory(organisation=org, user=UserFactory(username="someone"), role=V)
    job = ImportJob.objects.create(organisation=org, original_name="x.csv", mapping={})
    job.file.save("x.csv", ContentFile(b"external_id,channel,created_at\n"), save=True)
    return {
        "holiday_id": Holiday.objects.create(organisation=org, date=dt.date(2026, 3, 21)).pk,
        "membership_id": other.pk,
        "token_id": ApiToken.objects.create(
            organisation=org, name="t", prefix="gd_x", token_hash=hash_token("gd_x")
        ).pk,
        "invitation_id": _invitation(org, "gd_inv_x"),
        "team_id": team.pk,
        "agent_id": AgentFactory(organisation=org, team=team).pk,
        "skill_id": Skill.objects.create(organisation=org, kind="product", code="x", name="X").pk,
        "pk": InteractionFactory(organisation=org).pk,
        "job_id": job.pk,
        "by": "channel",
        "run_id": ForecastRun.objects.create(organisation=org).pk,
        **_goal_objects(org),
        **_schedule_objects(org),
        **_quality_objects(org),
        **_survey_objects(org),
        **_knowledge_objects(org),
        **_customer_objects(org),
    }


def _survey_id(organisation):
    """The ready-made survey every organisation gets."""
    from goaldesk.feedback.models import Survey

    return Survey.objects.get(organisation=organisation).pk


def _survey_objects(organisation):
    """The ready-made survey and a link invitation about one interaction."""
    from goaldesk.feedback.survey_services import invitation_create

    interaction = InteractionFactory(
        organisation=organisation, external_id="SURVEYED", status="resolved"
    )
    made = invitation_create(organisation=organisation, interaction=interaction, delivery="link")
    return {"survey_id": _survey_id(organisation), "survey_invitation_id": made.invitation.pk}


def _customer_objects(organisation):
    from goaldesk.customers.models import Customer, Segment

    customer = Customer.objects.create(organisation=organisation, key="C-1")
    segment = Segment.objects.create(organisation=organisation, name="Gold", rules=[])
    return {"customer_id": customer.pk, "segment_id": segment.pk}


def _quality_objects(organisation):
    """A rubric and a review of an interaction of the agent whom the agent member
    ("agent-user", see conftest's `member`) is."""
    from tests.coaching.factories import review_make, rubric_make

    agent = AgentFactory(organisation=organisation, user=UserFactory(username="agent-user"))
    interaction = InteractionFactory(organisation=organisation, agent=agent)
    rubric = rubric_make(organisation)
    review = review_make(interaction, rubric.versions.get(), UserFactory(username="reviewer"))
    return {"rubric_id": rubric.pk, "review_id": review.pk}


def _knowledge_objects(organisation):
    """A published FAQ article (with an English text) in a category."""
    from goaldesk.knowledge import services

    category = services.category_save(organisation=organisation, names={"en": "Billing"})
    article = services.article_create(organisation=organisation, user=None, category=category)
    services.article_translation_save(
        article=article, language="en", title="Refunds", body="Within 14 days.", user=None
    )
    services.article_state_set(article=article, state="published", user=None)
    return {"article_id": article.pk, "category_id": category.pk}


def _invitation(organisation, raw):
    """A pending invitation (agent role, so managers may manage it too); returns its id."""
    return Invitation.objects.create(
        organisation=organisation,
        email=f"{raw}@example.org",
        role=A,
        token_hash=hash_token(raw),
        expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
    ).pk


def _schedule_objects(organisation):
    """A finished schedule with one shift offered for a swap (ids for the scheduling URLs)."""
    schedule = Schedule.objects.create(
        organisation=organisation, week_start=dt.date(2026, 3, 7), state=Schedule.State.DONE
    )
    agent = AgentFactory(organisation=organisation)
    start = dt.datetime(2026, 3, 7, 9, tzinfo=dt.UTC)
    shift = ScheduledShift.objects.create(
        schedule=schedule, agent=agent, start=start, end=start + dt.timedelta(hours=8)
    )
    swap = ShiftSwap.objects.create(shift=shift, offered_by=agent)
    return {"schedule_id": schedule.pk, "shift_id": shift.pk, "swap_id": swap.pk}


def _url(name, org, objects):
    params = re.findall(r"<(?:\w+:)?(\w+)>", _organisation_routes()[name])
    kwargs = {p: objects[p] for p in params if p != "org_slug"}
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


def _expected(allowed_from, role):
    return ROLE_RANK[role] >= ROLE_RANK[allowed_from]


def _request(client, method, url):
    return client.get(url) if method == "get" else client.post(url, {})


@pytest.mark.parametrize(
    ("name", "method", "allowed_from"),
    [
        (name, method, allowed_from)
        for name, roles in sorted(MATRIX.items())
        for method, allowed_from in zip(("get", "post"), roles, strict=True)
        if allowed_from is not None
    ],
)
def test_each_role_gets_exactly_what_the_matrix_allows(
    name, method, allowed_from, org, objects, client_as, client, outsider_client
):
    url = _url(name, org, objects)

    anonymous = _request(client, method, url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]

    assert _request(outsider_client, method, url).status_code == 404

    for role in (V, A, M, O):
        status = _request(client_as(role), method, url).status_code
        if _expected(allowed_from, role):
            assert status not in (401, 403, 404, 500), f"{role} {method} {url}: {status}"
        else:
            assert status == 403, f"{role} {method} {url}: {status}"


@pytest.mark.parametrize(
    "name",
    [n for n in sorted(MATRIX) if re.search(r"<int:", _organisation_routes()[n])],
)
def test_an_object_of_another_organisation_is_not_found_through_ones_own(
    name, org, other_org, member, client
):
    """An owner of `org` asking for `other_org`'s objects under their own slug gets 404."""
    foreign = {
        "holiday_id": Holiday.objects.create(organisation=other_org, date=dt.date(2026, 1, 1)).pk,
        "membership_id": MembershipFactory(organisation=other_org, role=V).pk,
        "token_id": ApiToken.objects.create(
            organisation=other_org, name="t", prefix="gd_y", token_hash=hash_token("gd_y")
        ).pk,
        "invitation_id": _invitation(other_org, "gd_inv_y"),
        "team_id": TeamFactory(organisation=other_org).pk,
        "agent_id": AgentFactory(organisation=other_org).pk,
        "skill_id": Skill.objects.create(organisation=other_org, kind="product", code="y").pk,
        "pk": InteractionFactory(organisation=other_org).pk,
        "job_id": ImportJob.objects.create(organisation=other_org, original_name="y.csv").pk,
        "by": "channel",
        "run_id": ForecastRun.objects.create(organisation=other_org).pk,
        **_goal_objects(other_org),
        **_schedule_objects(other_org),
        **_quality_objects(other_org),
        **_survey_objects(other_org),
        **_knowledge_objects(other_org),
        **_customer_objects(other_org),
    }
    url = _url(name, org, foreign)
    client.force_login(member(O))
    for method, allowed_from in zip(("get", "post"), MATRIX[name], strict=True):
        if allowed_from is not None:
            assert _request(client, method, url).status_code == 404, f"{method} {url}"
    assert Holiday.objects.filter(organisation=other_org).exists()
    assert Membership.objects.filter(organisation=other_org).exists()


#: Pages outside any organisation (no `org_slug`): url name → who may use them.
#: "signed in": any signed-in user, whatever their roles; "new installation": anybody, but only
#: while no user exists (afterwards it is 404 for everyone, so it cannot take an installation over).
#: "signed in, POST only": the same, but GET answers 405 (it would change data).
ACCOUNT_PAGES = {
    "accounts:organisation_new": "signed in",
    "accounts:first_run": "new installation",
    "notifications:list": "signed in",
    "notifications:preferences": "signed in",
    "notifications:read_all": "signed in, POST only",
}


@pytest.mark.parametrize(("name", "who"), sorted(ACCOUNT_PAGES.items()))
def test_pages_outside_organisations_answer_whom_the_table_says(
    name, who, org, client_as, client, django_user_model, request
):
    url = reverse(name)
    if who == "new installation":
        assert not django_user_model.objects.exists()
        assert client.get(url).status_code == 200
    outsider_client = request.getfixturevalue("outsider_client")  # makes the first users
    signed_in = [outsider_client, *(client_as(role) for role in (V, A, M, O))]
    for method in ("get", "post"):
        anonymous = _request(client, method, url)
        expected = {"signed in": 200, "new installation": 404}.get(who)
        if who == "signed in, POST only":
            expected = 405 if method == "get" else 302
        for visitor in signed_in:
            status = _request(visitor, method, url).status_code
            assert status == expected, f"{method} {url}"
        if who.startswith("signed in"):
            assert anonymous.status_code == 302
            assert reverse("accounts:login") in anonymous["Location"]
        else:
            assert anonymous.status_code == 404
    assert Membership.objects.filter(role=O).count() == 2  # nothing was created by the posts


#: Pages of one's own objects outside organisations: url name → the object's kind.
OWN_OBJECT_PAGES = {
    "notifications:read": "notification",
    "notifications:open": "notification",
}


@pytest.mark.parametrize("name", sorted(OWN_OBJECT_PAGES))
def test_ones_own_objects_are_not_found_by_anybody_else(name, org, member, client_as, client):
    """POST only: the owner of the object is answered; anybody else, whatever their role in
    the same organisation, gets 404 and changes nothing; GET changes nothing either."""
    from goaldesk.notifications.models import Notification

    owner = member(V)
    notification = Notification.objects.create(
        recipient=owner, organisation=org, kind="goal_achieved", params={"goal": "CSAT"}
    )
    url = reverse(name, args=[notification.pk])
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    for role in (A, M, O):
        assert client_as(role).post(url).status_code == 404, f"{role} {url}"
    client.force_login(owner)
    assert client.get(url).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client.post(url).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_every_notifications_page_is_in_a_table():
    """Each URL of notifications (none is under an organisation) is listed above (the unsubscribe
    page answers a signed link instead: tests/notifications/test_notify.py)."""
    from goaldesk.notifications.urls import urlpatterns

    names = {f"notifications:{p.name}" for p in urlpatterns} - {"notifications:unsubscribe"}
    assert names == {n for n in {*ACCOUNT_PAGES, *OWN_OBJECT_PAGES} if n.startswith("notif")}


#: Pages for anybody, signed in or not (asking for a new password, the pages after it).
OPEN_PAGES = [
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
]


@pytest.mark.parametrize("name", OPEN_PAGES)
def test_open_pages_answer_anybody(name, client, client_as, outsider_client):
    url = reverse(name)
    for visitor in (client, outsider_client, client_as(V), client_as(O)):
        assert visitor.get(url).status_code == 200, url


def test_a_reset_link_and_an_invitation_link_answer_only_for_a_real_token(client, client_as, org):
    """The token is the key: a made-up one shows nothing (Django's reset page says the link does
    not work; an unknown invitation is 404), a real invitation opens for anybody."""
    bad_reset = reverse("accounts:password_reset_confirm", args=["MQ", "made-up-token"])
    for visitor in (client, client_as(O)):
        page = visitor.get(bad_reset)
        assert page.status_code == 200 and b"new_password1" not in page.content
        assert visitor.get(reverse("accounts:invitation", args=["made-up"])).status_code == 404
        assert visitor.post(reverse("accounts:invitation", args=["made-up"])).status_code == 404
    _invitation(org, "the-real-one")
    real = reverse("accounts:invitation", args=["the-real-one"])
    assert client.get(real).status_code == 200
    assert client_as(V).get(real).status_code == 200  # already a member: says so, offers nothing


def test_a_survey_link_answers_only_for_a_real_token(client, client_as, org, outsider_client):
    """/s/<token>/ is outside organisations: a made-up token is 404 for anybody; a real one
    opens for anybody (a member of the organisation is told they cannot answer)."""
    from goaldesk.feedback.survey_services import invitation_create

    for visitor in (client, client_as(O), outsider_client):
        assert visitor.get(reverse("survey", args=["made-up"])).status_code == 404
        assert visitor.post(reverse("survey", args=["made-up"])).status_code == 404
    interaction = InteractionFactory(organisation=org, status="resolved")
    url = invitation_create(organisation=org, interaction=interaction, delivery="link").url
    path = url[url.index("/s/") :]
    for visitor in (client, outsider_client, client_as(V)):
        assert visitor.get(path).status_code == 200
    assert client_as(A).post(path, {}).status_code == 403  # a member: never an answer


#: The public help centre (/help/<slug>/…, no sign-in): url name → (GET answers, POST answers)
#: for anybody, signed in or not; None: the method is refused (405). POSTs are CSRF-protected
#: (tests/knowledge/test_public.py sends them with the token); here an empty POST is bad input.
PUBLIC_HELP_PAGES = {
    "knowledge_public:home": (200, None),
    "knowledge_public:article": (200, None),
    "knowledge_public:vote": (None, 302),
    "knowledge_public:visit": (None, 204),
    "knowledge_public:contact": (200, 200),
}


def test_every_public_help_page_is_in_the_table():
    from goaldesk.knowledge.public_urls import urlpatterns

    assert {f"knowledge_public:{p.name}" for p in urlpatterns} == set(PUBLIC_HELP_PAGES)


@pytest.mark.parametrize(("name", "answers"), sorted(PUBLIC_HELP_PAGES.items()))
def test_public_help_pages_answer_anybody_and_only_for_published_articles(
    name, answers, org, other_org, client, client_as, outsider_client
):
    ours = _knowledge_objects(org)
    theirs = _knowledge_objects(other_org)

    def url(objects, slug=org.slug):
        kwargs = {"help_slug": slug}
        if "article_id" in _public_route(name):
            kwargs["article_id"] = objects["article_id"]
        return reverse(name, kwargs=kwargs)

    for visitor in (client, outsider_client, client_as(V), client_as(O)):
        for method, expected in zip(("get", "post"), answers, strict=True):
            status = _request(visitor, method, url(ours)).status_code
            assert status == (405 if expected is None else expected), f"{method} {name}"
    if "article_id" in _public_route(name):
        # another organisation's article under this one's help centre: not found
        for method, expected in zip(("get", "post"), answers, strict=True):
            if expected is not None:
                assert _request(client, method, url(theirs)).status_code == 404
    assert _request(
        client,
        "get",
        reverse(
            name,
            kwargs={
                "help_slug": "nobody",
                **({"article_id": 1} if "article_id" in _public_route(name) else {}),
            },
        ),
    ).status_code in (404, 405)


def _public_route(name):
    from goaldesk.knowledge.public_urls import urlpatterns

    return next(str(p.pattern) for p in urlpatterns if f"knowledge_public:{p.name}" == name)
