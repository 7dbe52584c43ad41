"""The demo built once for a test module, outside the tests' transactions."""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model

from goaldesk.accounts.models import Organisation
from goaldesk.demo import build


@contextmanager
def demo_built(django_db_blocker, directory: Path, *, without: str | None = None) -> Iterator[None]:
    """Build the demo (seed 7, its natural volume) without the builder step `without` (e.g.
    "schedule_demo_build"; None: the whole demo), in `directory`; remove its organisations and
    people afterwards, since later tests count on an empty installation having none."""
    skipped = mock.patch.object(build, without) if without else nullcontext()
    with django_db_blocker.unblock(), skipped:
        old_dir, old_hashers = settings.DATA_DIR, settings.PASSWORD_HASHERS
        settings.DATA_DIR = directory
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        try:
            build.demo_build(seed=7)
            yield
        finally:
            Organisation.objects.filter(slug__startswith="demo").delete()
            get_user_model().objects.filter(username__startswith="demo").delete()
            settings.DATA_DIR, settings.PASSWORD_HASHERS = old_dir, old_hashers
