"""CLI conventions of issue 17: user mistakes are exit 2 with a hint before any work, Ctrl-C is exit 130 with
one line, `sample` refuses a non-empty folder, `poa check` refuses a non-plan, -v/-q go through logging,
every --help lists the exit codes and examples, `python -m sellerdx` works, `analyze --timings`.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import duckdb
import pytest
from click.testing import CliRunner

from sellerdx import cli
from sellerdx.cli import main

ROOT = Path(__file__).resolve().parent.parent
US = ROOT / "sample_reports" / "us-seller"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "FORCE_COLOR", "NO_COLOR", "COLUMNS")}
    env.update({"PYTHONPATH": str(ROOT / "src")}, **extra)
    return env


def _no_analysis(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make any call of the analysis fail the test: the check must come first."""
    calls: list[str] = []

    def forbidden(folder: str, **kwargs: object) -> None:
        calls.append(folder)
        raise AssertionError("the analysis ran before the options were checked")

    monkeypatch.setattr("sellerdx.analysis.analyze", forbidden)
    return calls


# ------------------------------------------------------------------------------------------------ --out
def test_out_naming_a_file_is_exit_2_with_a_hint_before_any_work(tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    calls = _no_analysis(monkeypatch)
    result = CliRunner().invoke(main, ["analyze", str(US), "--out", str(afile)])
    assert result.exit_code == 2, result.output
    assert calls == []
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {afile}: --out names a file, not a folder"
    assert lines[1].startswith("  hint: pass a folder")
    assert "internal error" not in result.output and "bug" not in result.output
    assert afile.read_text() == "not a folder"                   # untouched


def test_out_under_a_file_cannot_be_created(tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("x")
    _no_analysis(monkeypatch)
    result = CliRunner().invoke(main, ["analyze", str(US), "--out", str(afile / "report")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: {afile / 'report'}: --out cannot be created: {afile} is a file"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_out_in_a_read_only_folder_is_exit_2(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    _no_analysis(monkeypatch)
    try:
        result = CliRunner().invoke(main, ["analyze", str(US), "--out", str(locked / "report")])
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 2
    assert "is not writable" in result.stderr.splitlines()[0]


def test_out_on_a_file_from_the_shell_is_exit_2_in_two_lines(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    proc = subprocess.run([sys.executable, "-m", "sellerdx", "analyze", str(US), "--out", str(afile)],
                          capture_output=True, text=True, env=_env(CI="1"), timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"error: {afile}: --out names a file, not a folder",
        "  hint: pass a folder (new or existing); sellerdx writes report.html, summary.json, poa.md, "
        "evidence.csv and rejected_rows.csv into it"]


def test_cache_naming_a_file_is_exit_2(tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("x")
    _no_analysis(monkeypatch)
    result = CliRunner().invoke(main, ["analyze", str(US), "--out", str(tmp_path / "o"), "--cache", str(afile)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: {afile}: --cache names a file, not a folder"


# ------------------------------------------------------------------------------------------------ Ctrl-C
@pytest.mark.parametrize("exc", [
    KeyboardInterrupt(),
    RuntimeError("Query interrupted"),                 # what DuckDB raises when SIGINT arrives in a query
    duckdb.InterruptException("INTERRUPT Error: Interrupted!"),
])
def test_every_form_of_interrupt_is_exit_130_with_one_line(exc, tmp_path, monkeypatch):
    def interrupted(folder: str, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr("sellerdx.analysis.analyze", interrupted)
    result = CliRunner().invoke(main, ["analyze", str(US), "--out", str(tmp_path / "o")])
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"
    assert result.stdout == ""


def test_a_real_runtime_error_is_still_an_internal_error(tmp_path, monkeypatch):
    def broken(folder: str, **kwargs: object) -> None:
        raise RuntimeError("something else")

    monkeypatch.setattr("sellerdx.analysis.analyze", broken)
    monkeypatch.delenv("SELLERDX_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["analyze", str(US), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "internal error: RuntimeError: something else"


def _read_until(master: int, proc: subprocess.Popen, wanted: bytes, limit: float) -> bytes:
    data = b""
    deadline = time.monotonic() + limit
    while wanted not in data and time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data += os.read(master, 65536)
            except OSError:
                break
    return data


def _drain(master: int) -> bytes:
    """Everything left on the pseudo-terminal once the child has exited."""
    data = b""
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            return data
        try:
            chunk = os.read(master, 65536)
        except OSError:           # the child's end is closed
            return data
        if not chunk:
            return data
        data += chunk


def test_sigint_while_reading_on_a_terminal_is_exit_130_and_removes_the_bar(tmp_path):
    """Ctrl-C as a user presses it: the progress bar is on screen (stderr a terminal), SIGINT arrives
    while files are read; the command ends with exit 130, one line, and the cursor shown again."""
    master, slave = pty.openpty()
    env = _env(TERM="xterm-256color")
    proc = subprocess.Popen([sys.executable, "-m", "sellerdx", "analyze", str(US), "--out", str(tmp_path / "o"),
                             "--no-cache"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
                            env=env)
    os.close(slave)
    try:
        before = _read_until(master, proc, b"reading ", 120)
        assert b"reading " in before, before               # the bar is drawn: the run is under way
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=120)
        after = _drain(master)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == 130
    assert stdout == b""                                  # no summary, no half-written table
    text = after.decode("utf-8", "replace")
    assert text.count("interrupted") == 1
    assert "internal error" not in text and "Traceback" not in text
    assert "\x1b[?25h" in text                            # the cursor the bar hid is shown again
    assert text.rstrip().endswith("interrupted")


# ------------------------------------------------------------------------------------------------ sample
def test_sample_refuses_a_non_empty_folder_without_force(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "All_Orders.txt").write_text("my real data\n")
    generated: list[str] = []
    monkeypatch.setattr("sellerdx.samplegen.generate", lambda f, spec: generated.append(f))
    result = CliRunner().invoke(main, ["sample", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {folder}: folder is not empty; the sample would replace files in it",
        "  hint: pass a new or empty folder, or --force to write into it anyway"]
    assert generated == []
    assert (folder / "All_Orders.txt").read_text() == "my real data\n"


def test_sample_writes_into_an_empty_or_new_folder_and_with_force(tmp_path, monkeypatch):
    generated: list[str] = []

    def fake_generate(folder: str, spec: object) -> dict:
        generated.append(folder)
        return {"files": ["a.txt"], "problems": [{"code": "x"}]}

    monkeypatch.setattr("sellerdx.samplegen.generate", fake_generate)
    empty = tmp_path / "empty"
    empty.mkdir()
    full = tmp_path / "full"
    full.mkdir()
    (full / "old.txt").write_text("x")
    assert CliRunner().invoke(main, ["sample", str(empty)]).exit_code == 0
    assert CliRunner().invoke(main, ["sample", str(tmp_path / "new")]).exit_code == 0
    assert CliRunner().invoke(main, ["sample", str(full), "--force"]).exit_code == 0
    assert generated == [str(empty), str(tmp_path / "new"), str(full)]


# ------------------------------------------------------------------------------------------------ poa check
def test_poa_check_refuses_an_html_report(tmp_path):
    report = tmp_path / "report.html"
    report.write_text("<!DOCTYPE html>\n<html><body><h1>Account health</h1></body></html>\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["poa", "check", str(report)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == \
        f"error: {report}: not a Plan of Action: this is an HTML page, not a Plan of Action"
    assert result.stdout == ""


def test_poa_check_refuses_markdown_without_a_plan_heading(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Shopping list\n\n- milk\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["poa", "check", str(notes)])
    assert result.exit_code == 2
    assert "not a Plan of Action: no heading or label of a Plan of Action" in result.stderr


def test_poa_check_still_lints_a_plan(tmp_path):
    plan = tmp_path / "poa.md"
    plan.write_text("# Plan of Action — Shop (US)\n\n## Late shipment: weekend backlog\n### Root cause\n"
                    "41 of the 52 orders placed on Fridays from 2026-08-01 waited until Monday.\n### Corrective actions taken\n"
                    "- 2026-10-03: We confirmed all open orders.\n### Preventive measures\n"
                    "- Owner: Ana · Frequency: daily · Measure: orders confirmed within 24 h\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["poa", "check", str(plan)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "no problems found\n"


# ------------------------------------------------------------------------------------------------ help
def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, prefix + (name,))
        else:
            found.append(prefix + (name,))
    return found


@pytest.mark.parametrize("path", _commands(main), ids=lambda p: " ".join(p) or "sellerdx")
def test_every_help_lists_the_exit_codes_and_examples(path):
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0
    text = result.output
    assert "Examples:\n" in text
    assert "  sellerdx " + (" ".join(path) + " " if path else "") in text   # an example of this command
    for code in ("0", "1", "2", "3", "130"):
        assert f"\n    {code} " in text, f"exit code {code} missing from `{' '.join(path)} --help`"


def test_python_dash_m_sellerdx_prints_the_version():
    proc = subprocess.run([sys.executable, "-m", "sellerdx", "--version"], capture_output=True, text=True,
                          env=_env(), timeout=60)
    assert proc.returncode == 0
    assert proc.stdout == "sellerdx, version 0.1.0\n"


def test_version_and_help_do_not_import_the_heavy_libraries():
    """What keeps `sellerdx --version` / `--help` fast: pandas, DuckDB, pyarrow, pandera and matplotlib
    are imported only by the commands that use them."""
    code = ("import sys; from sellerdx.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('pandas', 'duckdb', 'pyarrow', 'pandera', 'matplotlib') if m in sys.modules)\n"
            "print('HEAVY', heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "HEAVY []"


def test_the_package_still_exposes_analyze_lazily():
    code = ("import sys, sellerdx; assert 'pandas' not in sys.modules; "
            "print(sellerdx.analyze.__module__, sellerdx.Options.__name__, 'pandas' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "sellerdx.analysis Options True"


# ------------------------------------------------------------------------------------------------ -v / -q
def test_quiet_prints_nothing_and_verbose_logs_the_cache(tmp_path):
    out = tmp_path / "o"
    quiet = CliRunner().invoke(main, ["analyze", str(US), "--out", str(out), "-q"])
    assert quiet.exit_code == 1                       # the sample has metrics at risk: the code still says so
    assert quiet.stdout == "" and quiet.stderr == ""
    verbose = CliRunner().invoke(main, ["-v", "analyze", str(US), "--out", str(out), "--cache",
                                        str(tmp_path / "c")])
    assert verbose.exit_code == 1
    assert f"cache: 0 file(s) from the cache, 10 read ({tmp_path / 'c'})" in verbose.stderr.splitlines()
    again = CliRunner().invoke(main, ["analyze", str(US), "--out", str(out), "--cache", str(tmp_path / "c"), "-v"])
    assert f"cache: folder from the cache ({tmp_path / 'c'})" in again.stderr.splitlines()


def test_verbosity_is_the_sellerdx_logger_level():
    import logging
    CliRunner().invoke(main, ["-q", "cache", "info"])
    assert logging.getLogger("sellerdx").level == logging.ERROR
    CliRunner().invoke(main, ["cache", "info", "-vv"])
    assert logging.getLogger("sellerdx").level == logging.DEBUG
    CliRunner().invoke(main, ["cache", "info"])
    assert logging.getLogger("sellerdx").level == logging.WARNING


# ------------------------------------------------------------------------------------------------ --timings
def test_timings_prints_every_stage(tmp_path):
    result = CliRunner().invoke(main, ["analyze", str(US), "--out", str(tmp_path / "o"), "--no-cache",
                                       "--timings"])
    assert result.exit_code == 1
    rows = [line.split() for line in result.stderr.splitlines()]
    stages = [r[0] for r in rows if len(r) == 2 and r[0] != "stage"]
    assert stages == ["ingest", "validate", "load", "metrics", "diagnose", "describe", "render", "write", "other", "total"]
    seconds = {r[0]: float(r[1]) for r in rows if len(r) == 2 and r[0] != "stage"}
    assert all(v >= 0 for v in seconds.values())
    # the stages and "other" add up to the total (each printed rounded to 0.01 s)
    parts = sum(v for k, v in seconds.items() if k != "total")
    assert abs(parts - seconds["total"]) <= 0.01 * 10
    assert seconds["validate"] > 0 and seconds["render"] > 0 and seconds["describe"] > 0   # read, described, drawn


def test_exit_codes_are_the_documented_ones():
    assert (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_USAGE, cli.EXIT_INTERNAL, cli.EXIT_INTERRUPTED) == \
        (0, 1, 2, 3, 130)


def test_analyze_freezes_what_the_imports_created(tmp_path):
    # The imported libraries' objects are moved out of the garbage collector's reach before the run, so
    # its full collections do not scan them again and again (cli._freeze_imports).
    code = ("import atexit, gc, sys; from sellerdx.cli import main; "
            "atexit.register(lambda: print(gc.get_freeze_count())); "
            "main(['analyze', sys.argv[1], '--out', sys.argv[2], '--no-cache', '-q'])")
    done = subprocess.run([sys.executable, "-c", code, str(US), str(tmp_path / "o")], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1, done.stderr                 # the sample is at risk
    assert int(done.stdout.split()[-1]) > 50_000             # pandas, DuckDB and the rest: tens of thousands
