"""scripts/setup.sh checks the Python version first and says what to install; a .venv made with an older
Python is made again. Run on a copy of the script in a temporary folder with fake interpreters (shell
scripts that report a version and record what they were asked to do), so no real .venv is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(os.name != "posix" or shutil.which("bash") is None, reason="needs bash")

FAKE = """#!/bin/sh
# A fake Python {version}: prints its version, "creates" a venv with a copy of itself, records pip calls.
if [ "$1" = "-c" ]; then echo "{version}"; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && echo "venv $3" >> "{log}"; exit 0
fi
echo "$*" >> "{log}"
"""


def fake_python(folder: Path, version: str, log: Path) -> Path:
    path = folder / f"python{version}"
    path.write_text(FAKE.format(version=version, log=log))
    path.chmod(0o755)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the script where setup.sh expects it (scripts/ under the project)."""
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", root / "scripts" / "setup.sh")
    return root


def run_setup(project: Path, env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": str(project), **env_extra}
    return subprocess.run(["bash", str(project / "scripts" / "setup.sh"), *args], capture_output=True, text=True,
                          env=env, cwd=project, timeout=60)


def test_python_3_10_is_refused_with_what_to_install(project, tmp_path):
    log = tmp_path / "calls.log"
    old = fake_python(tmp_path, "3.10", log)
    proc = run_setup(project, {"PYTHON": str(old)})
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert lines[0] == f"error: sellerdx needs Python 3.11 or newer; PYTHON={old} is Python 3.10."
    assert "sudo apt install python3.11 python3.11-venv" in proc.stderr
    assert "brew install python@3.12" in proc.stderr
    assert "winget install Python.Python.3.12" in proc.stderr
    assert not (project / ".venv").exists()                  # checked before anything was made
    assert not log.exists()                                  # no venv, no pip


def test_an_interpreter_that_does_not_run_is_refused(project, tmp_path):
    proc = run_setup(project, {"PYTHON": str(tmp_path / "no-such-python")})
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == \
        f"error: sellerdx needs Python 3.11 or newer; PYTHON={tmp_path / 'no-such-python'} cannot be run."


def test_a_venv_of_python_3_10_is_made_again_with_the_new_python(project, tmp_path):
    log = tmp_path / "calls.log"
    stale = project / ".venv" / "bin"
    stale.mkdir(parents=True)
    shutil.copy(fake_python(tmp_path, "3.10", tmp_path / "stale.log"), stale / "python")
    new = fake_python(tmp_path, "3.12", log)
    proc = run_setup(project, {"PYTHON": str(new)}, "test")
    assert proc.returncode == 0, proc.stderr
    assert "recreating .venv: it was made with Python 3.10" in proc.stderr
    assert subprocess.run([str(project / ".venv" / "bin" / "python"), "-c", ""], capture_output=True,
                          text=True).stdout.strip() == "3.12"
    calls = log.read_text().splitlines()
    assert calls[0] == "venv .venv"
    assert calls[-1] == "-m pip install --quiet --disable-pip-version-check -e .[test]"
    assert not (tmp_path / "stale.log").exists()             # the old interpreter was never asked to install


def test_a_good_venv_is_kept(project, tmp_path):
    log = tmp_path / "calls.log"
    venv = project / ".venv" / "bin"
    venv.mkdir(parents=True)
    shutil.copy(fake_python(tmp_path, "3.11", log), venv / "python")
    proc = run_setup(project, {"PYTHON": str(fake_python(tmp_path, "3.13", tmp_path / "other.log"))})
    assert proc.returncode == 0, proc.stderr
    assert "recreating" not in proc.stderr
    assert "venv .venv" not in log.read_text()
    assert log.read_text().splitlines()[-1] == "-m pip install --quiet --disable-pip-version-check -e ."
