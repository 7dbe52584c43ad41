"""The translation catalogues: complete, consistent, and in step with the code.

A string the code marks for translation but the catalogues lack would show in English on a
German, Persian or Arabic page; these tests find it before a reader does.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parents[1] / "src" / "goaldesk"
LANGUAGES = ("de", "fa", "ar")
#: The names makemessages extracts; a translation function imported under any other name hides
#: its strings from the catalogues.
KNOWN_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{ *(\w+) *\}\}")


def _catalogue(language: str, root: Path = SOURCE):
    with (root / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _problems(catalogue) -> list[str]:
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        elif not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    assert _problems(_catalogue(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_message(language):
    wrong = []
    for message in _catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = {
            name for match in _PLACEHOLDER.finditer(ids[-1]) for name in match.groups() if name
        }
        for string in strings:
            found = {
                name for match in _PLACEHOLDER.finditer(string) for name in match.groups() if name
            }
            # A plural form may leave the count out ("one hour"), never invent a placeholder.
            if found - expected or (len(ids) == 1 and found != expected):
                wrong.append((ids[0], string))
    assert wrong == []


def test_translation_functions_keep_the_names_makemessages_knows():
    aliases = re.compile(r"from django\.utils\.translation import ([^\n(]+|\([^)]*\))")
    hidden = []
    for path in SOURCE.rglob("*.py"):
        for imported in aliases.findall(path.read_text(encoding="utf-8")):
            for part in imported.strip("()").split(","):
                name = part.split(" as ")[-1].strip()
                if name and " as " in part and name not in KNOWN_NAMES:
                    hidden.append(f"{path.relative_to(SOURCE)}: {part.strip()}")
    assert hidden == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogues_hold_every_string_the_code_marks(tmp_path):
    """Extract the strings of a copy of the code, as `make messages` does, and find none
    that the committed catalogues do not translate."""
    copy = tmp_path / "goaldesk"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "GOALDESK_DATA_DIR": str(tmp_path / "data")}
    subprocess.run(
        [sys.executable, "-m", "goaldesk", "manage", "makemessages", "--no-obsolete"]
        + [f"-l{language}" for language in LANGUAGES],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        assert _problems(_catalogue(language, copy)) == [], language
