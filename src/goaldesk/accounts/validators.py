"""Password rules in our own words, so every language has them.

Django 5.2 renamed the minimum-length messages' placeholder and its Persian catalogue has not
caught up: Persian readers were told the rule in English. These say it in the reader's language
and digits.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

from goaldesk.core.display import lnum


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule: at least `min_length` characters (8 unless settings say otherwise)."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it needs at least %(count)s character.",
            "This password is too short: it needs at least %(count)s characters.",
            self.min_length,
        ) % {"count": lnum(self.min_length)}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must have at least %(count)s character.",
            "Your password must have at least %(count)s characters.",
            self.min_length,
        ) % {"count": lnum(self.min_length)}
