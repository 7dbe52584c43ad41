"""The survey API: a manager invites (links in the answer), anyone reads the invitations, and
the answers are for managers (a viewer token is refused)."""

from goaldesk.accounts.models import Role
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import QuestionKind, SurveyInvitation
from tests.api.conftest import BASE, ApiClient
from tests.feedback.conftest import interaction


def test_invite_list_and_read_answers(org, api, token):
    interaction(org, "A-1", customer="c1", agent="ana")
    interaction(org, "A-2", customer="c2", status="open")
    made = api.post(
        f"{BASE}/{org.slug}/surveys/invitations",
        {"date_from": "2026-03-02", "date_to": "2026-03-02", "delivery": "link"},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["left_out"] == 1
    (entry,) = body["invitations"]
    assert entry["interaction"] == "A-1" and entry["agent"] == "ana" and "/s/" in entry["url"]

    invitation = SurveyInvitation.objects.get()
    csat = invitation.version.questions.get(kind=QuestionKind.CSAT)
    text = invitation.version.questions.get(kind=QuestionKind.TEXT)
    services.response_submit(invitation=invitation, answers={str(csat.pk): 3, str(text.pk): "ok"})

    viewer = ApiClient(token(Role.VIEWER))
    day = invitation.sent_on.isoformat()
    listed = viewer.get(f"{BASE}/{org.slug}/surveys/invitations", {"from": day, "to": day})
    assert listed.status_code == 200
    assert [i["interaction"] for i in listed.json()] == ["A-1"]
    assert "url" not in listed.json()[0]
    assert (
        viewer.post(f"{BASE}/{org.slug}/surveys/invitations", {"interaction": "A-1"}).status_code
        == 403
    )
    assert (
        viewer.get(f"{BASE}/{org.slug}/surveys/answers", {"from": day, "to": day}).status_code
        == 403
    )

    answers = api.get(f"{BASE}/{org.slug}/surveys/answers", {"from": day, "to": day}).json()
    assert answers[0]["csat"] == 3 and answers[0]["comment"] == "ok"
    assert {"question": csat.pk, "kind": "csat", "value": 3} in answers[0]["answers"]


def test_bad_input_names_the_field(org, api):
    bad = api.post(f"{BASE}/{org.slug}/surveys/invitations", {"delivery": "pigeon"})
    assert bad.status_code == 422
    fields = {p["field"] for p in bad.json()["detail"]}
    assert fields == {"delivery", "interaction"}
    interaction(org, "O-1", status="open")
    refused = api.post(f"{BASE}/{org.slug}/surveys/invitations", {"interaction": "O-1"})
    assert refused.status_code == 422 and "resolved" in refused.content.decode()
    missing = api.post(f"{BASE}/{org.slug}/surveys/invitations", {"interaction": "nope"})
    assert missing.status_code == 404
