"""On-disk cache of parsed and validated files, keyed by their content. On by default.

The cache folder is ``paths.user_cache_dir()`` (``$SELLERDX_CACHE_DIR`` overrides it), or ``--cache DIR``;
``--no-cache`` (``cache=False``) turns it off. It holds two kinds of entries:

* ``folders/<key>/`` — **a whole folder**: the loaded DuckDB database (canonical tables, quarantined rows)
  and the file reports. The key hashes every file's content hash, kind and name, the sellerdx version and
  its own code and data (every module, query, schema and data file), and the marketplace. Analysing the
  same folder again (a new ``--as-of``, a new output folder) attaches that database read-only and reads
  nothing.
* ``files/<key>/`` — **one file**: its staged and quarantined rows as Parquet, and its report. When the
  folder changed, every file whose bytes did not change is restored from here instead of being read again.

``history/`` (Amazon's report snapshots, ``paths.history_dir``) lives in the same folder but is not part of
the cache: it is never evicted nor cleared.

Safety: an entry is built under a temporary name (``.tmp-*``) and renamed into place only when complete;
its ``manifest.json`` (written last) lists the size and SHA-256 of every file in it and is checked each time
the entry is opened. An entry that does not match (half-written, truncated, edited) is deleted and rebuilt,
never used. Any change to a file or to sellerdx's code gives a new key, so a stale entry is never used.

Size: each use touches the entry's manifest (its "last used" time). After a run stores an entry, the least
recently used entries are deleted until the cache is under its bound (``$SELLERDX_CACHE_MAX_BYTES``,
default 2 GB; ``500MB``, ``4GB`` or a number of bytes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import assets
from .errors import BadOptionError
from .model import FileReport
from .paths import hash_files, user_cache_dir
from .text import parse_size
from .version import __version__

if TYPE_CHECKING:  # DuckDB and the ingest types are only needed when a cache is used, not by `cache info`
    from concurrent.futures import Future

    import duckdb

    from .ingest import SourceFile

log = logging.getLogger(__name__)

MAX_BYTES_ENV = "SELLERDX_CACHE_MAX_BYTES"
DEFAULT_MAX_BYTES = 2 * 10**9
MANIFEST = "manifest.json"
ENTRY_KINDS = ("files", "folders")
_TMP_PREFIX = ".tmp-"
_STALE_TMP_SECONDS = 6 * 3600     # a temporary entry this old belongs to a run that was killed


# ------------------------------------------------------------------------------------------------ settings
def resolve(cache: str | os.PathLike[str] | bool | None) -> Path | None:
    """The cache folder for a ``cache`` option: True = the user cache folder, False/None/'' = no cache."""
    if cache is True:
        return user_cache_dir()
    if cache is False or cache is None or str(cache) == "":
        return None
    return Path(cache).expanduser()


def max_bytes() -> int:
    """The size bound: ``$SELLERDX_CACHE_MAX_BYTES`` or 2 GB."""
    raw = os.environ.get(MAX_BYTES_ENV)
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(raw)
    except ValueError:
        raise BadOptionError(f"{MAX_BYTES_ENV}={raw!r} is not a size",
                             hint="write a number of bytes or e.g. 500MB, 2GB") from None


# ------------------------------------------------------------------------------------------------ entries
def write_manifest(entry: Path) -> None:
    """List every file of a (temporary) entry with its size and SHA-256; written last."""
    names = [p for p in sorted(entry.iterdir()) if p.is_file() and p.name != MANIFEST]
    hashes = hash_files(names)    # side by side (paths.hash_files), each file's own SHA-256
    files = {p.name: {"size": p.stat().st_size, "sha256": hashes[str(p)].result()} for p in names}
    (entry / MANIFEST).write_text(json.dumps({"sellerdx": __version__, "files": files}), encoding="utf-8")


def verify(entry: Path) -> str | None:
    """None when every file of the entry matches its manifest, else what is wrong (one phrase)."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except FileNotFoundError:
        return "no manifest (half-written)"
    except (OSError, ValueError, KeyError, TypeError):
        return "unreadable manifest"
    for name, want in files.items():
        path = entry / name
        try:
            size = path.stat().st_size
        except OSError:
            return f"{name} is missing"
        if size != want.get("size"):
            return f"{name} has {size:,} bytes, {want.get('size')!r} expected"
    hashes = hash_files([entry / name for name in files])     # side by side (paths.hash_files)
    for name, want in files.items():
        try:
            digest = hashes[str(entry / name)].result()
        except OSError:
            return f"{name} is missing"
        if digest != want.get("sha256"):
            return f"{name} does not match its checksum"
    return None


