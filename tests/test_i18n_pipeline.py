"""Languages in what the pipeline and the CLI say: --lang / SELLERDX_LANG / LANG, the terminal in the language,
finding statements composed once and localized, errors in the language, poa check --poa-lang.

A catalog the translators have not filled yet is replaced here by a small fake one (as in
tests/test_i18n_core.py), so each test checks the machinery with translations written by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import sellerdx
from sellerdx import cli
from sellerdx.i18n import Count, Items, Message, Rate, Term, active, localize, use
from sellerdx.i18n.catalogs import translations
from sellerdx.i18n.fields import Clause, Number, Plural
from sellerdx.poa_lint import lint_poa, paragraph_language
from support.catalogs import fake_catalog

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_reports" / "us-seller"




GERMAN = {
    "metric": "Kennzahl",
    "status": "Status",
    "at risk": "gefährdet",
    "findings ({n} in the report):": "Befunde ({n} im Bericht):",
    "findings: none": "Befunde: keine",
    "report: {file}": "Bericht: {file}",
    "error:": "Fehler:",
    "hint: {hint}": "Hinweis: {hint}",
    "file not found": "Datei nicht gefunden",
    "pass the poa.md written by sellerdx analyze": "Geben Sie die von sellerdx analyze geschriebene poa.md an",
    "total: {read} rows read = {loaded} loaded + {rejected} rejected":
        "Summe: {read} Zeilen gelesen = {loaded} geladen + {rejected} abgewiesen",
    "[[date]]: We {action:lower}": "[[Datum]]: {action}",
    "this": "dies",
}


@pytest.fixture
def german(monkeypatch):
    fake = fake_catalog(GERMAN, "de")
    real = active.translations
    monkeypatch.setattr(active, "translations", lambda code: fake if code == "de" else real(code))
    return fake


def _english_env(monkeypatch) -> None:
    for var in ("SELLERDX_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)


# ------------------------------------------------------------------------------------------ typed fields
def test_plural_chooses_the_words_that_agree_with_the_number():
    one = Message("{n:this day|these days}", {"n": Plural(1)})
    many = Message("{n:this day|these days} ({n})", {"n": Plural(1234)})
    assert (one, many) == ("this day", "these days (1,234)")
    with use("de"):
        assert localize(many) == "these days (1.234)"   # no catalog entry: the English template, German numbers


def test_number_and_clause_follow_the_language():
    message = Message("[[date]]: We {action:lower}", {"action": Clause(Message("Confirmed {n} orders at {x}",
                                                                              {"n": Count(2), "x": Number(3.25, 1)}))})
    assert message == "[[date]]: We confirmed 2 orders at 3.2"
    with use("de"):
        assert format(Number(1234.56, 1), "") == "1.234,6"


def test_a_finding_statement_is_a_message_whose_english_is_unchanged(us_analysis, german, monkeypatch):
    finding = next(f for f in us_analysis.finding_list if "{window}" in f.statement.template)
    assert isinstance(finding.statement, Message)
    assert "{this}" not in finding.statement.template and "{its}" not in finding.statement.template
    window = re.search(r"\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d", finding.statement)
    assert window, finding.statement      # the English sentence as sellerdx always wrote it
    # a translation of this statement, written by hand: same fields, German frame
    fake = fake_catalog({**GERMAN, finding.statement.template: "BEFUND " + finding.statement.template,
                     "{start} to {end}": "{start} bis {end}"}, "de")
    monkeypatch.setattr(active, "translations", lambda code: fake)
    with use("de"):
        text = localize(finding.statement)
    start, end = (dt.date.fromisoformat(d) for d in window.group().split(" to "))
    assert text.startswith("BEFUND ")
    assert f"{start:%d.%m.%Y} bis {end:%d.%m.%Y}" in text            # days in German form
    assert re.search(r"\d,\d\d\xa0%", text)                           # rates with a decimal comma
    assert not re.search(r"\d\.\d\d%", text)
    corrective = finding.corrective_actions[0]
    assert corrective.startswith("[[date]]: We ")
    with use("de"):
        assert localize(corrective).startswith("[[Datum]]: ")


def test_items_and_terms_in_a_statement(german):
    message = Message("{metric} is {rate} on {asins}",
                      {"metric": Term("this"), "rate": Rate(0.1234), "asins": Items(["B1", "B2", "B3"])})
    assert message == "this is 12.34% on B1, B2 and B3"
    with use("de"):
        assert localize(message) == "dies is 12,34\xa0% on B1, B2 und B3"


# ------------------------------------------------------------------------------------------ the CLI
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the bundled sample is not in this checkout")
def test_analyze_lang_de_writes_the_terminal_in_german_and_an_english_poa(tmp_path, german, monkeypatch):
    _english_env(monkeypatch)
    out = tmp_path / "report"
    result = CliRunner().invoke(cli.main, ["analyze", str(SAMPLE), "--out", str(out), "--no-cache",
                                           "--lang", "de"])
    assert result.exit_code in (0, 1), result.output
    text = result.stdout
    assert "Kennzahl" in text and "gefährdet" in text
    assert "Befunde (" in text and "Bericht: " in text
    assert re.search(r"\d,\d\d\xa0%", text), text       # rates with a decimal comma
    assert re.search(r"\d{2}\.\d{2}\.\d{4} – \d{2}\.\d{2}\.\d{4}", text)   # windows as German days
    poa = (out / "poa.md").read_text(encoding="utf-8")
    assert "Plan of Action" in poa and re.search(r"\d\.\d\d%", poa)
    assert "\xa0%" not in poa and "Kennzahl" not in poa
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["options"]["lang"] == "de" and summary["options"]["poa_lang"] == "en"


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the bundled sample is not in this checkout")
def test_an_unknown_language_is_english_with_one_warning(tmp_path, monkeypatch):
    _english_env(monkeypatch)
    out = tmp_path / "report"
    result = CliRunner().invoke(cli.main, ["analyze", str(SAMPLE), "--out", str(out), "--no-cache",
                                           "--lang", "pt"])
    assert result.exit_code in (0, 1), result.output
    assert result.stderr.count("'pt'") == 1 and "English" in result.stderr
    assert "'pt'" not in result.stdout                  # once: on stderr, not again in the summary
    assert "metric" in result.stdout and "findings" in result.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["options"]["lang"] == "en"
    assert any("'pt'" in w for w in summary["warnings"])


def test_the_library_resolves_the_language_like_the_cli(monkeypatch):
    _english_env(monkeypatch)
    assert sellerdx.analyze("anywhere", lang="ja").options.lang == "ja"
    unknown = sellerdx.analyze("anywhere", lang="pt")
    assert unknown.options.lang == "en" and "'pt'" in unknown.language_warning
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert sellerdx.analyze("anywhere").options.lang == "fr"
    monkeypatch.setenv("SELLERDX_LANG", "it")
    assert sellerdx.analyze("anywhere").options.lang == "it"
    assert sellerdx.analyze("anywhere", poa_lang="de").options.poa_lang == "de"
    with pytest.raises(sellerdx.errors.BadOptionError):
        sellerdx.analyze("anywhere", poa_lang="zh")       # Amazon does not read a Plan of Action in Chinese


def _validate(folder: Path, env: dict[str, str]) -> str:
    result = CliRunner(env=env).invoke(cli.main, ["validate", str(folder)])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the bundled sample is not in this checkout")
def test_sellerdx_lang_then_lang_choose_the_language_of_the_cli(german, monkeypatch):
    _english_env(monkeypatch)
    total = re.compile(r"^(total|Summe): ([\d.,]+) ", re.M)
    english = _validate(SAMPLE, {"LANG": "C.UTF-8"})
    read = total.search(english)
    assert read and read.group(1) == "total" and "," in read.group(2)        # e.g. 12,345 rows
    from_env = _validate(SAMPLE, {"SELLERDX_LANG": "de", "LANG": "ja_JP.UTF-8"})
    from_locale = _validate(SAMPLE, {"LANG": "de_DE.UTF-8"})
    german_total = read.group(2).replace(",", ".")
    for text in (from_env, from_locale):
        found = total.search(text)
        assert found and found.group(1) == "Summe" and found.group(2) == german_total
    # --lang wins over both
    result = CliRunner(env={"SELLERDX_LANG": "de"}).invoke(cli.main, ["validate", str(SAMPLE), "--lang", "en"])
    assert total.search(result.stdout).group(1) == "total"


def test_an_error_and_its_hint_in_the_language_asked(tmp_path, german, monkeypatch):
    _english_env(monkeypatch)
    missing = tmp_path / "nowhere.md"
    result = CliRunner().invoke(cli.main, ["poa", "check", str(missing), "--lang", "de"])
    assert result.exit_code == cli.EXIT_USAGE
    assert f"Fehler: {missing}: Datei nicht gefunden" in result.stderr
    assert "Hinweis: Geben Sie die von sellerdx analyze geschriebene poa.md an" in result.stderr


@pytest.mark.parametrize("lang", ["de", "ja"])
def test_an_error_and_its_hint_from_the_real_catalog(tmp_path, monkeypatch, lang):
    catalog = translations(lang)
    if catalog.gettext("hint: {hint}") == "hint: {hint}" or catalog.gettext("file not found") == "file not found":
        pytest.skip(f"the {lang} catalog has no translation of the poa check errors yet")
    _english_env(monkeypatch)
    missing = tmp_path / "nowhere.md"
    result = CliRunner().invoke(cli.main, ["poa", "check", str(missing), "--lang", lang])
    assert result.exit_code == cli.EXIT_USAGE
    assert catalog.gettext("file not found") in result.stderr
    assert catalog.gettext("hint: {hint}").split("{hint}")[0].strip() in result.stderr


# ------------------------------------------------------------------------------------------ poa check
GERMAN_PLAN = """\
Plan of Action

