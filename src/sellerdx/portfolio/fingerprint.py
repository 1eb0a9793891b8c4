"""Incremental runs: a content fingerprint per account, kept in ``DIR/portfolio-state.json``.

An account's fingerprint hashes the content (sha256) and relative path of every file in its folder, the
options it declares, and sellerdx's version and its own code and data (every module, query, schema, data
file and template). An account whose fingerprint equals the one of the last successful run, and whose
``DIR/<account>/summary.json`` is still there, is not analysed again: its outputs are reused. A file's hash is reused from the state when
its size and modification time did not change, so an unchanged portfolio is not even read in full.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__, assets
from ..paths import file_sha256
from .accounts import Account

STATE_NAME = "portfolio-state.json"
STATE_VERSION = 1


def code_fingerprint() -> str:
    """The sellerdx version and every file of its code and data (:func:`sellerdx.assets.code_fingerprint`):
    an account analysed by another version or commit is analysed again."""
    return assets.code_fingerprint()


def account_fingerprint(account: Account, known_files: Mapping[str, Any] | None = None,
                        *, exclude: Path | None = None) -> tuple[str, dict[str, list[Any]]]:
    """(fingerprint, {relative path: [size, mtime_ns, sha256]}) of an account's folder and options.

    ``known_files`` is the file table of the previous run (hashes reused for unchanged size and mtime);
    ``exclude``: a folder inside the account's folder that is not input (the output folder).
    """
    known = known_files or {}
    folder = Path(account.folder)
    files: dict[str, list[Any]] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or (exclude is not None and path.is_relative_to(exclude)):
                continue
            rel = path.relative_to(folder).as_posix()
            stat = path.stat()
            before = known.get(rel)
            if before and before[0] == stat.st_size and before[1] == stat.st_mtime_ns:
                files[rel] = list(before)
            else:
                files[rel] = [stat.st_size, stat.st_mtime_ns, file_sha256(path)]
    elif folder.is_file():      # sellerdx analyze also takes a single file
        stat = folder.stat()
        files[folder.name] = [stat.st_size, stat.st_mtime_ns, file_sha256(folder)]
    digest = hashlib.sha256()
    for part in (code_fingerprint(), json.dumps(account.declared, sort_keys=True, default=str),
                 "folder" if folder.is_dir() else "file" if folder.is_file() else "missing",
                 *(f"{rel}:{meta[2]}" for rel, meta in sorted(files.items()))):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest(), files


def load_state(out: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """The accounts of the last run's state (empty when there is none or it cannot be read)."""
    path = Path(out) / STATE_NAME
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("state_version") != STATE_VERSION:
        return {}
    accounts = doc.get("accounts")
    return accounts if isinstance(accounts, dict) else {}


def save_state(out: str | os.PathLike[str], accounts: Mapping[str, Mapping[str, Any]]) -> Path:
    """Write the state atomically: per account its fingerprint, file table and what the run learnt."""
    path = Path(out) / STATE_NAME
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"state_version": STATE_VERSION, "sellerdx_version": __version__,
                               "accounts": dict(accounts)}, ensure_ascii=False, indent=1, default=str) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)
    return path


__all__ = ["STATE_NAME", "account_fingerprint", "code_fingerprint", "load_state", "save_state"]