STAT_KEY = "stat.key"
"""A folder entry's file naming the names, sizes and modification times of the folder's files when the entry
was built (:func:`folder_stat_key`): how a later run guesses its entry before it has hashed the files."""


def folder_stat_key(folder: str | os.PathLike[str], *, exclude: Iterable[str | os.PathLike[str] | None] = (),
                    marketplace: str = "") -> str:
    """A digest of every file's relative path, size and modification time below ``folder`` (subfolders in
    ``exclude``, e.g. the output folder, left out) and the marketplace. Only a guess of which folder entry
    a run will open: the entry is still found by the files' content (:meth:`FileCache.database_key`)."""
    root = Path(folder)
    skip = set()
    for path in exclude:
        if path:
            try:
                skip.add(Path(path).resolve())
            except OSError:
                pass
    digest = hashlib.sha256(marketplace.encode() + b"\0")
    for dirpath, dirs, files in os.walk(root):
        here = Path(dirpath)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() not in skip)
        for name in sorted(files):
            try:
                st = os.stat(here / name)
            except OSError:
                continue
            rel = (here / name).relative_to(root).as_posix()
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _touch(entry: Path) -> None:
    """Mark an entry used now (least-recently-used order)."""
    try:
        os.utime(entry / MANIFEST)
    except OSError:
        pass


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _tree_size(path: Path) -> int:
    total = 0
    for root, _, names in os.walk(path):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


@dataclass(frozen=True)
class Entry:
    """One cache entry on disk."""
    path: Path
    kind: str            # "files" | "folders" | "temporary"
    size: int            # bytes
    last_used: float     # seconds since the epoch


def list_entries(root: Path) -> list[Entry]:
    """Every entry (and every temporary one left by an interrupted run), least recently used first."""
    found: list[Entry] = []
    for kind in ENTRY_KINDS:
        base = root / kind
        if not base.is_dir():
            continue
        for path in base.iterdir():
            if not path.is_dir():
                continue
            temporary = path.name.startswith(_TMP_PREFIX)
            marker = path if temporary else path / MANIFEST
            try:
                used = marker.stat().st_mtime
            except OSError:
                used = 0.0       # no manifest: a broken entry, first to go
            found.append(Entry(path, "temporary" if temporary else kind, _tree_size(path), used))
    return sorted(found, key=lambda e: (e.last_used, str(e.path)))


@dataclass(frozen=True)
class CacheInfo:
    """What ``sellerdx cache info`` prints."""
    location: Path
    entries: int         # complete entries (files + folders)
    files: int
    folders: int
    size: int            # bytes, temporary entries included
    max_bytes: int


def info(root: Path) -> CacheInfo:
    entries = list_entries(root)
    return CacheInfo(location=root, entries=sum(e.kind != "temporary" for e in entries),
                     files=sum(e.kind == "files" for e in entries),
                     folders=sum(e.kind == "folders" for e in entries),
                     size=sum(e.size for e in entries), max_bytes=max_bytes())


def clear(root: Path) -> tuple[int, int]:
    """Delete every entry (not ``history/``); returns (entries deleted, bytes freed)."""
    entries = list_entries(root)
    for entry in entries:
        _remove(entry.path)
    for kind in ENTRY_KINDS:
        try:
            (root / kind).rmdir()
        except OSError:
            pass
    return sum(e.kind != "temporary" for e in entries), sum(e.size for e in entries)


def evict(root: Path, limit: int, *, keep: Iterable[Path] = ()) -> list[Entry]:
    """Delete least recently used entries until the cache holds at most ``limit`` bytes.

    Entries in ``keep`` (in use by this run) stay; temporary entries of killed runs go when stale.
    """
    keep = {Path(p) for p in keep}
    entries = list_entries(root)
    now = time.time()
    removed = []
    for entry in entries:
        if entry.kind == "temporary" and now - entry.last_used > _STALE_TMP_SECONDS:
            _remove(entry.path)
            removed.append(entry)
    total = sum(e.size for e in entries if e not in removed)
    for entry in entries:
        if total <= limit:
            break
        if entry in removed or entry.path in keep or entry.kind == "temporary":
            continue
        _remove(entry.path)
        removed.append(entry)
        total -= entry.size
        log.debug("cache: evicted %s (%s bytes, last used %s)", entry.path.name, entry.size,
                  dt.datetime.fromtimestamp(entry.last_used).isoformat(timespec="seconds"))
    return removed