Root cause:
Unser Lager hatte samstags keine Schicht, deshalb wurden die Bestellungen erst am Montag versendet.

Corrective actions taken:
- 2026-10-03: Wir haben alle 17 offenen Bestellungen mit gültiger Sendungsnummer versendet.

Preventive measures:
- Owner: Lagerleiter · Frequency: täglich um 15:00 · Measure: Bestellungen nach dem Versanddatum, Ziel 0 · Effective: 2026-10-04
"""

JAPANESE_PLAN = """\
Plan of Action

Root cause:
土曜日に出荷担当者がいなかったため、金曜日午後の注文が月曜日まで出荷されませんでした。

Corrective actions taken:
- 2026-10-03: 未出荷の注文17件をすべて追跡番号付きで出荷しました。

Preventive measures:
- Owner: 倉庫責任者 · Frequency: 毎日15時 · Measure: 出荷予定日を過ぎた注文 目標0件 · Effective: 2026-10-04
"""


def test_paragraph_language_by_script_then_function_words():
    assert paragraph_language("土曜日に出荷担当者がいなかったため、注文が遅れました。") == "ja"
    assert paragraph_language("我们用没有纸箱的袋子发货，玻璃没有保护。") == "zh"
    assert paragraph_language("Wir haben die Vase ohne Karton versendet, das schützt kein Glas.") == "de"
    assert paragraph_language("We shipped the vase in a bag, which does not protect the glass.") == "en"
    assert paragraph_language("B0D1GLV5X7 2026-10-07") is None        # too little text to tell


def test_a_german_plan_checked_as_english_is_flagged_per_paragraph():
    problems = [p for p in lint_poa(GERMAN_PLAN, poa_lang="en") if p.code == "not-english"]
    assert [p.line for p in problems] == [4, 7, 10]          # the answer labels are the skeleton's, not text
    assert "German" in problems[0].message
    assert not [p for p in lint_poa(GERMAN_PLAN, poa_lang="de") if "language" in p.code or "english" in p.code]


def test_a_japanese_plan_is_clean_in_japanese_and_flagged_in_german():
    assert not [p for p in lint_poa(JAPANESE_PLAN, poa_lang="ja") if p.code in ("not-english", "not-poa-language")]
    wrong = [p for p in lint_poa(JAPANESE_PLAN, poa_lang="de") if p.code == "not-poa-language"]
    assert [p.line for p in wrong] == [4, 7, 10]
    assert "Japanese" in wrong[0].message and "German" in wrong[0].message
    mixed = JAPANESE_PLAN.replace("土曜日に出荷担当者がいなかったため、金曜日午後の注文が月曜日まで出荷されませんでした。",
                                  "Our warehouse had no shift on Saturdays, so the orders were shipped on Monday.")
    assert [p.line for p in lint_poa(mixed, poa_lang="ja") if p.code == "not-poa-language"] == [4]


def test_poa_check_cli_takes_poa_lang_and_refuses_a_language_amazon_does_not_read(tmp_path, monkeypatch):
    _english_env(monkeypatch)
    plan = tmp_path / "poa.md"
    plan.write_text(GERMAN_PLAN, encoding="utf-8")
    english = CliRunner().invoke(cli.main, ["poa", "check", str(plan)])
    assert english.stdout.count(": not-english: ") == 3
    german = CliRunner().invoke(cli.main, ["poa", "check", str(plan), "--poa-lang", "de"])
    assert "not-english" not in german.stdout and "not-poa-language" not in german.stdout
    chinese = CliRunner().invoke(cli.main, ["poa", "check", str(plan), "--poa-lang", "zh"])
    assert chinese.exit_code == cli.EXIT_USAGE and "--poa-lang" in chinese.stderr


def test_the_plan_of_action_is_written_in_messages(us_analysis):
    """Every sentence of the plan is a Message: English as str (poa.md unchanged), its days and numbers in
    the conventions of the language it is written in (--poa-lang, the report's translation)."""
    plan = us_analysis.result.plan
    section = next(s for s in plan.sections if re.search(r"between \d{4}-\d\d-\d\d and", s.root_cause))
    assert isinstance(section.root_cause, Message) and isinstance(section.title, Message)
    assert all(isinstance(c, Message) for c in section.corrective)
    first, last = re.search(r"between (\d{4}-\d\d-\d\d) and (\d{4}-\d\d-\d\d)", section.root_cause).groups()
    with use("de"):
        german = localize(section.root_cause)
    assert f"{dt.date.fromisoformat(first):%d.%m.%Y}" in german and f"{dt.date.fromisoformat(last):%d.%m.%Y}" in german
    assert first not in german
    step = section.preventive[0]
    assert isinstance(step.action, Message) and isinstance(step.owner, Message)


def test_the_composed_texts_survive_pickling(us_analysis):
    """Portfolio workers send results between processes: every typed field pickles."""
    import pickle  # noqa: PLC0415

    result = us_analysis.result
    plan, findings = pickle.loads(pickle.dumps((result.plan, us_analysis.finding_list)))
    assert plan == result.plan and [f.statement for f in findings] == [f.statement for f in us_analysis.finding_list]
    with use("de"):
        assert [localize(s.root_cause) for s in plan.sections] == [localize(s.root_cause) for s in result.plan.sections]
    notes = [m.note for m in us_analysis.metric_results.values() if m.note]
    assert pickle.loads(pickle.dumps(notes)) == notes


def test_a_wrong_option_is_explained_in_the_readers_language(monkeypatch, tmp_path):
    """The real catalogs: `--as-of foo --lang de` and `--odr-lag-days 99 --lang ja` stop with exit 2, the error
    and its hint in German and Japanese; without --lang, English."""
    _english_env(monkeypatch)
    runner = CliRunner()
    folder = str(Path(__file__).resolve().parent.parent / "sample_reports" / "us-seller")
    de = runner.invoke(cli.main, ["analyze", folder, "--as-of", "foo", "--lang", "de", "--out", str(tmp_path / "o")])
    assert de.exit_code == 2
    assert "--as-of 'foo' ist kein Datum" in de.output and "JJJJ-MM-TT" in de.output
    ja = runner.invoke(cli.main, ["analyze", folder, "--odr-lag-days", "99", "--lang", "ja", "--out",
                                  str(tmp_path / "o")])
    assert ja.exit_code == 2 and "--odr-lag-days 99 は範囲外です" in ja.output
    en = runner.invoke(cli.main, ["analyze", folder, "--as-of", "foo", "--out", str(tmp_path / "o")])
    assert en.exit_code == 2 and "--as-of 'foo' is not a date" in en.output
