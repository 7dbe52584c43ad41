import pytest


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    """Tasks run as soon as they are enqueued (the worker's job, done in the test)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
