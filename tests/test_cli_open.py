"""`sellerdx analyze --open` hands report.html to the default browser (here a stand-in command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_open_passes_the_report_to_the_default_browser(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    browser.chmod(0o755)
    out = tmp_path / "report"
    env = {**os.environ, "BROWSER": str(browser), "CI": "1"}
    result = subprocess.run([sys.executable, "-m", "sellerdx.cli", "analyze", str(ROOT / "sample_reports" / "us-seller"),
                             "--out", str(out), "--open"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1, result.stderr          # the sample has metrics at risk
    assert opened.read_text().strip() == (out / "report.html").resolve().as_uri()


def test_without_open_no_browser_is_started(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    browser.chmod(0o755)
    env = {**os.environ, "BROWSER": str(browser), "CI": "1"}
    result = subprocess.run([sys.executable, "-m", "sellerdx.cli", "analyze", str(ROOT / "sample_reports" / "us-seller"),
                             "--out", str(tmp_path / "report")], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert not opened.exists()
