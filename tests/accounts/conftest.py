"""Fixtures of the accounts tests: capture the derived-column recomputation."""

import pytest


@pytest.fixture
def recompute_calls(monkeypatch, settings):
    """Slugs of organisations whose derived interaction columns were recomputed.

    The background task runs at once (django-tasks' immediate backend) and only after the
    transaction commits, so use it together with
    `django_capture_on_commit_callbacks(execute=True)`.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    calls: list[str] = []
    monkeypatch.setattr(
        "goaldesk.interactions.services.interactions_recompute_derived",
        lambda *, organisation: calls.append(organisation.slug) or 0,
    )
    return calls
