"""The locale sweep's rules on page readings written by hand (no browser): what counts as a
Latin digit, an untranslated string, a raw key, English text, an unmarked code, and what is
exempt."""

from tests.browser import sweep

FA = sweep.LOCALES["fa"]
AR = sweep.LOCALES["ar"]
DE = sweep.LOCALES["de"]


def reading(*texts, attrs=(), charts=(), date_inputs=(), arrows=(), title="x · GoalDesk"):
    """A page as COLLECT_JS reads it; a text is a string or (string, exempt, option)."""
    items = []
    for text in texts:
        value, exempt, option = (text, False, False) if isinstance(text, str) else text
        items.append(
            {"text": value, "exempt": exempt, "code": exempt, "option": option, "where": "p"}
        )
    return {
        "texts": items,
        "attrs": [
            {"attr": a, "text": v, "exempt": False, "code": False, "where": "input"}
            for a, v in attrs
        ],
        "charts": list(charts),
        "dateInputs": list(date_inputs),
        "arrows": list(arrows),
        "title": title,
        "links": [],
    }


def kinds(data, locale, user_strings=frozenset()):
    return sorted((kind, text) for kind, text, _where in sweep.classify(data, locale, user_strings))


def test_latin_digits_count_in_persian_but_not_inside_code_or_bdi():
    data = reading("در 28 روز گذشته", "در ۲۸ روز گذشته", ("NE-0001198", True, False))
    assert kinds(data, FA) == [("latin-digit", "در 28 روز گذشته")]
    # German pages write 0–9.
    assert kinds(reading("vor 28 Tagen"), DE) == []


def test_arabic_needs_its_own_digits_only_when_the_organisation_chose_them():
    latin_arabic = sweep.SweepLocale(**{**AR.__dict__, "arabic_indic_digits": False})
    data = reading("آخر 30 يومًا")
    assert kinds(data, AR) == [("latin-digit", "آخر 30 يومًا")]
    assert kinds(data, latin_arabic) == []


def test_a_translated_catalogue_string_left_in_english_is_untranslated():
    assert ("untranslated", "Interactions") in kinds(reading("Interactions"), FA)
    assert ("untranslated", "Interactions") in kinds(reading("Interactions"), DE)
    assert kinds(reading("تعامل‌ها"), FA) == []
    # Placeholders and labels too.
    data = reading(attrs=[("aria-label", "Interactions")])
    assert ("untranslated", "Interactions") in kinds(data, FA)


def test_what_people_wrote_is_not_untranslated_even_when_a_catalogue_string_reads_the_same():
    data = reading(("Improve the customer experience", False, True))
    mine = frozenset({"Improve the customer experience"})
    assert kinds(data, DE, mine) == []
    assert ("untranslated", "Improve the customer experience") in kinds(data, DE)


def test_raw_keys_beside_persian_words_or_alone_but_not_inside_an_english_sentence():
    assert kinds(reading("دسته: returns"), FA) == [("raw-key", "returns ← دسته: returns")]
    assert kinds(reading("email / phone"), FA) == [("raw-key", "email ← email / phone")]
    assert ("raw-key", "p90 ← میانه ۵۴ ثانیه · p90 ۱ ساعت") in kinds(
        reading("میانه ۵۴ ثانیه · p90 ۱ ساعت"), FA
    )
    # A goal titled in English mentions "chat": English text (needs <bdi>), not a key.
    assert kinds(reading("Raise chat satisfaction"), FA) == [
        ("english-text", "Raise chat satisfaction")
    ]
    # In German only keys no word is: "walk_in" is one, "delivery" is not looked for.
    assert kinds(reading("Kanal walk_in"), DE) == [("raw-key", "walk_in ← Kanal walk_in")]
    assert kinds(reading("delivery"), DE) == []


def test_english_text_needs_two_words_and_not_a_brand_or_an_acronym():
    assert kinds(reading("GoalDesk"), FA) == []
    assert kinds(reading("CSAT"), FA) == []
    # (Phrases the catalogue does not hold: one it translates is "untranslated" instead.)
    assert kinds(reading("Last week"), FA) == [("english-text", "Last week")]
    # German pages: English only when an English word no German word is is among them.
    assert kinds(reading("This quarter"), DE) == [("english-text", "This quarter")]
    assert kinds(reading("Service Level Forecast"), DE) == []
    assert kinds(reading("Letzte Woche"), DE) == []
    # An option is a line of its own: a name there needs no isolation.
    assert kinds(reading(("Aisha Rahman", False, True)), FA) == []
    assert kinds(reading(("Aisha Rahman", True, False)), FA) == []


def test_identifiers_outside_code_are_unmarked_codes():
    assert kinds(reading("NE-0001198"), FA) == [("unmarked-code", "NE-0001198")]
    assert kinds(reading("a.b@example.com"), AR) == [("unmarked-code", "a.b@example.com")]
    assert kinds(reading(("NE-0001198", True, False)), FA) == []
    # A list of codes (time zones) is one finding.
    zones = reading(("Etc/GMT+1", False, True), ("Etc/GMT+2", False, True))
    assert kinds(zones, FA) == [("unmarked-code", "Etc/GMT+1 and 1 more options")]


def test_percent_and_decimal_signs_of_the_locale():
    assert kinds(reading("۶۱٫۳٪"), FA) == []
    assert kinds(reading("۶۱٫۳ %"), FA) == [("percent-sign", "۶۱٫۳ %")]
    assert kinds(reading("٢.٩ دقيقة"), AR) == [("decimal-sign", "٢.٩ دقيقة")]


def test_chart_labels_date_inputs_and_arrows():
    chart = {"id": "c", "labels": [{"axis": "y", "text": "20"}, {"axis": "x", "text": "۱۲"}]}
    assert kinds(reading(charts=[chart]), FA) == [("latin-digit-chart", "20")]
    assert kinds(reading(date_inputs=["input name=from"]), FA) == [
        ("date-input", "input type=date")
    ]
    assert kinds(reading(date_inputs=["input name=from"]), DE) == []
    arrow = {"text": "قدیمی‌تر →", "where": "a", "shows": "→", "wants": "←"}
    assert kinds(reading(arrows=[arrow]), FA) == [("arrow", "→ should be ←: قدیمی‌تر →")]


def test_a_page_shape_ignores_ids_and_queries():
    assert sweep.page_shape("http://x/o/a/goals/12/?tab=1") == "/o/a/goals/N/"
    assert sweep.followable("http://x/o/a/goals/", origin="http://x", slug="a")
    assert not sweep.followable("http://x/signout/", origin="http://x", slug="a")
    assert not sweep.followable("http://x/o/a/x/?format=csv", origin="http://x", slug="a")
    assert not sweep.followable("http://x/o/b/goals/", origin="http://x", slug="a")
