"""A person who forgot their password asks for a link on the sign-in page, opens the link from
the e-mail, sets a new password and signs in with it; the old one no longer works."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import PASSWORD, shot, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a fresh tangerine 42"


def test_forgotten_password_reset_end_to_end(live_server, desk, new_page, django_user_model):
    django_user_model.objects.filter(username="maryam").update(email="maryam@example.org")
    page = new_page()
    page.goto(f"{live_server.url}/signin/")
    with page.expect_navigation():
        page.click("text=Forgot your password?")
    page.fill("input[name=email]", "maryam@example.org")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    shot(page, "password-reset-sent")

    # The live server runs in this process: its e-mail is in Django's in-memory outbox.
    [message] = mail.outbox
    assert message.to == ["maryam@example.org"]
    link = re.search(r"https?://[^/\s]+(/signin/reset/\S+/)", message.body).group(1)

    page.goto(f"{live_server.url}{link}")
    assert page.locator("h1").inner_text() == "Set a new password"
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    shot(page, "password-reset-form")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Your password was set" in page.locator("main").inner_text()

    sign_in(page, live_server, password=PASSWORD)
    assert page.url.startswith(f"{live_server.url}/signin/")  # the old password is gone
    sign_in(page, live_server, password=NEW_PASSWORD)
    assert page.url == f"{live_server.url}/o/tehran/"

    page.goto(f"{live_server.url}{link}")  # the link worked once
    assert "This link does not work any more" in page.locator("main").inner_text()
