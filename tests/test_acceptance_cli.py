"""Acceptance: the installed ``sellerdx`` command on each bundled sample folder, as a user runs it.

Runs the real console script (the one next to the running Python, else on PATH: tests/support/command.py)
in a subprocess: ``analyze`` (table and ``--json``), ``validate`` and ``poa check``. Expected numbers,
windows, files and damaged rows come from each folder's ``planted.json``; the summary.json keys are the
ones the README names in "summary.json — a public contract".
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.acceptance import FOLDERS, PLANTED, SAMPLES, expected_status, planted_file_path, problem_params
from support.command import SELLERDX

OUTPUTS = ("report.html", "summary.json", "poa.md", "evidence.csv", "rejected_rows.csv")

# README, "summary.json — a public contract"
TOP_KEYS = {"schema_version", "sellerdx_version", "as_of", "folder", "inputs", "skipped", "rows", "metrics",
            "findings", "reconciliation", "unmatched_defects"}
INPUT_KEYS = {"path", "kind", "encoding", "delimiter", "rows_read", "rows_loaded", "rows_rejected",
              "rows_duplicate", "date_min", "date_max", "warnings"}
SKIPPED_KEYS = {"path", "reason"}
ROWS_KEYS = {"read", "loaded", "rejected"}
METRIC_SLOTS = {"odr", "pfcr", "lsr_10d", "lsr_30d", "vtr", "otdr"}
NULLABLE_SLOTS = {"lsr_10d", "lsr_30d", "vtr", "otdr"}
M_KEYS = {"key", "label", "rate", "numerator", "denominator", "window_start", "window_end", "target",
          "direction", "status", "ci_low", "ci_high", "one_more_rate", "recovery_date", "note", "extras"}
F_KEYS = {"code", "metric", "title", "statement", "share", "confidence", "entities", "order_ids",
          "corrective_actions", "preventive_actions", "corroboration", "evidence"}
STATUSES = {"ok", "at_risk", "no_orders", "not_computed"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")



@dataclass(frozen=True)
class Completed:
    """A finished ``sellerdx`` command."""
    returncode: int
    stdout: str
    stderr: str
    out: Path


def _sellerdx(*args: str, out: Path | None = None) -> Completed:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([*SELLERDX, *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=300, cwd=str(SAMPLES.parent))
    return Completed(proc.returncode, proc.stdout, proc.stderr, out or Path())


def _tempdir(tag: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"sellerdx-cli-{tag}-"))
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def analyze(folder: str, as_json: bool = False, timezone: str | None = None) -> Completed:
    """``sellerdx analyze sample_reports/<folder> --out DIR [--json] [--timezone ZONE]``, once per session."""
    out = _tempdir(folder + ("-json" if as_json else "") + ("-tz" if timezone else ""))
    args = (["analyze", str(SAMPLES / folder), "--out", str(out)] + (["--json"] if as_json else [])
            + (["--timezone", timezone] if timezone else []))
    return _sellerdx(*args, out=out)


@functools.cache
def validate(folder: str) -> Completed:
    return _sellerdx("validate", str(SAMPLES / folder))


def _no_traceback(c: Completed) -> None:
    assert "Traceback" not in c.stderr and "Traceback" not in c.stdout, c.stderr
    assert "error:" not in c.stderr, c.stderr


# --------------------------------------------------------------------------------------- analyze
@pytest.mark.parametrize("folder", FOLDERS)
def test_analyze_exits_1_and_writes_the_five_files(folder: str) -> None:
    c = analyze(folder)
    _no_traceback(c)
    assert c.returncode == 1, c.stdout + c.stderr        # metrics at risk
    for name in OUTPUTS:
        path = c.out / name
        assert path.is_file() and path.stat().st_size > 0, name
        assert str(path) in c.stdout, f"stdout does not say it wrote {name}"


def _metric_line(stdout: str, window: tuple[str, str], num: int, den: int) -> str:
    fraction = re.compile(rf"(?<![\d,]){num:,} / {den:,}(?![\d,])")
    lines = [ln for ln in stdout.splitlines() if f"{window[0]} – {window[1]}" in ln and fraction.search(ln)]
    assert len(lines) == 1, f"{window} {num:,} / {den:,} in\n{stdout}"
    return lines[0]


@pytest.mark.parametrize("folder", FOLDERS)
def test_analyze_prints_every_metric_with_window_and_counts(folder: str) -> None:
    stdout = analyze(folder).stdout
    for key, e in PLANTED[folder]["expected_metrics"].items():
        line = _metric_line(stdout, tuple(e["window"]), e["numerator"], e["denominator"])
        assert f"{100 * e['numerator'] / e['denominator']:.2f}%" in line, line
        status = expected_status(e, key)
        assert line.rstrip().endswith("at risk" if status == "at_risk" else "ok"), (key, line)
    # the header names the folder and the as-of day (end_date of the generator)
    assert PLANTED[folder]["end_date"] in stdout.splitlines()[0]
    total = sum(f["rows"] for f in PLANTED[folder]["files"] if f["kind"] not in ("skipped", "performance"))
    damaged = len(PLANTED[folder]["damaged_rows"])
    assert f"{total:,} rows: {total - damaged:,} loaded, {damaged} rejected" in stdout




@pytest.mark.parametrize(("folder", "code"), problem_params())
def test_analyze_prints_the_planted_problems_statement(folder: str, code: str) -> None:
    """One bullet per planted problem: its entities, the metric's defect count and window."""
    problem = next(p for p in PLANTED[folder]["problems"] if p["code"] == code)
    # planted weekdays are UTC purchase days (planted.json); sellerdx names local weekdays unless told UTC
    c = analyze(folder, timezone="UTC" if problem["entities"].get("weekdays") else None)
    bullets = [ln[2:] for ln in c.stdout.splitlines() if ln.startswith("• ")]
    ents = problem["entities"]
    products = [*ents.get("asins", []), *ents.get("skus", [])]       # the ASIN or the SKU names the item
    others = [e for kind in ("carriers", "weekdays", "shipping_services") for e in ents.get(kind, [])]
    entities = products + others
    windows = []
    for key in (problem["metric"], *problem.get("also_metrics", [])):
        e = PLANTED[folder]["expected_metrics"][key]
        windows.append((f"of the {e['numerator']} ", f"{e['window'][0]} to {e['window'][1]}"))
    hits = [b for b in bullets if (not products or any(e in b for e in products))
            and all(e in b for e in others)
            and any(n in b and w in b for n, w in windows)]
    assert hits, f"{code}: no statement with {entities} and {windows} among\n" + "\n".join(bullets)
    # the bullets are the findings' statements of summary.json
    statements = [f["statement"] for f in json.loads((c.out / "summary.json").read_text("utf-8"))["findings"]]
    assert all(b in statements for b in bullets)


