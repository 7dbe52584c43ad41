"""Survey answers are the interaction's: csat_pct counts them with the imported ones, and the
response rate is answered / sent by the day the invitation was sent (worked out by hand)."""

import datetime as dt
import json

from goaldesk import cli
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import QuestionKind, SurveyInvitation
from goaldesk.metrics.selectors import kpis_for_period
from goaldesk.team.models import Agent
from tests.feedback.conftest import interaction

MON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
TUE = MON + dt.timedelta(days=1)


def _answer(made, csat):
    version = made.invitation.version
    csat_q = version.questions.get(kind=QuestionKind.CSAT)
    services.response_submit(invitation=made.invitation, answers={str(csat_q.pk): csat})


def _invite(desk, external_id, now, **kwargs):
    return services.invitation_create(
        organisation=desk,
        interaction=interaction(desk, external_id, **kwargs),
        delivery="link",
        now=now,
    )


def test_answers_count_in_csat_pct_and_the_response_rate(desk):
    # Monday: four invitations (two by agent a1 on phone), two answered (CSAT 5 and 2);
    # one more interaction has an imported CSAT of 4 and no invitation.
    a = _invite(desk, "M-1", MON, channel="phone", agent="a1")
    b = _invite(desk, "M-2", MON, channel="phone", agent="a1")
    _invite(desk, "M-3", MON)
    _invite(desk, "M-4", MON)
    interaction(desk, "M-5", csat=4)
    _answer(a, 5)
    _answer(b, 2)
    # Tuesday: one invitation, not answered.
    _invite(desk, "T-1", TUE, day="2026-03-03")

    monday = kpis_for_period(
        organisation=desk,
        date_from=MON.date(),
        date_to=MON.date(),
        keys=["csat_pct", "survey_response_rate"],
    )
    # CSAT answers 5, 2 and the imported 4: two of three are 4–5 → 66.67 %.
    assert round(monday["csat_pct"], 2) == 66.67
    assert monday["survey_response_rate"] == 50.0  # 2 answered of 4 sent on Monday
    both = kpis_for_period(
        organisation=desk, date_from=MON.date(), date_to=TUE.date(), keys=["survey_response_rate"]
    )
    assert both["survey_response_rate"] == 40.0  # 2 of 5
    tuesday = kpis_for_period(
        organisation=desk, date_from=TUE.date(), date_to=TUE.date(), keys=["survey_response_rate"]
    )
    assert tuesday["survey_response_rate"] == 0.0
    phone = kpis_for_period(
        organisation=desk,
        date_from=MON.date(),
        date_to=TUE.date(),
        filters={"channel": "phone"},
        keys=["survey_response_rate"],
    )
    assert phone["survey_response_rate"] == 100.0  # both phone invitations answered
    by_agent = kpis_for_period(
        organisation=desk,
        date_from=MON.date(),
        date_to=TUE.date(),
        filters={"agent": "a1"},
        keys=["survey_response_rate"],
    )
    assert by_agent["survey_response_rate"] == 100.0
    nothing = kpis_for_period(
        organisation=desk,
        date_from=dt.date(2026, 3, 9),
        date_to=dt.date(2026, 3, 9),
        keys=["survey_response_rate"],
    )
    assert nothing["survey_response_rate"] is None  # nothing sent: no figure, not 0


def test_the_agent_credited_is_the_one_when_invited(desk):
    made = _invite(desk, "M-1", MON, agent="a1")
    assert made.invitation.agent.key == "a1"
    from goaldesk.interactions.models import Interaction

    Interaction.objects.filter(pk=made.invitation.interaction_id).update(
        agent=Agent.objects.create(organisation=desk, key="a2")
    )
    _answer(made, 4)
    assert SurveyInvitation.objects.get().agent.key == "a1"


def test_a_survey_answer_replaces_an_imported_value(desk):
    made = _invite(desk, "M-1", MON, csat=1)
    _answer(made, 4)
    made.invitation.interaction.refresh_from_db()
    assert made.invitation.interaction.csat == 4


def test_the_cli_prints_one_link_per_invitation(desk, capsys):
    interaction(desk, "C-1", customer="c1")
    interaction(desk, "C-2", customer="c2", channel="chat")
    interaction(desk, "C-3", customer="c1")  # same customer within 30 days: left out
    interaction(desk, "C-4", customer="c4", status="open")  # not resolved: left out
    code = cli.main(
        ["surveys", "send", "--org", "desk", "--from", "2026-03-02", "--to", "2026-03-02", "--json"]
    )
    assert code == 0
    out = capsys.readouterr()
    printed = json.loads(out.out)
    assert [e["interaction"] for e in printed] == ["C-1", "C-2"]
    assert all(e["url"].startswith("http") and "/s/" in e["url"] for e in printed)
    assert "2 interactions left out" in out.err
    # One interaction: its existing invitation again, with the same link.
    assert cli.main(["surveys", "send", "--org", "desk", "--interaction", "C-1", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again[0]["url"] == printed[0]["url"] and again[0]["new"] is False
    assert cli.main(["surveys", "send", "--org", "desk", "--interaction", "nope"]) == 2
    assert "no interaction “nope”" in capsys.readouterr().err
