"""A manager imports a file that names agents in other spellings: the dry run shows the one
agent it would create and the spellings it matched, the import uses the team chosen for a new
team name, and two agents are merged on the agents page. The jobs run in a real worker."""

import pytest

from tests.browser.conftest import shot, sign_in, worker_log

pytestmark = pytest.mark.browser

SARA_FARSI = "\u0633\u0627\u0631\u0627 \u0627\u062d\u0645\u062f\u06cc"  # سارا احمدی, Farsi yeh
SARA_ARABIC = "\u0633\u0627\u0631\u0627 \u0627\u062d\u0645\u062f\u064a"  # سارا احمدي, Arabic yeh
CSV = "\n".join(
    [
        "external_id,channel,created_at,agent,team",
        f"T-1,phone,2026-11-02 09:00,{SARA_ARABIC},Support",
        "T-2,phone,2026-11-02 09:10,ALI  KARIMI,Support",
        "T-3,chat,2026-11-02 09:20,Reza Nouri,Night shift",
        "T-4,chat,2026-11-02 09:30,Reza Nouri,Night shift",
        "",
    ]
)


def _wait_until_done(page) -> None:
    try:
        page.locator("[role=progressbar][aria-valuenow='100']").wait_for(timeout=20_000)
    except Exception as error:
        raise AssertionError(f"import did not finish; worker log:\n{worker_log()}") from error
    page.reload()


def _agent_names(page) -> list[str]:
    return [
        name.strip()
        for name in page.locator("main table tbody tr td:first-child").all_inner_texts()
    ]


def test_dry_run_shows_new_and_matched_agents_then_merge(
    live_server, desk, uploads, worker, new_page
):
    from goaldesk.interactions.models import Interaction
    from goaldesk.team.models import Agent, Team

    support = Team.objects.create(organisation=desk, name="Support")
    sara = Agent.objects.create(organisation=desk, key="sara@desk.ir", name=SARA_FARSI)
    ali = Agent.objects.create(organisation=desk, key="ali@desk.ir", name="Ali Karimi")

    page = new_page()
    sign_in(page, live_server)
    page.click("nav.mainnav a[href$='/import/']")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "agents.csv", "mimeType": "text/csv", "buffer": CSV.encode()}],
    )
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")
    with page.expect_navigation():
        page.click("button[name=action][value=dry_run]")
    _wait_until_done(page)
    shot(page, "agents-dry-run")

    # One new agent, with its two rows; the two other spellings are shown as matches.
    new = page.locator("table:below(#new-agents) >> nth=0").locator("tbody tr")
    assert new.count() == 1
    assert new.locator("td").nth(0).inner_text() == "Reza Nouri"
    assert new.locator("td").nth(1).inner_text() == "2"
    matched = page.locator("table:below(#matched-agents) >> nth=0").locator("tbody tr")
    assert matched.count() == 2
    matched_text = " ".join(matched.all_inner_texts())
    assert SARA_ARABIC in matched_text and "sara@desk.ir" in matched_text
    assert "ALI  KARIMI" in matched_text or "ALI KARIMI" in matched_text
    assert "ali@desk.ir" in matched_text
    assert Agent.objects.filter(organisation=desk).count() == 2  # the dry run wrote nothing

    # "Night shift" is a new team name: map it to Support; keep Reza as a new agent.
    page.select_option("select[name^=team_]", label="Support")
    with page.expect_navigation():
        page.click("main form button[type=submit]:has-text('Import')")
    _wait_until_done(page)
    shot(page, "agents-imported")
    assert Agent.objects.filter(organisation=desk).count() == 3
    assert list(Team.objects.filter(organisation=desk)) == [support]
    assert Interaction.objects.filter(agent=sara).count() == 1
    assert Interaction.objects.filter(agent=ali).count() == 1
    reza = Agent.objects.get(organisation=desk, key="Reza Nouri")
    assert Interaction.objects.filter(agent=reza, team=support).count() == 2

    # Reza Nouri turns out to be Ali's second record: merge him into Ali.
    page.goto(f"{live_server.url}/o/{desk.slug}/settings/agents/")
    assert sorted(_agent_names(page)) == sorted(["Ali Karimi", "Reza Nouri", SARA_FARSI])
    page.locator("tr", has_text="Reza Nouri").get_by_role("link", name="Merge…").click()
    page.select_option("#id_target", label="Ali Karimi (ali@desk.ir)")
    with page.expect_navigation():
        page.click("button:has-text('Show what moves')")
    confirm = page.locator("#merge-confirm")
    assert "Interactions" in confirm.inner_text()
    assert (
        confirm.locator("tbody tr", has_text="Interactions").locator("td").nth(1).inner_text()
        == "2"
    )
    shot(page, "agents-merge-confirm")
    with page.expect_navigation():
        confirm.get_by_role("button").click()
    assert "Reza Nouri was merged into Ali Karimi." in page.inner_text("main")
    assert sorted(_agent_names(page)) == sorted(["Ali Karimi", SARA_FARSI])
    assert Interaction.objects.filter(agent=ali).count() == 3
    shot(page, "agents-merged")
