"""The locale sweep: every page a role reaches from the navigation, in Persian (Jalali, Tehran)
and Arabic (Hijri, Arabic-Indic digits, Riyadh) as each role, and in German (Gregorian, Berlin)
as the owner, must show only the locale's digits, translated words, labels instead of keys,
no `<input type="date">` where the calendar is not Gregorian, no arrow pointing the wrong way,
and no page wider than the window (1280 pixels; the main pages also on a 390-pixel phone).

What counts as wrong, and what is exempt, is in tests/browser/sweep.py.

Report mode: with GOALDESK_SWEEP_REPORT=/path/file.json the test does not fail; it writes counts
per kind and every finding to that file (one section per language, totals recounted).
"""

import os
import time
from pathlib import Path

import pytest

from tests.browser import sweep
from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser

REPORT = os.environ.get("GOALDESK_SWEEP_REPORT")
#: Which roles sweep each language (German: its catalogue only, so the owner, who sees most).
ROLES = {"fa": sweep.ROLES, "ar": sweep.ROLES, "de": ("owner",)}
#: Kinds reported but not failing the test (none: the phone check found one page, not noise).
REPORT_ONLY: set[str] = set()
#: Screenshots of the main pages as the owner, only when asked for (they cost time).
SHOOT = "GOALDESK_SHOTS" in os.environ


@pytest.mark.parametrize("language", ["fa", "ar", "de"])
def test_every_page_speaks_the_locale(live_server, transactional_db, new_page, language):
    started = time.perf_counter()
    locale = sweep.LOCALES[language]
    built = sweep.sweep_organisation_build(locale)
    user_strings = sweep.user_strings_of(built["organisation"])
    sweep.PAGE_SECONDS.clear()
    sweep.PROFILE.clear()
    sweep.VISITED.clear()
    findings: list[dict] = []
    pages = 0
    for role in ROLES[language]:
        page = new_page(locale=locale.browser_locale)
        sign_in(page, live_server, username=locale.users[role], password=sweep.PASSWORD)
        role_findings, role_pages = sweep.sweep_role(
            page, live_url=live_server.url, locale=locale, role=role,
            user_strings=user_strings, read_tabs=role == ROLES[language][0],
            shots=SHOTS if SHOOT else None,
        )  # fmt: skip
        findings += role_findings
        pages += role_pages
    phone = new_page(locale=locale.browser_locale, viewport=(390, 844))
    sign_in(phone, live_server, username=locale.users["owner"], password=sweep.PASSWORD)
    findings += sweep.sweep_phone(phone, live_url=live_server.url, locale=locale, role="owner")

    seconds = round(time.perf_counter() - started, 1)
    if REPORT:
        sweep.report_write(
            Path(REPORT),
            language,
            {
                "pages": pages,
                "roles": list(ROLES[language]),
                "build_seconds": built["seconds"],
                "seconds": seconds,
                "counts": sweep.summary(findings),
                "slowest_routes": sweep.slowest_routes(),
                "profile": {k: round(v, 1) for k, v in sweep.PROFILE.items()},
                "findings": findings,
                "visited": list(sweep.VISITED),
            },
        )
        return
    failing = [f for f in findings if f["kind"] not in REPORT_ONLY]
    if failing:
        pytest.fail(
            f"{len(failing)} findings on {pages} pages in {language} "
            f"({sweep.summary(failing)['spots']} distinct):\n" + sweep.readable(failing),
            pytrace=False,
        )
