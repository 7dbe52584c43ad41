"""Django's e-mail settings from one URL (`GOALDESK_EMAIL_URL`).

    smtp://user:password@host:587     SMTP; STARTTLS unless ?tls=0 (port 25 without it)
    smtps://user:password@host:465    SMTP over TLS from the first byte
    console:                          every message printed on standard output
    file:///path/to/dir               every message written there as an .eml file
    memory:                           kept in memory (tests)

Written here rather than taken from dj-email-url or django-environ: neither reads `console:`
and `file:///abs/path` as the settings document them, and neither starts STARTTLS for plain
`smtp://` on the submission port.
"""

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "goaldesk.core.mail_backends.EmlFileBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


class EmailUrlError(ValueError):
    """The URL cannot be used; the message says why (shown at start-up)."""


def email_settings(url: str) -> dict[str, Any]:
    """The `EMAIL_*` settings `url` stands for."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        raise EmailUrlError(
            f"GOALDESK_EMAIL_URL: unknown scheme {scheme!r}; use smtp://, smtps://, console:, "
            "file:///directory or memory:"
        )
    values: dict[str, Any] = {"EMAIL_BACKEND": _BACKENDS[scheme]}
    if scheme == "file":
        path = unquote(parts.path)
        if parts.netloc not in {"", "localhost"} or not path.startswith("/"):
            raise EmailUrlError("GOALDESK_EMAIL_URL: file:// needs an absolute directory path")
        values["EMAIL_FILE_PATH"] = path
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise EmailUrlError("GOALDESK_EMAIL_URL: the SMTP URL has no host")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            port = parts.port or (465 if scheme == "smtps" else 587)
            timeout = int(query.get("timeout", "10"))
        except ValueError as error:
            raise EmailUrlError(f"GOALDESK_EMAIL_URL: {error}") from error
        values |= {
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme == "smtp"
            and query.get("tls", "1" if port != 25 else "0") != "0",
            # A mail server that does not answer must not hold a worker.
            "EMAIL_TIMEOUT": timeout,
        }
    return values
