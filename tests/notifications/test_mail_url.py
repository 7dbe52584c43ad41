"""GOALDESK_EMAIL_URL: each documented form gives the settings Django needs."""

import pytest

from goaldesk.core.mail_url import EmailUrlError, email_settings


def test_smtp_on_the_submission_port_starts_tls():
    s = email_settings("smtp://mailer:p%40ss@mail.example.org:587")
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("mailer", "p@ss")
    assert (s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (True, False)


def test_smtps_is_tls_from_the_first_byte_and_port_25_is_plain():
    s = email_settings("smtps://u:p@mail.example.org")
    assert (s["EMAIL_PORT"], s["EMAIL_USE_SSL"], s["EMAIL_USE_TLS"]) == (465, True, False)
    plain = email_settings("smtp://relay.local:25")
    assert (plain["EMAIL_USE_TLS"], plain["EMAIL_USE_SSL"]) == (False, False)


def test_console_and_file():
    assert email_settings("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    s = email_settings("file:///var/lib/goaldesk/mail")
    assert s["EMAIL_FILE_PATH"] == "/var/lib/goaldesk/mail"
    assert s["EMAIL_BACKEND"] == "goaldesk.core.mail_backends.EmlFileBackend"


@pytest.mark.parametrize(
    "url", ["smtpx://host", "file://relative/dir", "smtp://", "smtp://host:notaport"]
)
def test_unusable_urls_say_so(url):
    with pytest.raises(EmailUrlError, match="GOALDESK_EMAIL_URL"):
        email_settings(url)


def test_the_file_backend_writes_one_eml_per_message(tmp_path):
    from django.core.mail import EmailMessage

    from goaldesk.core.mail_backends import EmlFileBackend

    backend = EmlFileBackend(file_path=str(tmp_path / "mail"))
    sent = backend.send_messages(
        [
            EmailMessage("Hello", "Body one", "a@example.org", ["b@example.org"]),
            EmailMessage("Hi", "Body two", "a@example.org", ["c@example.org"]),
        ]
    )
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert sent == 2 and len(files) == 2
    assert {b"Subject: Hello", b"Subject: Hi"} == {
        next(line for line in f.read_bytes().splitlines() if line.startswith(b"Subject:"))
        for f in files
    }
