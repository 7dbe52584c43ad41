"""Persian (۰–۹) and Arabic-Indic (٠–٩) digits, read and written."""

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(
    _PERSIAN + _ARABIC_INDIC + "٫٬،",
    "0123456789" * 2 + ".,,",
)
_PERSIAN_OUT = str.maketrans("0123456789", _PERSIAN)


def normalize_digits(text: str) -> str:
    """Return `text` with Persian and Arabic-Indic digits (and decimal/thousand marks) as ASCII."""
    return text.translate(_TO_ASCII)


def localize_digits(text: str, language: str) -> str:
    """Return `text` with its digits written for `language`: Persian digits for 'fa'.

    Arabic readers in the Gulf and North Africa mostly read Western digits, so only Persian
    text is converted.
    """
    return text.translate(_PERSIAN_OUT) if language.startswith("fa") else text
