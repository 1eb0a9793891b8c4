"""Progress output: a bar on a terminal, nothing in pipes, CI logs or CliRunner.

The real command runs in a subprocess with stderr a pipe, or a pseudo-terminal (``pty``) with and without
``CI=1``. "Control characters" are ESC (ANSI sequences: cursor, colour, clear line) and carriage return,
which a progress bar needs to redraw itself; plain error or summary lines need neither.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sellerdx.cli import main
from support.exports import FEEDBACK_HEADER, ORDERS_HEADER

ROOT = Path(__file__).resolve().parent.parent
CONTROL = ("\x1b", "\r")
CLAIMS_HEADER = ("Order ID", "Claim Date", "Claim Reason", "Claim Status", "Claim Amount", "Funded By")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three small exports (orders, claims, feedback), so the bar has files to count."""
    root = tmp_path / "exports"
    root.mkdir()
    values = {"purchase-date": "2026-09-01T10:00:00+00:00", "order-status": "Shipped",
              "fulfillment-channel": "Merchant", "sales-channel": "Amazon.com", "sku": "SKU-1",
              "asin": "B000000001", "item-status": "Shipped", "quantity": "1", "currency": "USD",
              "item-price": "10.00"}
    orders = ["\t".join(ORDERS_HEADER)] + [
        "\t".join({**values, "amazon-order-id": f"111-0000000-000000{i}"}.get(h, "") for h in ORDERS_HEADER)
        for i in range(1, 6)]
    (root / "orders.txt").write_text("\n".join(orders) + "\n", encoding="utf-8")
    claims = ["\t".join(CLAIMS_HEADER)] + [
        f"111-0000000-000000{i}\t09/0{i}/2026\tItem not received\tGranted\t10.00\tSeller" for i in range(1, 6)]
    (root / "claims.txt").write_text("\n".join(claims) + "\n", encoding="utf-8")
    feedback = ["\t".join(FEEDBACK_HEADER)] + [
        f"9/{i}/26\t{i}\tfine\t\t111-0000000-000000{i}\tx{i}@marketplace.amazon.com" for i in range(1, 6)]
    (root / "feedback.txt").write_text("\n".join(feedback) + "\n", encoding="utf-8")
    return root


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS")}
    env.update({"TERM": "xterm-256color", "PYTHONPATH": str(ROOT / "src")}, **extra)
    return env


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from sellerdx.cli import main; sys.exit(main())", *args]


def _run_with_tty_stderr(args: list[str], env: dict[str, str], timeout: float = 240.0) -> tuple[int, str]:
    """Run with stderr a pseudo-terminal (stdout a pipe); return exit code and all stderr text."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, env=env,
                            cwd=ROOT)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:      # the child closed its end
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_validate_piped_stderr_has_no_progress_bar(folder):
    proc = subprocess.run(_command("validate", str(folder)), capture_output=True, text=True, env=_env(),
                          cwd=ROOT, timeout=240)
    assert proc.returncode in (0, 1), proc.stderr
    for char in CONTROL:
        assert char not in proc.stderr
        assert char not in proc.stdout
    assert "reading " not in proc.stderr          # the bar's label ("reading <file>") never printed


def test_validate_on_a_terminal_shows_the_bar_but_not_with_ci(folder):
    code, shown = _run_with_tty_stderr(_command("validate", str(folder)), _env())
    assert code in (0, 1), shown
    assert "\x1b[?25l" in shown                    # the live bar hides the cursor while it draws

    code, quiet = _run_with_tty_stderr(_command("validate", str(folder)), _env(CI="1"))
    assert code in (0, 1), quiet
    for char in CONTROL:
        assert char not in quiet


def test_cli_runner_output_has_no_control_characters(folder):
    result = CliRunner().invoke(main, ["validate", str(folder)], env={"CI": None})
    assert result.exit_code in (0, 1), result.output
    for char in CONTROL:
        assert char not in result.output


def test_error_on_a_pipe_is_one_plain_line(tmp_path):
    proc = subprocess.run(_command("validate", str(tmp_path / "missing")), capture_output=True, text=True,
                          env=_env(), cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    for char in CONTROL:
        assert char not in proc.stderr
    assert proc.stderr.startswith("error:")


def test_the_bar_speaks_the_language_of_the_command(folder, tmp_path):
    # The library reports its steps as marked English msgids (a Message for "reading {file}"); the CLI shows
    # them in the command's language, though the stages themselves run inside use("en").
    code, shown = _run_with_tty_stderr(
        _command("analyze", str(folder), "--out", str(tmp_path / "out"), "--no-cache", "--lang", "de"), _env())
    assert code in (0, 1), shown
    german = ("lese ", "berechne Kennzahlen", "suche Grundursachen", "sammle Belege", "erstelle den Bericht")
    english = ("reading ", "computing metrics", "diagnosing root causes", "collecting evidence",
               "rendering the report", "starting")
    assert any(label in shown for label in german), shown
    assert not [label for label in english if label in shown], shown
