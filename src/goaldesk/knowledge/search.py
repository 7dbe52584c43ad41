"""Folding for the help centre's search: the query and the stored text are folded the same way.

Built on engine/names.py's `fold_name` (Persian and Arabic letter variants ی/ي/ى and ک/ك,
diacritics/harakat, tatweel, invisible characters, digits, case), and further:

- German umlauts are written out (ä → ae, ö → oe, ü → ue; ß is already ss), so "Müller",
  "Mueller" and "MÜLLER" meet; other Latin accents are dropped (é → e);
- every space is removed from the stored text, and the query is cut into words that must each
  occur in it: the Persian half-space (ZWNJ) is written as a half-space, a space or nothing
  ("می‌خواهم", "می خواهم", "میخواهم"), and all three find each other.
"""

import unicodedata

from goaldesk.engine.names import fold_name

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_LATIN_MARKS = range(0x0300, 0x0370)


def fold(text: str) -> str:
    """`text` folded for search, words kept apart by single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_UMLAUTS)
    text = fold_name(text).translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if ord(c) not in _LATIN_MARKS)
    return unicodedata.normalize("NFC", kept)


def search_text(*parts: str) -> str:
    """What is stored to search in: the folded parts with no spaces at all."""
    return "".join(fold(" ".join(parts)).split())


def query_terms(query: str) -> list[str]:
    """The words of a query, folded; each must occur in the stored text (at most 8 are used)."""
    return [word for word in fold(query).split() if word][:8]
