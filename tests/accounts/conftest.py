"""Fixtures of the accounts tests: capture the derived-column recomputation."""

import importlib

import pytest


@pytest.fixture
def recompute_calls(monkeypatch):
    """Slugs of organisations whose derived interaction columns were recomputed.

    The recomputation runs in-process here (any background task the interactions app offers
    is hidden), and only after the transaction commits, so use it together with
    `django_capture_on_commit_callbacks(execute=True)`.
    """
    calls: list[str] = []
    monkeypatch.setattr(
        "goaldesk.interactions.services.interactions_recompute_derived",
        lambda *, organisation: calls.append(organisation.slug),
        raising=False,
    )
    try:
        tasks = importlib.import_module("goaldesk.interactions.tasks")
    except ImportError:
        tasks = None
    if tasks is not None:
        monkeypatch.setattr(tasks, "interactions_recompute_derived_task", None, raising=False)
    return calls


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; these tests check behaviour, not the hash's strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
