"""Who sees which scorecard and ranking, and what the pages show."""

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.coaching.models import CoachingSettings
from tests.coaching.conftest import FIRST, LAST

PERIOD = {"from": FIRST.isoformat(), "to": LAST.isoformat()}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _card_url(desk, agent):
    return reverse("coaching:scorecard", kwargs={"org_slug": desk.org.slug, "agent_id": agent.pk})


def _list_url(desk):
    return reverse("coaching:scorecards", kwargs={"org_slug": desk.org.slug})


def _settings(desk, **values):
    CoachingSettings.objects.update_or_create(organisation=desk.org, defaults=values)


def test_an_agent_sees_their_own_scorecard_only(desk_goals):
    desk = desk_goals
    ana = _client(desk.ana_user)
    own = ana.get(_card_url(desk, desk.ana), PERIOD)
    assert own.status_code == 200
    text = own.content.decode()
    assert "My scorecard" in text
    assert "83.3" in text and "CSAT for all" in text
    assert ana.get(_card_url(desk, desk.ben), PERIOD).status_code == 403
    landing = ana.get(_list_url(desk))
    assert landing.status_code == 302 and landing["Location"] == _card_url(desk, desk.ana)
    assert ana.get(_list_url(desk) + "?all=1").context["may_list"] is False


def test_the_setting_lets_agents_see_their_colleagues(desk):
    _settings(desk, agents_see_colleagues=True)
    ana = _client(desk.ana_user)
    assert ana.get(_card_url(desk, desk.ben), PERIOD).status_code == 200
    listed = ana.get(_list_url(desk), {"all": "1", **PERIOD})
    assert [c["agent"].key for c in listed.context["cards"]] == ["ana", "ben", "cleo"]


def test_a_viewer_sees_no_scorecard_unless_the_setting_allows(desk):
    viewer = _client(desk.viewer)
    assert viewer.get(_card_url(desk, desk.ana), PERIOD).status_code == 403
    page = viewer.get(_list_url(desk))
    assert page.status_code == 200
    assert "not shared with viewers" in page.content.decode()
    assert "cards" not in page.context
    _settings(desk, viewers_see_scorecards=True)
    assert viewer.get(_card_url(desk, desk.ana), PERIOD).status_code == 200


def test_managers_get_the_list_with_figures_and_samples(desk):
    page = _client(desk.manager).get(_list_url(desk), PERIOD)
    assert page.status_code == 200
    ana = page.context["cards"][0]
    assert ana["agent"].key == "ana"
    assert (ana["cells"][0]["value"], ana["cells"][0]["sample"]) == ("12", 12)  # contacts
    assert (ana["cells"][1]["value"], ana["cells"][1]["sample"]) == ("83.3 %", 12)  # CSAT


def test_the_scorecard_shows_change_team_value_and_personal_progress(desk_goals):
    desk = desk_goals
    page = _client(desk.manager).get(_card_url(desk, desk.ana), PERIOD)
    csat = next(r for r in page.context["rows"] if r["key"] == "csat_pct")
    assert (csat["value"], csat["sample"], csat["previous"]) == ("83.3 %", 12, "50.0 %")
    assert csat["change"] == "+33.3 pts" and csat["tone"] == "good"
    assert csat["team"] == "70.0 %"
    personal = {t["goal"].title: t for t in page.context["targets"] if t["person_target"]}
    assert personal["CSAT for all"]["met"] is False
    assert personal["North CSAT"]["met"] is True


def _ranking(client, desk, **params):
    return client.get(
        reverse("coaching:ranking", kwargs={"org_slug": desk.org.slug}),
        {"metric": "csat_pct", **PERIOD, **params},
    )


def test_the_ranking_lists_small_samples_unranked(desk):
    page = _ranking(_client(desk.viewer), desk)
    assert page.status_code == 200
    assert [(r["entry"].key, r["entry"].rank) for r in page.context["ranked"]] == [("ana", 1)]
    # Ben: 8 answers; Cleo: contacts but no answer.
    assert [(r["entry"].key, r["entry"].sample) for r in page.context["unranked"]] == [
        ("ben", 8),
        ("cleo", 0),
    ]
    # 10 of 12: Wilson lower bound 55.2 %
    assert page.context["ranked"][0]["bound"] == "55.2 %"
    assert "Not enough data" in page.content.decode()


def test_the_ranking_defaults_to_the_last_complete_month_and_rankable_metrics(desk):
    page = _client(desk.manager).get(reverse("coaching:ranking", kwargs={"org_slug": "desk"}))
    assert page.context["scope"].period == "last_month"
    assert "contacts" not in [m.key for m in page.context["choices"]]
    refused = _ranking(_client(desk.manager), desk, metric="contacts")
    assert refused.context["chosen"].key == "csat_pct"


def test_private_rankings_are_for_managers_only(desk):
    _settings(desk, public_rankings=False)
    assert _ranking(_client(desk.ana_user), desk).status_code == 403
    assert _ranking(_client(desk.viewer), desk).status_code == 403
    assert _ranking(_client(desk.manager), desk).status_code == 200


@pytest.mark.parametrize(("user", "status"), [("ana_user", 403), ("manager", 302)])
def test_settings_are_changed_by_managers(desk, user, status):
    response = _client(getattr(desk, user)).post(
        reverse("coaching:settings", kwargs={"org_slug": "desk"}),
        {"agents_see_colleagues": "on", "public_rankings": "on"},
    )
    assert response.status_code == status
    saved = CoachingSettings.objects.filter(organisation=desk.org).first()
    if status == 302:
        assert (saved.agents_see_colleagues, saved.viewers_see_scorecards) == (True, False)
        assert saved.public_rankings is True
    else:
        assert saved is None


def test_every_coaching_page_has_the_tab_bar_in_persian(desk):
    client = _client(desk.manager)
    client.cookies["django_language"] = "fa"
    for name, kwargs in [
        ("coaching:scorecards", {}),
        ("coaching:scorecard", {"agent_id": desk.ana.pk}),
        ("coaching:ranking", {}),
        ("coaching:recognitions", {}),
        ("coaching:settings", {}),
    ]:
        page = client.get(reverse(name, kwargs={"org_slug": "desk", **kwargs}))
        assert page.status_code == 200, name
        assert 'class="row planning-nav"' in page.content.decode(), name
