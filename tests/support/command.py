"""The ``sellerdx`` console script the tests run: the one installed next to the running interpreter, else the
one on PATH, else ``python -m sellerdx``. Never a path of one machine, so the suite passes in a clone
placed anywhere."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def sellerdx_command() -> list[str]:
    """The argv prefix that runs sellerdx's CLI in the environment running the tests."""
    here = Path(sys.executable).parent / ("sellerdx.exe" if sys.platform == "win32" else "sellerdx")
    if here.exists():
        return [str(here)]
    found = shutil.which("sellerdx")
    if found:
        return [found]
    return [sys.executable, "-m", "sellerdx"]


SELLERDX: list[str] = sellerdx_command()
