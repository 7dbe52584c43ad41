"""The demo's e-mail: written to the data directory, and its managers and owners get digests."""

import pytest

from goaldesk.demo.build import demo_build
from goaldesk.demo.commands import _mail_to_data_dir
from goaldesk.reports.services import digests_send

pytestmark = pytest.mark.django_db


def test_demo_mail_goes_to_the_data_directory_unless_set(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("GOALDESK_EMAIL_URL", raising=False)
    assert _mail_to_data_dir() == str(tmp_path / "mail")
    monkeypatch.setenv("GOALDESK_EMAIL_URL", "smtp://mail.example.com:587")
    assert _mail_to_data_dir() is None


def test_a_digest_run_on_the_demo_mails_its_managers_and_owners(settings, tmp_path, mailoutbox):
    settings.DATA_DIR = tmp_path
    demo_build(seed=3, size=60)
    outcomes = digests_send()
    # demo owns both organisations; demo-manager manages one; agents and viewers get none.
    assert sorted((o.email, o.organisation, o.result) for o in outcomes) == [
        ("demo-manager@example.com", "demo", "sent"),
        ("demo@example.com", "demo", "sent"),
        ("demo@example.com", "demo-fa", "sent"),
    ]
    assert len(mailoutbox) == 3
