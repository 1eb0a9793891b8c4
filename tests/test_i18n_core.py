"""The language machinery: choosing a language, locale formats, messages composed once and localized."""

from __future__ import annotations

import datetime as dt

import pytest

from sellerdx import text
from sellerdx.i18n import Count, Day, Items, Message, Rate, Share, Term, active, localize, placeholders, resolve, use
from sellerdx.i18n.extract import translatable
from support.catalogs import fake_catalog


def test_the_language_comes_from_the_option_then_sellerdx_lang_then_the_system_locale():
    env = {"SELLERDX_LANG": "de", "LANG": "ja_JP.UTF-8"}
    assert resolve("zh", env).code == "zh"
    assert resolve(None, env).code == "de"
    assert resolve(None, {"LANG": "ja_JP.UTF-8"}).code == "ja"
    assert resolve(None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "ja_JP.UTF-8"}).code == "fr"
    assert resolve(None, {"LANG": "C.UTF-8"}).code == "en"
    assert resolve(None, {}).source == "default"


def test_an_unknown_language_falls_back_to_english_with_one_warning():
    choice = resolve("pt", {})
    assert choice.code == "en"
    assert "pt" in choice.warning and "zh" in choice.warning
    # a system locale sellerdx does not speak is not the user's request: English without a warning
    assert resolve(None, {"LANG": "pt_BR.UTF-8"}).warning is None


def test_english_numbers_are_exactly_what_sellerdx_always_wrote():
    assert (text.count(63322), text.rate(0.02764), text.share(0.487), text.share(0)) == ("63,322", "2.76%", "48.7%", "0%")
    assert text.percent(0.04, trim=True) == "4%"


@pytest.mark.parametrize(("lang", "expected"), [
    ("de", ("63.322", "2,76\xa0%", "48,7\xa0%", "12,5\xa0%")),
    ("fr", ("63\u202f322", "2,76\xa0%", "48,7\xa0%", "12,5\xa0%")),
    ("ja", ("63,322", "2.76%", "48.7%", "12.5%")),
    ("it", ("63.322", "2,76%", "48,7%", "12,5%")),
    ("vi", ("63.322", "2,76%", "48,7%", "12,5%")),
])
def test_other_languages_follow_their_locale(lang, expected):
    with use(lang):
        assert (text.count(63322), text.rate(0.02764), text.share(0.487), text.percent(0.125, trim=True)) == expected


def test_a_share_that_rounds_to_100_is_100_percent_in_every_language():
    with use("de"):
        assert text.share(0.99999) == "100\xa0%"
        assert text.share(0) == "0\xa0%"




@pytest.fixture
def german(monkeypatch):
    fake = fake_catalog({
        "{count:order|orders} were late ({share}) on {day}": "{count:Bestellung|Bestellungen} kamen zu spät ({share}) am {day}",
        "Order Defect Rate": "Bestellmängelquote",
        "{metric} is {rate}": "{metric} beträgt {rate}",
        "{n} more": "{n} weitere",
    }, "de")
    monkeypatch.setattr(active, "translations", lambda code: fake)


def test_a_message_is_its_english_sentence_and_localizes_with_typed_fields(german):
    message = Message("{count:order|orders} were late ({share}) on {day}",
                      {"count": Count(1234), "share": Share(0.487), "day": Day.of(dt.date(2026, 8, 19))})
    assert message == "1,234 orders were late (48.7%) on 2026-08-19"
    with use("de"):
        assert localize(message) == "1.234 Bestellungen kamen zu spät (48,7\xa0%) am 19.08.2026"
        one = Message("{count:order|orders} were late ({share}) on {day}",
                      {"count": Count(1), "share": Share(1.0), "day": Day.of(dt.date(2026, 8, 1))})
        assert localize(one) == "1 Bestellung kamen zu spät (100\xa0%) am 01.08.2026"  # the plural form of the noun only


def test_terms_and_nested_messages_are_translated_where_they_are_shown(german):
    message = Message("{metric} is {rate}", {"metric": Term("Order Defect Rate"), "rate": Rate(0.0248)})
    assert message == "Order Defect Rate is 2.48%"
    with use("de"):
        assert localize(message) == "Bestellmängelquote beträgt 2,48\xa0%"
        assert format(Items(["A", "B", "C", "D"], limit=2), "") == "A, B und 2 weitere"


def test_data_values_are_never_translated(german):
    message = Message("{metric} is {rate}", {"metric": "Order Defect Rate", "rate": Rate(0.1)})
    with use("de"):
        assert localize(message) == "Order Defect Rate beträgt 10,00\xa0%"


def test_a_message_survives_pickling_for_the_portfolio_workers():
    import pickle  # noqa: PLC0415

    message = Message("{count:order|orders} were late", {"count": Count(2)})
    copy = pickle.loads(pickle.dumps(message))
    assert copy == "2 orders were late" and copy.template == message.template


def test_placeholders_ignore_format_specs():
    assert placeholders("{count:Bestellung|Bestellungen} am {day} ({share})") == {"count", "day", "share"}


def test_only_sentences_of_listed_keys_are_extracted_from_data():
    assert translatable("rule.*.statement", "Late shipments cluster on {entities}", ["rule.*.statement"], [])
    assert not translatable("rule.*.statement", "late_shipment", ["rule.*.statement"], [])
    assert not translatable("rule.*.code", "Late shipments", ["rule.*.statement"], [])


def test_a_language_with_one_plural_form_writes_it_without_a_bar():
    assert format(Count(5), "件") == "5 件"
    assert format(Count(5), "#件") == "5件"
    assert format(Count(1234), ",") == "1,234"   # a number format stays one
    assert format(Count(3), "chỉ số") == "3 chỉ số"
