"""Headers every response carries, and what a refused request writes to the log."""

import io
import logging

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role


def _policy(response) -> dict[str, str]:
    directives = (d.strip() for d in response["Content-Security-Policy"].split(";"))
    return dict(d.split(" ", 1) for d in directives if d)


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client, client_as, org):
    pages = [
        (client, reverse("accounts:login")),
        (client_as(Role.VIEWER), reverse("metrics:dashboard", args=[org.slug])),
        (client_as(Role.MANAGER), reverse("imports:start", args=[org.slug])),
    ]
    for visitor, url in pages:
        response = visitor.get(url)
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"  # no inline scripts, no eval
        assert policy["style-src"] == "'self'"
        assert policy["img-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert policy["base-uri"] == "'none'"
        assert policy["object-src"] == "'none'"
        permissions = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_the_api_docs_page_alone_may_show_data_images(client_as, org):
    docs = client_as(Role.VIEWER).get("/api/docs")
    assert docs.status_code == 200
    assert _policy(docs)["img-src"] == "'self' data:"
    assert _policy(docs)["script-src"] == "'self'"


def test_no_template_has_inline_scripts_or_event_handlers():
    """Inline code would be refused by the policy: every <script> has a src or holds JSON data."""
    import re
    from pathlib import Path

    import goaldesk

    offenders = []
    for path in Path(goaldesk.__file__).parent.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.name}: {tag}")
        offenders += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+=", text)]
        offenders += [f"{path.name}: <style>" for _ in re.findall(r"<style\b", text)]
    assert offenders == []


@pytest.fixture
def console_log(settings):
    """What GoalDesk's console log handler writes, captured."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.stream  # not setStream: it flushes the old stream, maybe closed by now
    handler.stream = stream
    yield stream
    handler.stream = previous


@pytest.mark.django_db
def test_a_refused_request_logs_one_line(client_as, org, console_log):
    response = client_as(Role.VIEWER).get(reverse("imports:start", args=[org.slug]))
    assert response.status_code == 403
    assert console_log.getvalue() == f"Forbidden (Permission denied): /o/{org.slug}/import/\n"


@pytest.mark.django_db
def test_a_missing_page_logs_one_line(client_as, org, console_log):
    response = client_as(Role.VIEWER).get(f"/o/{org.slug}/interactions/999999/")
    assert response.status_code == 404
    assert console_log.getvalue() == f"Not Found: /o/{org.slug}/interactions/999999/\n"


def test_a_server_error_still_logs_its_traceback(console_log):
    logger = logging.getLogger("django.request")
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        logger.error("Internal Server Error: /x/", exc_info=True, extra={"status_code": 500})
    assert "Traceback" in console_log.getvalue() and "ZeroDivisionError" in console_log.getvalue()
