"""The survey pages with data: a design edited into a new version once answered, invitations
made from the page with their links, comments filtered, and an agent seeing only their own."""

from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import QuestionKind, Survey, SurveyInvitation
from goaldesk.team.models import Agent
from tests.factories import OrganisationFactory
from tests.feedback.conftest import interaction


def _answered(org, external_id, agent, csat, comment):
    made = services.invitation_create(
        organisation=org, interaction=interaction(org, external_id, agent=agent), delivery="link"
    )
    questions = {q.kind: str(q.pk) for q in made.invitation.version.questions.all()}
    services.response_submit(
        invitation=made.invitation,
        answers={questions[QuestionKind.CSAT]: csat, questions[QuestionKind.TEXT]: comment},
    )
    return made


def test_comments_filtered_and_an_agent_sees_only_their_own(org, client_as, member):
    _answered(org, "A-1", "ana", 5, "Ana was great")
    _answered(org, "B-1", "bo", 1, "Bo never called back")
    manager = client_as(Role.MANAGER)
    url = reverse("feedback:survey_comments", args=[org.slug])
    page = manager.get(url, {"period": "today"})
    assert b"Ana was great" in page.content and b"Bo never called back" in page.content
    low = manager.get(url, {"period": "today", "score": "low"})
    assert b"Bo never called back" in low.content and b"Ana was great" not in low.content
    agent_client = client_as(Role.AGENT)
    Agent.objects.filter(organisation=org, key="ana").update(user=_user("agent-user"))
    own = agent_client.get(url, {"period": "today"})
    assert own.status_code == 200
    assert b"Ana was great" in own.content and b"Bo never called back" not in own.content


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_a_manager_edits_a_design_into_a_new_version_once_answered(org, client_as):
    _answered(org, "A-1", "ana", 4, "fine")
    survey = Survey.objects.get(organisation=org)
    manager = client_as(Role.MANAGER)
    url = reverse("feedback:survey_edit", args=[org.slug, survey.pk])
    form = manager.get(url)
    assert b"new version" in form.content
    data = {
        "name": "Satisfaction",
        "rows": "4",
        "kind-0": "csat",
        "required-0": "on",
        "kind-1": "text",
        "kind-2": "choice",
        "text-2-en": "Which shop?",
        "text-2-fa": "کدام فروشگاه؟",
        "options-2-en": "North\nSouth",
        "options-2-fa": "شمال\nجنوب",
    }
    assert manager.post(url, data).status_code == 302
    version = survey.versions.order_by("-number").first()
    assert version.number == 2
    choice = version.questions.get(kind="choice")
    assert choice.options == [{"en": "North", "fa": "شمال"}, {"en": "South", "fa": "جنوب"}]
    listing = manager.get(reverse("feedback:surveys", args=[org.slug]))
    assert b"Which shop?" in listing.content


def test_a_bad_design_is_refused_with_a_message(org, client_as):
    manager = client_as(Role.MANAGER)
    page = manager.post(
        reverse("feedback:survey_new", args=[org.slug]),
        {"name": "X", "rows": "2", "kind-0": "choice", "text-0-en": "Pick", "options-0-en": "one"},
    )
    assert page.status_code == 200
    assert b"two options or more" in page.content
    assert Survey.objects.filter(organisation=org).count() == 1


def test_invitations_made_from_the_page_show_their_links(org, client_as):
    interaction(org, "I-1", customer="c1")
    interaction(org, "I-2", customer="c2", status="open")
    manager = client_as(Role.MANAGER)
    url = reverse("feedback:survey_invitations", args=[org.slug])
    page = manager.post(
        url, {"date_from": "2026-03-02", "date_to": "2026-03-02", "delivery": "link"}
    )
    assert page.status_code == 200
    assert b"/s/" in page.content
    assert b"1 interaction was left out" in page.content
    assert SurveyInvitation.objects.filter(organisation=org).count() == 1
    listing = client_as(Role.VIEWER).get(url, {"from": "2026-01-01", "to": "2099-01-01"})
    assert b"I-1" in listing.content and b"/s/" not in listing.content
    bad = manager.post(url, {"delivery": "link"})
    assert b"Give either one interaction" in bad.content


def test_the_rules_page_keeps_the_segments_chosen_and_refuses_a_zero_expiry(org, client_as):
    from goaldesk.customers.models import Segment
    from goaldesk.feedback.models import SurveyRules

    gold = Segment.objects.create(organisation=org, name="Gold", rules=[])
    other = Segment.objects.create(
        organisation=OrganisationFactory(slug="elsewhere"), name="Theirs", rules=[]
    )
    url = reverse("feedback:survey_rules", args=[org.slug])
    manager = client_as(Role.MANAGER)
    form = {
        "resolved_only": "on",
        "once_per_customer_days": "30",
        "delay_hours": "2",
        "reminder_days": "3",
        "expiry_days": "30",
        "segments_excluded": [str(gold.pk)],
    }
    assert manager.post(url, form).status_code == 302
    rules = SurveyRules.objects.get(organisation=org)
    assert (rules.segments_included, rules.segments_excluded) == ([], [gold.pk])
    # Another organisation's segment is no choice here; a zero expiry is refused; nothing changes.
    page = manager.post(url, {**form, "segments_included": [str(other.pk)], "expiry_days": "0"})
    assert page.status_code == 200
    assert page.context["form"].errors.keys() == {"segments_included", "expiry_days"}
    rules.refresh_from_db()
    assert (rules.segments_included, rules.segments_excluded, rules.expiry_days) == (
        [],
        [gold.pk],
        30,
    )


def test_invitations_come_a_page_at_a_time_newest_first(org, client_as, monkeypatch):
    from goaldesk.feedback import survey_views

    monkeypatch.setattr(survey_views, "PER_PAGE", 2)
    for n in range(1, 4):
        services.invitation_create(
            organisation=org,
            interaction=interaction(org, f"P-{n}", customer=f"p{n}"),
            delivery="link",
        )
    url = reverse("feedback:survey_invitations", args=[org.slug])
    period = {"from": "2026-01-01", "to": "2099-01-01"}
    viewer = client_as(Role.VIEWER)
    first = viewer.get(url, period).content.decode()
    assert "P-3" in first and "P-2" in first and "P-1" not in first
    assert "Page 1 of 2" in first and "page=2" in first and "from=2026-01-01" in first
    second = viewer.get(url, {**period, "page": 2}).content.decode()
    assert "P-1" in second and "P-3" not in second
