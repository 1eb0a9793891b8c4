"""Where sellerdx keeps what outlives one run: the data cache and the history of Amazon's reports.

Both live in the user's cache directory (``platformdirs``: ``~/.cache/sellerdx`` on Linux,
``~/Library/Caches/sellerdx`` on macOS, ``%LOCALAPPDATA%\\sellerdx\\Cache`` on Windows) unless the user
names another folder (``--cache DIR`` or ``SELLERDX_CACHE_DIR``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CACHE_ENV = "SELLERDX_CACHE_DIR"


def user_cache_dir() -> Path:
    """The default cache folder: ``$SELLERDX_CACHE_DIR``, else the platform's user cache directory."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # noqa: PLC0415 - only when a cache folder is resolved, not for --help / --version

    return Path(platformdirs.user_cache_dir("sellerdx", appauthor=False))


def history_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder of stored Amazon performance-report snapshots, inside the cache folder."""
    base = Path(cache_dir).expanduser() if cache_dir else user_cache_dir()
    return base / "history"


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes (read in 1 MiB blocks): the content key of inputs and cache entries."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