def _publish(tmp: Path, final: Path) -> bool:
    """Rename a complete temporary entry into place; False if another run published it first."""
    write_manifest(tmp)
    try:
        os.replace(tmp, final)
        return True
    except OSError:
        if final.exists() and verify(final) is None:    # the same content, built by a concurrent run
            _remove(tmp)
            return False
        raise


# ------------------------------------------------------------------------------------------------ the cache
class FileCache:
    """The cache of one analysis: per-file entries and the folder's database."""

    def __init__(self, folder: str | os.PathLike[str], *, marketplace: str | None,
                 limit: int | None = None) -> None:
        self.folder = Path(folder)
        for kind in ENTRY_KINDS:
            (self.folder / kind).mkdir(parents=True, exist_ok=True)
        self.marketplace = marketplace or ""
        self.limit = max_bytes() if limit is None else limit
        self.hits = 0
        self.misses = 0
        self.rebuilt: list[str] = []     # entries found damaged (deleted, then built again)
        self.used: set[Path] = set()     # entries this run reads or wrote: never evicted by it
        self.stat_key: str | None = None                     # :meth:`expect`'s, stored with a new entry
        self._checking: dict[Path, Future[str | None]] = {}  # entry -> verify() started by expect()

    # ---- the folder's entry checked early
    def expect(self, folder: str | os.PathLike[str], *,
               exclude: Iterable[str | os.PathLike[str] | None] = ()) -> Path | None:
        """Guess the folder entry this run will open and start verifying it in the background; returns it.

        Called before the folder's files are hashed (ingest.discover): the entry whose :data:`STAT_KEY` names
        the same files, sizes and modification times is checked (:func:`verify`, a full SHA-256 of its
        database) on a thread beside the hashing, which leaves a core idle once the small files are done.
        :meth:`open_database` uses that check only if the content key names the same entry; otherwise the
        guess cost some hashing and nothing else. An entry is never used without a full check."""
        self.stat_key = folder_stat_key(folder, exclude=exclude, marketplace=self.marketplace)
        base = self.folder / "folders"
        for entry in sorted(base.iterdir()) if base.is_dir() else ():
            if entry.name.startswith(_TMP_PREFIX):
                continue
            try:
                if (entry / STAT_KEY).read_text(encoding="utf-8").strip() != self.stat_key:
                    continue
            except OSError:
                continue
            from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - only when a cache is used

            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sellerdx-verify")
            self._checking[entry] = pool.submit(verify, entry)
            pool.shutdown(wait=False)
            return entry
        return None

    # ---- keys
    def database_key(self, sources: list[SourceFile]) -> str:
        """Key of a whole folder: every file's content and kind, sellerdx's code (assets.code_fingerprint), the marketplace."""
        digest = hashlib.sha256()
        for part in (assets.code_fingerprint(), self.marketplace,
                     *sorted(f"{s.content_hash}:{s.kind}:{s.path}" for s in sources)):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()[:32]

    def key(self, src: SourceFile) -> str:
        digest = hashlib.sha256()
        for part in (src.content_hash, assets.code_fingerprint(), self.marketplace, src.kind):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()[:32]

    def _open(self, entry: Path) -> bool:
        """Whether a complete, intact entry exists; a damaged one is deleted (and counted)."""
        checking = self._checking.pop(entry, None)
        if not entry.exists():
            return False
        problem = checking.result() if checking is not None else verify(entry)
        if problem:
            log.warning("cache entry %s is damaged (%s); rebuilding it", entry, problem)
            self.rebuilt.append(f"{entry.parent.name}/{entry.name}: {problem}")
            _remove(entry)
            return False
        _touch(entry)
        self.used.add(entry)
        return True

    def _tmp(self, kind: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.folder / kind))

    # ---- per file
    def fetch(self, con: duckdb.DuckDBPyConnection, src: SourceFile) -> FileReport | None:
        """Load the file's rows from the cache into its table ``<kind>``/``rejected_rows``; None on a miss."""
        entry = self.folder / "files" / self.key(src)
        if not self._open(entry):
            self.misses += 1
            return None
        meta = json.loads((entry / "report.json").read_text(encoding="utf-8"))
        con.execute(f"INSERT INTO {src.kind} SELECT * REPLACE ($path AS source_file) "
                    f"FROM read_parquet($file)", {"path": src.path, "file": str(entry / "stage.parquet")})
        con.execute("INSERT INTO rejected_rows SELECT * REPLACE ($path AS path) FROM read_parquet($file)",
                    {"path": src.path, "file": str(entry / "rejected.parquet")})
        self.hits += 1
        return _report_from_json({**meta, "path": src.path})

    def store(self, con: duckdb.DuckDBPyConnection, src: SourceFile, report: FileReport) -> None:
        """Save what ``validate.load_file`` just staged for ``src``; written atomically."""
        import duckdb  # noqa: PLC0415 - only when a cache is used: `cache info` / `clear` stay light
        final = self.folder / "files" / self.key(src)
        if final.exists():
            return
        tmp = self._tmp("files")
        try:
            con.execute(f"COPY (SELECT * FROM {src.kind} WHERE source_file = $path) TO "
                        f"'{_sql_path(tmp / 'stage.parquet')}' (FORMAT parquet)", {"path": src.path})
            con.execute(f"COPY (SELECT * FROM rejected_rows WHERE path = $path) TO "
                        f"'{_sql_path(tmp / 'rejected.parquet')}' (FORMAT parquet)", {"path": src.path})
            (tmp / "report.json").write_text(json.dumps(_report_to_json(report), ensure_ascii=False),
                                             encoding="utf-8")
            _publish(tmp, final)
            self.used.add(final)
        except (OSError, duckdb.Error) as exc:
            # The cache only saves time: a full disk or an unwritable folder must not stop the analysis,
            # and no half-written entry may stay behind (an entry exists only once renamed into place).
            log.info("cache: could not store %s (%s)", src.path, exc)
            _remove(tmp)

    # ---- whole folder
    def open_database(self, sources: list[SourceFile], work: str,
                      build: Callable[[duckdb.DuckDBPyConnection], Any]) -> tuple[duckdb.DuckDBPyConnection,
                                                                                   tuple[FileReport, ...] | None]:
        """A connection to a fresh work database ``work`` with the folder's loaded tables attached
        read-only (``cached``; unqualified names find them, new tables go to the work database).

        On a miss ``build(con)`` loads the folder into a new database (it returns the LoadResult), which
        is then published as an entry. Returns (connection, the cached file reports or None if built).
        """
        from . import store  # noqa: PLC0415 - DuckDB only when a cache is used (see above)
        entry = self.folder / "folders" / self.database_key(sources)
        reports = None
        if self._open(entry):
            reports = tuple(_report_from_json(m) for m in
                            json.loads((entry / "reports.json").read_text(encoding="utf-8")))
        else:
            tmp = self._tmp("folders")
            con = store.connect(str(tmp / "data.duckdb"), temp_directory=str(tmp))
            try:
                result = build(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            (tmp / "reports.json").write_text(json.dumps([_report_to_json(r) for r in result.files],
                                                         ensure_ascii=False), encoding="utf-8")
            if self.stat_key:     # how the next run of this folder finds the entry early (expect)
                (tmp / STAT_KEY).write_text(self.stat_key, encoding="utf-8")
            for leftover in tmp.iterdir():      # DuckDB's spill files and WAL: not part of the entry
                if leftover.name not in ("data.duckdb", "reports.json", STAT_KEY):
                    _remove(leftover) if leftover.is_dir() else leftover.unlink(missing_ok=True)
            try:
                _publish(tmp, entry)
            except OSError as exc:      # e.g. the old entry is still open elsewhere (Windows): use ours
                log.info("cache: could not store the folder's database (%s)", exc)
                entry = tmp
            self.used.add(entry)
        con = store.connect_work(work, attach=str(entry / "data.duckdb"))
        self.evict()
        return con, reports

    def evict(self) -> list[Entry]:
        """Bring the cache under its size bound (entries of this run are kept)."""
        return evict(self.folder, self.limit, keep=self.used)


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
