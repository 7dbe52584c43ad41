"""Folding names: each expected value below is written out by hand from the rules in names.py."""

import pytest

from goaldesk.engine.names import fold_name


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sara Ahmed", "sara ahmed"),
        ("  SARA   ahmed\t", "sara ahmed"),  # ends stripped, inner run of spaces → one
        ("Sara\u00a0Ahmed", "sara ahmed"),  # no-break space (NFKC → space)
        ("Ｓａｒａ", "sara"),  # full-width letters (NFKC)
        ("Straße", "strasse"),  # casefold, not lower
        ("Sara@Example.COM", "sara@example.com"),
        ("agent ۱۲", "agent 12"),  # Persian digits
        ("agent ١٢", "agent 12"),  # Arabic-Indic digits
        ("", ""),
        ("   ", ""),
    ],
)
def test_latin_names_fold_case_space_and_width(text, folded):
    assert fold_name(text) == folded


def test_persian_and_arabic_yeh_and_kaf_fold_to_one_letter():
    # "علي" (Arabic yeh U+064A) and "علی" (Farsi yeh U+06CC) are the same name.
    assert fold_name("\u0639\u0644\u064a") == "\u0639\u0644\u06cc"
    assert fold_name("\u0639\u0644\u06cc") == "\u0639\u0644\u06cc"
    # "مصطفى" ends in alef maqsura U+0649 → Farsi yeh.
    assert fold_name("\u0645\u0635\u0637\u0641\u0649") == "\u0645\u0635\u0637\u0641\u06cc"
    # "كريم" (Arabic kaf, Arabic yeh) = "کریم" (keheh, Farsi yeh).
    assert fold_name("\u0643\u0631\u064a\u0645") == fold_name("\u06a9\u0631\u06cc\u0645")
    assert fold_name("\u0643\u0631\u064a\u0645") == "\u06a9\u0631\u06cc\u0645"


def test_teh_marbuta_and_hamza_forms_fold():
    # "فاطمة" (teh marbuta) = "فاطمه" (heh).
    assert fold_name("\u0641\u0627\u0637\u0645\u0629") == "\u0641\u0627\u0637\u0645\u0647"
    # "أحمد" (alef with hamza) = "احمد" (bare alef).
    assert fold_name("\u0623\u062d\u0645\u062f") == "\u0627\u062d\u0645\u062f"


def test_tatweel_and_diacritics_are_removed():
    # "مـحـمّد" with two tatweels and a shadda is "محمد".
    assert fold_name("\u0645\u0640\u062d\u0640\u0645\u0651\u062f") == "\u0645\u062d\u0645\u062f"
    # "سَارَة" with fathas → "ساره".
    assert fold_name("\u0633\u064e\u0627\u0631\u064e\u0629") == "\u0633\u0627\u0631\u0647"


def test_zero_width_non_joiner_reads_as_a_space_and_other_invisibles_go():
    # "علی‌رضا" (half-space) = "علی رضا" (space); "علیرضا" (no space) stays different.
    half = "\u0639\u0644\u06cc\u200c\u0631\u0636\u0627"
    spaced = "\u0639\u0644\u06cc \u0631\u0636\u0627"
    joined = "\u0639\u0644\u06cc\u0631\u0636\u0627"
    assert fold_name(half) == fold_name(spaced) == spaced
    assert fold_name(joined) != fold_name(spaced)
    assert fold_name("\ufeffsara\u200b") == "sara"
    assert fold_name("\u200fsara\u200e") == "sara"


def test_different_names_stay_different():
    assert fold_name("Sara Ahmed") != fold_name("Sara Ahmadi")
    assert fold_name("\u0639\u0644\u06cc") != fold_name("\u0639\u0644\u0627")
