"""Importing names agents and teams: spellings of an existing one match it (folded), the dry
run lists the ones it would create with their rows, and each can be mapped to an existing one."""

import io
import json
from contextlib import redirect_stdout

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.interactions.commands import cmd_import_interactions
from goaldesk.interactions.models import ImportJob, Interaction
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interactions_upsert
from goaldesk.interactions.tasks import import_job_task
from goaldesk.team.models import Agent, AgentAlias, Team
from tests.factories import AgentFactory, TeamFactory

# "Sara Ahmed" is written with a double space and in capitals; "علي رضا" with Arabic yeh.
CSV = (
    "external_id,channel,created_at,agent,team\n"
    "T-1,phone,2026-03-02 09:00,SARA  AHMED,support\n"
    "T-2,phone,2026-03-02 09:10,Omid Karimi,Support\n"
    "T-3,chat,2026-03-02 09:20,Omid Karimi,Night desk\n"
    "T-4,chat,2026-03-02 09:30,\u0639\u0644\u064a \u0631\u0636\u0627,Support\n"
    "T-5,email,2026-03-02 09:40,sara@example.com,\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(org):
    support = TeamFactory(organisation=org, name="Support")
    sara = AgentFactory(organisation=org, key="sara@example.com", name="Sara Ahmed", team=support)
    # Written with Farsi yeh (U+06CC).
    ali = AgentFactory(
        organisation=org, key="ali.reza", name="\u0639\u0644\u06cc \u0631\u0636\u0627"
    )
    return {"support": support, "sara": sara, "ali": ali}


def url(name, org, job=None):
    return reverse(f"imports:{name}", args=[org.slug] + ([job.pk] if job else []))


def dry_run(client, org, text=CSV):
    client.post(
        url("start", org),
        {"file": SimpleUploadedFile("calls.csv", text.encode()), "kind": "interactions"},
    )
    job = ImportJob.objects.get(organisation=org)
    mapping = {f"map_{f}": f for f in ("external_id", "channel", "created_at", "agent", "team")}
    client.post(url("mapping", org, job), {**mapping, "action": "dry_run"})
    import_job_task.call(job.pk)
    job.refresh_from_db()
    return job


def test_the_dry_run_lists_new_agents_and_teams_with_rows_and_the_matches(client_as, org, people):
    client = client_as(Role.MANAGER)
    job = dry_run(client, org)
    assert Agent.objects.filter(organisation=org).count() == 2  # nothing created yet
    page = client.get(url("job", org, job))
    context = page.context
    assert [(i["value"], i["rows"]) for i in context["new_agents"]] == [("Omid Karimi", 2)]
    assert [(i["value"], i["rows"]) for i in context["new_teams"]] == [("Night desk", 1)]
    # Sara by her name in capitals, Ali with the Arabic yeh: matched, and shown as such.
    matched = {i["value"]: (i["existing"], i["rows"]) for i in context["matched_agents"]}
    assert matched == {
        "SARA  AHMED": (people["sara"], 1),
        "\u0639\u0644\u064a \u0631\u0636\u0627": (people["ali"], 1),
    }
    # "support" (lower case) matched the team Support.
    assert [(i["value"], i["existing"]) for i in context["matched_teams"]] == [
        ("support", people["support"])
    ]
    text = page.content.decode()
    assert "Agents this import would create" in text and "Omid Karimi" in text
    assert 'name="agent_' in text and "Create a new agent" in text


def test_the_import_applies_the_mapping_chosen_after_the_dry_run(client_as, org, people):
    client = client_as(Role.MANAGER)
    job = dry_run(client, org)
    omid = job.mapping["_agents"].index(
        next(i for i in job.mapping["_agents"] if i["value"] == "Omid Karimi")
    )
    night = next(i for i, t in enumerate(job.mapping["_teams"]) if t["value"] == "Night desk")
    client.post(
        url("for_real", org, job),
        {f"agent_{omid}": people["ali"].pk, f"team_{night}": people["support"].pk},
    )
    real = ImportJob.objects.exclude(pk=job.pk).get()
    import_job_task.call(real.pk)
    # No agent and no team created: every row points at an existing one.
    assert Agent.objects.filter(organisation=org).count() == 2
    assert Team.objects.filter(organisation=org).count() == 1
    by_id = dict(
        Interaction.objects.filter(organisation=org).values_list("external_id", "agent__key")
    )
    assert by_id == {
        "T-1": "sara@example.com",
        "T-2": "ali.reza",
        "T-3": "ali.reza",
        "T-4": "ali.reza",
        "T-5": "sara@example.com",
    }
    assert set(Interaction.objects.values_list("team__name", flat=True)) == {"Support", None}
    # The mapping is remembered: "Omid Karimi" now names Ali in later imports too.
    assert AgentAlias.objects.get(organisation=org, folded="omid karimi").agent == people["ali"]


def test_a_new_agent_is_created_once_and_the_job_page_says_so(client_as, org, people):
    client = client_as(Role.MANAGER)
    job = dry_run(client, org)
    client.post(url("for_real", org, job))
    real = ImportJob.objects.exclude(pk=job.pk).get()
    import_job_task.call(real.pk)
    assert sorted(Agent.objects.filter(organisation=org).values_list("key", flat=True)) == [
        "Omid Karimi",
        "ali.reza",
        "sara@example.com",
    ]
    assert sorted(Team.objects.values_list("name", flat=True)) == ["Night desk", "Support"]
    text = client.get(url("job", org, real)).content.decode()
    assert "Agents this import created" in text and "Omid Karimi" in text
    assert 'name="agent_' not in text  # nothing left to map


def test_a_choice_that_is_not_an_agent_id_is_a_message_not_an_error(client_as, org, people):
    client = client_as(Role.MANAGER)
    job = dry_run(client, org)
    response = client.post(url("for_real", org, job), {"agent_0": "x"}, follow=True)
    assert response.status_code == 200
    assert "Agent for “Omid Karimi”: choose one from the list." in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_another_organisations_agent_cannot_be_chosen(client_as, org, other_org, people):
    client = client_as(Role.MANAGER)
    theirs = AgentFactory(organisation=other_org, key="theirs")
    job = dry_run(client, org)
    client.post(url("for_real", org, job), {"agent_0": theirs.pk})
    real = ImportJob.objects.exclude(pk=job.pk).get()
    import_job_task.call(real.pk)
    assert Agent.objects.filter(organisation=org, key="Omid Karimi").exists()
    assert not AgentAlias.objects.exists()


def test_the_api_path_matches_the_same_way(org, people):
    """interactions_upsert serves the API and the quick log: a name spelling finds the agent."""
    import datetime as dt

    record = InteractionData(
        external_id="API-1",
        channel="phone",
        created_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        agent="  sara ahmed ",
        team="SUPPORT",
    )
    interactions_upsert(organisation=org, records=[record])
    row = Interaction.objects.get(external_id="API-1")
    assert row.agent == people["sara"] and row.team == people["support"]
    assert Agent.objects.filter(organisation=org).count() == 2


def test_two_spellings_of_a_new_agent_in_one_file_make_one_agent(org):
    import datetime as dt

    when = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    records = [
        InteractionData(external_id="1", channel="phone", created_at=when, agent="Nour Kamal"),
        InteractionData(external_id="2", channel="phone", created_at=when, agent="nour  KAMAL"),
    ]
    interactions_upsert(organisation=org, records=records)
    assert list(Agent.objects.filter(organisation=org).values_list("key", flat=True)) == [
        "Nour Kamal"
    ]
    assert Interaction.objects.filter(agent__key="Nour Kamal").count() == 2


def test_the_command_line_prints_the_agents_it_created(org, people, tmp_path):
    import argparse

    path = tmp_path / "calls.csv"
    path.write_text(CSV, encoding="utf-8")
    args = argparse.Namespace(
        org=org.slug, file=str(path), dry_run=False, json=False, mapping=None, calendar=None
    )
    out = io.StringIO()
    with redirect_stdout(out):
        cmd_import_interactions(args)
    text = out.getvalue()
    assert "New agents: Omid Karimi (2 rows)" in text
    assert "New teams: Night desk (1 row)" in text
    args.json = True
    args.file = str(path)
    out = io.StringIO()
    with redirect_stdout(out):
        cmd_import_interactions(args)
    result = json.loads(out.getvalue())
    assert result["new_agents"] == []  # the second time Omid exists


def test_past_the_listed_agents_the_rest_are_counted(client_as, org, people, monkeypatch):
    from goaldesk.interactions import importing

    monkeypatch.setattr(importing, "PEOPLE_LISTED", 2)
    client = client_as(Role.MANAGER)
    job = dry_run(client, org)
    # First seen: SARA AHMED (row 1), Omid Karimi (rows 2–3); Ali's row 4 and Sara's e-mail
    # on row 5 are past the two listed agents.
    assert [i["value"] for i in job.mapping["_agents"]] == ["Omid Karimi", "SARA  AHMED"]
    assert job.mapping["_agents_unlisted"] == 2
    page = client.get(url("job", org, job)).content.decode()
    assert "2 more rows name agents not listed here." in page
