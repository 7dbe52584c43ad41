"""Persian (۰–۹) and Arabic-Indic (٠–٩) digits, read and written."""

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(
    _PERSIAN + _ARABIC_INDIC + "٫٬،",
    "0123456789" * 2 + ".,,",
)
_PERSIAN_OUT = str.maketrans("0123456789", _PERSIAN)
_ARABIC_INDIC_OUT = str.maketrans("0123456789", _ARABIC_INDIC)


def normalize_digits(text: str) -> str:
    """Return `text` with Persian and Arabic-Indic digits (and decimal/thousand marks) as ASCII."""
    return text.translate(_TO_ASCII)


def localize_digits(text: str, language: str) -> str:
    """Return `text` with its digits written for `language`, a language code or a BCP 47 tag.

    Persian readers ('fa') get Persian digits (۱۲۳). Arabic readers in the Gulf and North Africa
    mostly read Western digits, so 'ar' keeps them; an organisation that writes Arabic-Indic
    digits asks for them with the tag's numbering extension, 'ar-u-nu-arab' (١٢٣).
    """
    if language.startswith("fa"):
        return text.translate(_PERSIAN_OUT)
    if language.endswith("-u-nu-arab"):
        return text.translate(_ARABIC_INDIC_OUT)
    return text
