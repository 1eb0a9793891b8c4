"""On-disk cache of parsed and validated files, keyed by their content.

Two levels:

* **The whole folder.** The loaded DuckDB database (canonical tables, quarantined rows, file reports) is
  kept as ``<cache>/db-<key>.duckdb``, the key hashing every file's content hash, the sellerdx version,
  the data that decides how files are read and the marketplace. Analysing the same folder again (a new
  ``--as-of``, a new output folder) opens it and reads nothing.
* **Each file.** When the folder changed, every file whose bytes did not change is restored from its
  staged and quarantined rows, stored as Parquet under ``<cache>/<key>/`` (the key hashes the file's
  content and the same reading data), instead of being read, decoded, typed and checked again.

Any change to a file or to the reading rules gives new keys, so a stale entry is never used; old entries
are left behind (delete the folder to reclaim the space).
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

from . import assets
from .version import __version__
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

    def database_key(self, sources: list[SourceFile]) -> str:
        """Key of a whole folder: every file's content and kind, the reading rules, the marketplace."""
        digest = hashlib.sha256()
        for part in (_rules_fingerprint(), self.marketplace,
                     *sorted(f"{s.content_hash}:{s.kind}:{s.path}" for s in sources)):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()[:32]

    def database_paths(self, sources: list[SourceFile]) -> tuple[Path, Path]:
        """(database file, its file-reports JSON) for a folder."""
        key = self.database_key(sources)
        return self.folder / f"db-{key}.duckdb", self.folder / f"db-{key}.json"

    def save_reports(self, path: Path, reports: tuple[FileReport, ...]) -> None:
        """Write the file reports of a loaded database (atomically, after the database itself)."""
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps([_report_to_json(r) for r in reports], ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    @staticmethod
    def load_reports(path: Path) -> tuple[FileReport, ...]:
        return tuple(_report_from_json(m) for m in json.loads(path.read_text(encoding="utf-8")))

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
        self.hits += 1
        return _report_from_json({**meta, "path": src.path})

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
            (tmp / "meta.json").write_text(json.dumps(_report_to_json(report), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, final)
        except (OSError, duckdb.Error):
            # The cache only saves time: a full disk or an unwritable folder must not stop the analysis,
            # and no half-written entry may stay behind (an entry exists only once renamed into place).
            shutil.rmtree(tmp, ignore_errors=True)


def _report_to_json(report: FileReport) -> dict:
    meta = dataclasses.asdict(report)
    meta["date_min"] = report.date_min.isoformat() if report.date_min else None
    meta["date_max"] = report.date_max.isoformat() if report.date_max else None
    return meta


def _report_from_json(meta: dict) -> FileReport:
    meta = dict(meta)
    for name in ("date_min", "date_max"):
        if meta[name]:
            meta[name] = dt.date.fromisoformat(meta[name])
    meta["unknown_columns"] = tuple(meta["unknown_columns"])
    meta["warnings"] = tuple(meta["warnings"])
    return FileReport(**meta)


def _sql_path(path: Path) -> str:
    """COPY ... TO takes a literal path: our own cache path, with quotes doubled."""
    return str(path).replace("'", "''")
