"""Folding people's and teams' names (and keys) so that spellings of one name compare equal.

`fold_name` is for matching only, never for display. Two texts name the same person when their
folds are equal. The fold:

- applies Unicode NFKC (full-width letters, ligatures and Arabic presentation forms become the
  plain letters);
- turns Persian and Arabic digits into ASCII digits (۱۲ and ١٢ → 12);
- folds the letter variants Persian and Arabic keyboards write for one letter: ي (Arabic yeh),
  ى (alef maqsura) and ی (Farsi yeh) → ی; ك (Arabic kaf) and ک (keheh) → ک; ة (teh marbuta),
  ۀ (heh with yeh above) → ه, because a Persian writer spells "فاطمة" as "فاطمه" (a name that
  differs only there is never a different person in practice); أ إ آ ٱ → ا (hamza and madda
  are often left out when typing a name);
- removes tatweel (ـ, a stretching stroke) and the Arabic diacritics (harakat, tanwin, shadda,
  sukun, superscript alef, Quranic marks), which are optional in writing;
- treats the zero-width non-joiner (the Persian half-space in "علی‌رضا") as a space, and removes
  the other invisible characters (zero-width space and joiner, byte-order mark, direction marks);
- compares without case (str.casefold: "SARA" = "sara", "Straße" = "strasse");
- strips the ends and collapses every run of white space inside into one space.
"""

import re
import unicodedata

from goaldesk.engine.digits import normalize_digits

_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي Arabic yeh
        "\u0649": "\u06cc",  # ى alef maqsura
        "\u0643": "\u06a9",  # ك Arabic kaf
        "\u0629": "\u0647",  # ة teh marbuta
        "\u06c0": "\u0647",  # ۀ heh with yeh above
        "\u0623": "\u0627",  # أ alef with hamza above
        "\u0625": "\u0627",  # إ alef with hamza below
        "\u0622": "\u0627",  # آ alef with madda
        "\u0671": "\u0627",  # ٱ alef wasla
        "\u200c": " ",  # zero-width non-joiner: a half-space, read as a space
    }
)
#: Tatweel, Arabic diacritics and Quranic marks, and invisible format characters.
_DROPPED = re.compile(
    "[\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    "\u200b\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def fold_name(text: str) -> str:
    """Return `text` folded for matching names and keys (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = normalize_digits(text).translate(_LETTERS)
    text = _DROPPED.sub("", text)
    return " ".join(text.casefold().split())
