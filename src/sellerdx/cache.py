"""On-disk cache of parsed and validated files, keyed by each file's content.

A second analysis of the same folder (a new ``--as-of``, a new output folder) skips reading, decoding,
typing and checking every file whose bytes have not changed: its staged rows and its quarantined rows
are stored as Parquet under ``<cache>/<key>/``, where the key hashes the file's content (sha256), the
sellerdx version, the data that decides how it is read (schemas, header synonyms, date formats,
vocabulary) and the marketplace option. Any change to any of these gives a new key, so a stale entry is
never used; old entries are simply left behind (delete the folder to reclaim the space).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from . import __version__, assets
from .ingest import SourceFile
from .model import FileReport

_DATA_FILES = (("data", "reports.toml"), ("data", "dates.toml"), ("data", "vocabulary.toml"))


@functools.cache
def _rules_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for folder, name in _DATA_FILES:
        digest.update(assets.read_text(folder, name).encode())
    for name in assets.list_assets("schemas", ".yaml"):
        digest.update(assets.read_text("schemas", name).encode())
    return digest.hexdigest()


class FileCache:
    """Stores and restores the staged rows of one source file."""

    def __init__(self, folder: str | os.PathLike[str], *, marketplace: str | None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.marketplace = marketplace or ""
        self.hits = 0
        self.misses = 0

    def key(self, src: SourceFile) -> str:
        digest = hashlib.sha256()
        for part in (src.content_hash, _rules_fingerprint(), self.marketplace, src.kind):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()[:32]

    def fetch(self, con: duckdb.DuckDBPyConnection, src: SourceFile) -> FileReport | None:
        """Load the file's rows from the cache into ``stage_<kind>``/``rejected_rows``; None on a miss."""
        entry = self.folder / self.key(src)
        meta_path = entry / "meta.json"
        if not meta_path.exists():
            self.misses += 1
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        con.execute(f"INSERT INTO stage_{src.kind} SELECT * REPLACE ($path AS source_file) "
                    f"FROM read_parquet($file)", {"path": src.path, "file": str(entry / "stage.parquet")})
        con.execute("INSERT INTO rejected_rows SELECT * REPLACE ($path AS path) FROM read_parquet($file)",
                    {"path": src.path, "file": str(entry / "rejected.parquet")})
        for name in ("date_min", "date_max"):
            if meta[name]:
                meta[name] = dt.date.fromisoformat(meta[name])
        meta["unknown_columns"] = tuple(meta["unknown_columns"])
        meta["warnings"] = tuple(meta["warnings"])
        self.hits += 1
        return FileReport(**{**meta, "path": src.path})

    def store(self, con: duckdb.DuckDBPyConnection, src: SourceFile, report: FileReport) -> None:
        """Save what ``validate.load_file`` just staged for ``src``; written atomically."""
        final = self.folder / self.key(src)
        if final.exists():
            return
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.folder))
        try:
            con.execute(f"COPY (SELECT * FROM stage_{src.kind} WHERE source_file = $path) TO "
                        f"'{_sql_path(tmp / 'stage.parquet')}' (FORMAT parquet)", {"path": src.path})
            con.execute(f"COPY (SELECT * FROM rejected_rows WHERE path = $path) TO "
                        f"'{_sql_path(tmp / 'rejected.parquet')}' (FORMAT parquet)", {"path": src.path})
            meta = dataclasses.asdict(report)
            meta["date_min"] = report.date_min.isoformat() if report.date_min else None
            meta["date_max"] = report.date_max.isoformat() if report.date_max else None
            (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, final)
        except (OSError, duckdb.Error):
            # The cache only saves time: a full disk or an unwritable folder must not stop the analysis,
            # and no half-written entry may stay behind (an entry exists only once renamed into place).
            shutil.rmtree(tmp, ignore_errors=True)


def _sql_path(path: Path) -> str:
    """COPY ... TO takes a literal path: our own cache path, with quotes doubled."""
    return str(path).replace("'", "''")
