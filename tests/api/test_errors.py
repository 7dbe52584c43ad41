"""Whatever goes wrong, the API answers JSON."""

import logging

import pytest

from tests.api.conftest import BASE


@pytest.mark.django_db
def test_an_unexpected_error_is_a_json_500_and_is_logged(viewer_api, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("a bug in a selector")

    monkeypatch.setattr("goaldesk.api.metrics.kpis_for_period", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = viewer_api.get(
            f"{BASE}/tehran/metrics/kpis", {"from": "2026-03-01", "to": "2026-03-31"}
        )
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "went wrong" in response.json()["detail"]
    assert "a bug in a selector" not in response.content.decode()  # no internals to the client
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None and "a bug in a selector" in str(record.exc_info[1])


@pytest.mark.django_db
def test_not_found_and_unauthenticated_keep_their_own_answers(viewer_api, org):
    assert viewer_api.get(f"{BASE}/tehran/nothing-here").status_code == 404
    unauthenticated = viewer_api.client.get(f"{BASE}/tehran/metrics")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["detail"]
