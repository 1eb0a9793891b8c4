"""Where sellerdx keeps what outlives one run: the data cache and the history of Amazon's reports.

Both live in the user's cache directory (``platformdirs``: ``~/.cache/sellerdx`` on Linux,
``~/Library/Caches/sellerdx`` on macOS, ``%LOCALAPPDATA%\\sellerdx\\Cache`` on Windows) unless the user
names another folder (``--cache DIR`` or ``SELLERDX_CACHE_DIR``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

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


def hash_files(paths: Sequence[str | os.PathLike[str]], *, workers: int | None = None) -> dict[str, Future[str]]:
    """Start :func:`file_sha256` of every path on a pool of threads; path (as given, ``str``) -> its future.

    hashlib releases the GIL while it digests a block, so files are hashed side by side on the machine's
    cores (``workers``: default one per core, at most 4). Each file's SHA-256 is exactly
    :func:`file_sha256`'s: only who computes it changes. The biggest files are started first, so the last
    one to finish is not a big file started late. A file that cannot be read raises its ``OSError`` from
    ``result()``. The pool's threads end once every file is hashed."""
    names = list(dict.fromkeys(str(p) for p in paths))
    futures: dict[str, Future[str]] = {}
    if not names:
        return futures
    if workers is None:
        workers = min(4, os.cpu_count() or 1)
    workers = max(1, min(workers, len(names)))

    def size(name: str) -> int:
        try:
            return os.stat(name).st_size
        except OSError:
            return 0     # hashed (and its error raised) like any other

    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - only when a folder is hashed

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sellerdx-sha256")
    try:
        for name in sorted(names, key=size, reverse=True):
            futures[name] = pool.submit(file_sha256, name)
    finally:
        pool.shutdown(wait=False)    # the submitted files are still hashed; no new work is taken
    return futures
