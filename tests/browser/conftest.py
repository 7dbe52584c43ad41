"""Browser tests: headless Debian Chromium driven by Playwright against pytest-django's live server.

Background jobs run in a real `goaldesk worker` process that shares the test database, so an
import started in the browser is picked up exactly as in production. That needs a database two
processes can open: PostgreSQL's test database is, but SQLite's default in-memory test database
is not, so when these tests are collected the SQLite test database becomes a file (with WAL, as
in production, so the worker can write while the live server reads).
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from goaldesk.accounts.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# Playwright's sync API keeps an event loop on this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GOALDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"
SHOTS = Path(os.environ.get("GOALDESK_SHOTS", "/tmp/shots"))  # noqa: S108 - for a person to look at

_BROWSER_TMP = Path(tempfile.mkdtemp(prefix="goaldesk-browser-"))
_default_db = settings.DATABASES["default"]
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    _default_db.setdefault("TEST", {})["NAME"] = str(_BROWSER_TMP / "test.sqlite3")


def pytest_sessionfinish() -> None:
    shutil.rmtree(_BROWSER_TMP, ignore_errors=True)


# Package scope: Playwright's sync API allows one instance per thread, so it is stopped when
# this directory's tests are done (a browser test elsewhere may start its own).
@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (set GOALDESK_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, request) -> Iterator[Callable[..., object]]:
    """new_page(locale="en-GB", viewport=(1280, 900), **context_options) → a page in a fresh
    browser context (its own cookies: a fresh visitor).

    On failure a screenshot of every page opened by the test is saved under /tmp/shots.
    """
    contexts = []

    def make(*, locale: str = "en-GB", viewport: tuple[int, int] = (1280, 900), **kwargs):
        context = chromium.new_context(
            locale=locale, viewport={"width": viewport[0], "height": viewport[1]}, **kwargs
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:
            SHOTS.mkdir(parents=True, exist_ok=True)
            for page in context.pages:
                with contextlib.suppress(Exception):
                    page.screenshot(
                        path=str(SHOTS / f"FAILED-{request.node.name}-{number}.png"),
                        full_page=True,
                    )
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def shot(page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot to /tmp/shots/<name>.png (to look at while developing)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _database_url() -> str:
    conn = connections["default"].settings_dict
    if conn["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{conn['NAME']}"
    user = conn.get("USER") or ""
    password = f":{conn['PASSWORD']}" if conn.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{conn['PORT']}" if conn.get("PORT") else ""
    return f"postgres://{auth}{conn.get('HOST') or 'localhost'}{port}/{conn['NAME']}"


@pytest.fixture(scope="session")
def media_root() -> Path:
    path = _BROWSER_TMP / "media"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="package")
def worker(django_db_setup, media_root) -> Iterator[subprocess.Popen]:
    """A real `goaldesk worker` process on the test database (runs background jobs)."""
    data_dir = media_root.parent
    env = {
        **os.environ,
        "GOALDESK_DATABASE_URL": _database_url(),
        "GOALDESK_DATA_DIR": str(data_dir),
        "GOALDESK_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "goaldesk.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = (data_dir / "worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "goaldesk", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def worker_log() -> str:
    path = _BROWSER_TMP / "worker.log"
    return path.read_text(errors="replace") if path.exists() else ""


def upload_csv(page, name: str, text: str) -> None:
    """Open the import page from the navigation and upload `text` as the CSV file `name`."""
    page.click("nav.mainnav a[href$='/import/']")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}],
    )
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")


def wait_until_imported(page, timeout: int = 20_000) -> None:
    """Wait for the job page's progress bar to reach 100 % (the worker ran it), then reload."""
    try:
        page.locator("[role=progressbar][aria-valuenow='100']").wait_for(timeout=timeout)
    except Exception as error:
        raise AssertionError(f"import did not finish; worker log:\n{worker_log()}") from error
    page.reload()


@pytest.fixture
def uploads(settings, media_root) -> Path:
    """Uploaded files go where the worker process reads them."""
    settings.MEDIA_ROOT = media_root
    return media_root


@pytest.fixture
def desk(transactional_db):
    """An organisation in Tehran with an owner who signs in with a real password.

    The password is checked for real; the hash is the suite's fast one (tests/conftest.py).
    """
    org = OrganisationFactory(name="Tehran Desk", slug="tehran", timezone="Asia/Tehran")
    owner = UserFactory(username="maryam")  # password: PASSWORD
    MembershipFactory(user=owner, organisation=org, role=Role.OWNER)
    return org


def sign_in(page, live_server, *, username: str = "maryam", password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
