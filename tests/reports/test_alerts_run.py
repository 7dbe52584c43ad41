"""The clock's alert job runs every check for every organisation, once per time slot."""

from goaldesk.reports import services
from goaldesk.reports.models import PeriodicRun


def test_each_check_runs_once_per_organisation_and_slot(org, other_org, monkeypatch):
    calls = []
    for name in ("goal_alerts_check", "level_alert_check", "staffing_shortfall_check"):
        monkeypatch.setattr(
            services,
            name,
            lambda *, organisation, name=name, **_: calls.append((name, organisation.slug)),
        )
    services.alerts_run()
    services.alerts_run()  # a second worker in the same slot finds it claimed
    assert sorted(calls) == sorted(
        (name, slug)
        for name in ("goal_alerts_check", "level_alert_check", "staffing_shortfall_check")
        for slug in ("tehran", "berlin")
    )
    assert PeriodicRun.objects.filter(name="alerts").count() == 1


def test_one_organisations_failure_does_not_stop_the_others(org, other_org, monkeypatch):
    told = []

    def failing(*, organisation, **_):
        if organisation.slug == "berlin":
            raise RuntimeError("broken")
        told.append(organisation.slug)

    monkeypatch.setattr(services, "goal_alerts_check", failing)
    monkeypatch.setattr(services, "level_alert_check", lambda **_: None)
    monkeypatch.setattr(services, "staffing_shortfall_check", lambda **_: None)
    services.alerts_run()
    assert told == ["tehran"]