@pytest.mark.parametrize("folder", FOLDERS)
def test_analyze_json_prints_the_documented_summary(folder: str) -> None:
    c = analyze(folder, as_json=True)
    _no_traceback(c)
    assert c.returncode == 1
    doc = json.loads(c.stdout)                         # only the JSON on stdout
    assert doc == json.loads((c.out / "summary.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1
    assert TOP_KEYS <= set(doc)
    assert isinstance(doc["sellerdx_version"], str) and doc["sellerdx_version"]
    assert doc["as_of"] == PLANTED[folder]["end_date"]
    assert Path(doc["folder"]).name == folder
    assert set(doc["rows"]) >= ROWS_KEYS
    for s in doc["skipped"]:
        assert SKIPPED_KEYS <= set(s)
    for i in doc["inputs"]:
        if i["kind"] != "performance":
            assert INPUT_KEYS <= set(i), i["path"]
            assert DATE.match(i["date_min"]) and DATE.match(i["date_max"]), i
            assert isinstance(i["warnings"], list)
    assert isinstance(doc["unmatched_defects"], int)
    assert isinstance(doc["reconciliation"], list) and doc["reconciliation"]

    assert set(doc["metrics"]) >= METRIC_SLOTS
    assert set(doc["metrics"]["odr"]) >= {"mfn", "afn", "all"}
    ms = [doc["metrics"]["odr"][c] for c in ("mfn", "afn", "all")]
    ms += [doc["metrics"][k] for k in METRIC_SLOTS - {"odr"} if doc["metrics"][k] is not None or
           pytest.fail(f"{k} is null although the folder has a shipments export")]
    for m in ms:
        assert M_KEYS <= set(m), m["key"]
        assert m["status"] in STATUSES and m["direction"] in ("below", "above")
        assert DATE.match(m["window_start"]) and DATE.match(m["window_end"])
        assert isinstance(m["numerator"], int) and isinstance(m["denominator"], int)
        assert 0 <= m["rate"] <= 1 and m["rate"] == pytest.approx(m["numerator"] / m["denominator"])
    for m in ms[:3]:                                    # ODR extras
        assert {"negative_feedback", "claims", "chargebacks"} <= set(m["extras"])
    odr_mfn = PLANTED[folder]["expected_metrics"]["odr_mfn"]
    assert {k: doc["metrics"]["odr"]["mfn"]["extras"][k] for k in ("negative_feedback", "claims", "chargebacks")} \
        == {k: odr_mfn[k] for k in ("negative_feedback", "claims", "chargebacks")}

    assert doc["findings"]
    for f in doc["findings"]:
        assert F_KEYS <= set(f), f["code"]
        assert isinstance(f["entities"], dict) and isinstance(f["order_ids"], list) and f["order_ids"]
        assert 0 < f["share"] <= 1


@pytest.mark.parametrize("folder", FOLDERS)
def test_summary_performance_input_has_the_documented_keys(folder: str) -> None:
    doc = json.loads(analyze(folder, as_json=True).stdout)
    performance = [i for i in doc["inputs"] if i["kind"] == "performance"]
    assert performance
    for i in performance:
        assert INPUT_KEYS <= set(i)


# --------------------------------------------------------------------------------------- validate
@pytest.mark.parametrize("folder", FOLDERS)
def test_validate_prints_the_per_file_table_and_exits_1(folder: str) -> None:
    c = validate(folder)
    _no_traceback(c)
    assert c.returncode == 1, c.stdout + c.stderr        # there are damaged rows
    lines = c.stdout.splitlines()
    assert re.match(r"file\s+kind\s+encoding\s+delimiter\s+read\s+loaded\s+rejected\s+dates", lines[0]), lines[0]
    damaged: dict[str, int] = {}
    for d in PLANTED[folder]["damaged_rows"]:
        damaged[d["path"]] = damaged.get(d["path"], 0) + 1
    for entry in PLANTED[folder]["files"]:
        path = planted_file_path(entry)
        row = [ln for ln in lines if ln.startswith(path + " ")]
        if entry["kind"] == "skipped":
            assert any(ln.startswith(f"skipped: {path}: ") for ln in lines), path
            continue
        assert len(row) == 1, path
        assert entry["kind"] in row[0].split(), row[0]
        if entry["kind"] == "performance":
            continue
        read, bad = entry["rows"], damaged.get(entry["path"], 0)
        assert re.search(rf"\s{read:,}\s+{read - bad:,}\s+{bad}\s", row[0]), row[0]
    for d in PLANTED[folder]["damaged_rows"]:
        assert any(ln.startswith(f"rejected: {d['path']}:{d['line']}") for ln in lines), d
    total = sum(f["rows"] for f in PLANTED[folder]["files"] if f["kind"] not in ("skipped", "performance"))
    n = len(PLANTED[folder]["damaged_rows"])
    assert f"total: {total:,} rows read = {total - n:,} loaded + {n} rejected" in c.stdout


# --------------------------------------------------------------------------------------- poa check
# Plausible answers for the draft's blanks, by the words in the blank (first match wins). A blank
# naming a date gets an ISO date, as docs/poa-format.md asks of corrective actions.
FILLS = (
    ("Root cause not identified", "Two buyers disputed the charge with their bank after a late delivery; "
                                  "both orders had tracking and proof of delivery."),
    ("account name", "Acme Home Goods"),
    ("marketplace", "Amazon"),
    ("root cause", "service chargebacks on delivered orders"),
    ("action taken", "sent the proof of delivery of both disputed orders to the card issuers"),
    ("date", "2026-11-01"),
    ("packaging", "a double box with 5 cm of foam padding and a fragile label"),
    ("test", "a 1 m drop test of 20 packed parcels"),
    ("name", "Maria Lopez"),
    ("number", "12"),
    ("quantity", "40"),
    ("hours", "4"),
    ("days", "2"),
    ("weekend days", "Saturday and Sunday"),
    ("saturday / sunday", "Saturday"),
    ("skus or the whole catalogue", "the whole catalogue"),
    ("time", "14:00"),
    ("regions / services", "all regions"),
    ("inventory tool", "the warehouse system"),
    ("carrier", "DHL"),
    ("how often", "daily"),
    ("measure", "share of orders shipped on time: target 99%"),
    ("step", "Check every open order against the stock count before noon"),
    ("%", "1%"),
)
BLANK = re.compile(r"\[\[(.+?)\]\]")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def fill_blank(content: str) -> str:
    """A plausible answer for the blank ``[[content]]``."""
    low = content.lower()
    for key, value in FILLS:
        if key.lower() in low:
            return value
    return "the documented procedure"


def fill_poa(text: str) -> str:
    """Replace every blank outside HTML comments (the markers' comments are not checked)."""
    parts, last = [], 0
    for m in COMMENT.finditer(text):
        parts.append(BLANK.sub(lambda b: fill_blank(b[1]), text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(BLANK.sub(lambda b: fill_blank(b[1]), text[last:]))
    return "".join(parts)


def test_fill_poa_replaces_blanks_but_not_comments() -> None:
    text = "<!-- replace every [[...]] -->\n- [[date]]: We counted [[number]] units.\n"
    assert fill_poa(text) == "<!-- replace every [[...]] -->\n- 2026-11-01: We counted 12 units.\n"


@pytest.mark.parametrize("folder", FOLDERS)
def test_poa_check_fails_on_the_draft_and_passes_once_filled(folder: str, tmp_path: Path) -> None:
    draft = analyze(folder).out / "poa.md"
    text = draft.read_text(encoding="utf-8")
    blanks = BLANK.findall(COMMENT.sub("", text))
    assert blanks

    c = _sellerdx("poa", "check", str(draft))
    _no_traceback(c)
    assert c.returncode == 1
    # a blank repeated in the plan ([[date]] in every action) is one problem, reported where it first appears
    assert c.stdout.count("unfilled-blank") == len({" ".join(b.casefold().split()) for b in blanks})

    filled = tmp_path / "poa.md"
    filled.write_text(fill_poa(text), encoding="utf-8")
    assert BLANK.findall(COMMENT.sub("", filled.read_text(encoding="utf-8"))) == []
    c = _sellerdx("poa", "check", str(filled))
    _no_traceback(c)
    assert c.returncode == 0, c.stdout + c.stderr
