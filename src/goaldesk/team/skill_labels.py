"""How a skill reads: a channel by its label, a language by its name, a product or other skill
by the name the organisation gave it.

Channels are defined in `interactions` (above team); it hands their labels to this module when it
starts (`interactions/apps.py`), so team's pages name channels without importing upwards.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import get_language_info

from goaldesk.team.models import Skill

_channel_labels: dict[str, Any] = {}


def channel_labels_register(choices: Iterable[tuple[str, Any]]) -> None:
    """Called once by interactions with its channels' (value, lazy label) pairs."""
    _channel_labels.update(choices)


def channel_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in _channel_labels.items()]


def language_name(code: str) -> str:
    """ "fa" → "Persian" in the reader's language; the code itself when Django does not know it."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code, _name in settings.LANGUAGES]


def skill_label(skill: Skill) -> str:
    if skill.kind == Skill.Kind.CHANNEL:
        return str(_channel_labels.get(skill.code, skill.name or skill.code))
    if skill.kind == Skill.Kind.LANGUAGE:
        return skill.name or language_name(skill.code)
    return skill.name or skill.code
