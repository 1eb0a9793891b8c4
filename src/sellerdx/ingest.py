"""Stage 1 — find the exports in a folder and say what each one is.

Every file below the folder (subfolders included; ``.gz`` files and ``.zip`` members opened) is either a
``SourceFile`` of a known report kind — recognised by its header fingerprint, never by its name — with
its encoding, delimiter and column mapping, or a ``SkippedFile`` with the reason. Nothing is ignored
silently. Reading the rows is the next stage (``validate``).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import re
import tomllib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from charset_normalizer import from_bytes

from . import workbook
from .amazon.report import is_performance_report
from .errors import MissingColumnError, NoInputError, UnreadableFileError
from .i18n import Message
from .i18n.fields import Joined
from .model import SkippedFile
from .paths import hash_files
from .recognise import MAPPING_FILE, Verdict, article, recognise_table
from .schema import normalize_header, report_specs

if TYPE_CHECKING:
    from concurrent.futures import Future

SAMPLE_BYTES = 256 * 1024
_TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".tab", ".json"}
# Encodings we decide between when a file is not UTF-8 (charset-normalizer picks among these).
_LEGACY_ENCODINGS = ["cp1252", "cp932", "gb18030", "big5"]
_CANONICAL_ENCODING = {"shift_jis": "cp932", "sjis": "cp932", "cp932": "cp932", "windows-1252": "cp1252",
                       "cp1252": "cp1252", "iso-8859-1": "cp1252", "latin_1": "cp1252", "latin-1": "cp1252",
                       "gb18030": "gb18030", "gb2312": "gb18030", "gbk": "gb18030", "big5": "big5",
                       "cp1250": "cp1250", "utf_8": "utf-8", "utf-8": "utf-8", "ascii": "utf-8"}


@dataclass(frozen=True)
class Location:
    """Where a file's bytes are: a path on disk, optionally a member inside a zip, optionally gzipped."""
    disk_path: str
    member: str | None = None
    gzipped: bool = False
    sheet: str | None = None        # a worksheet of an Excel workbook (the bytes are the whole workbook)

    def open(self) -> io.BufferedIOBase:
        """A binary stream of the (decompressed) content."""
        if self.member is not None:
            archive = zipfile.ZipFile(self.disk_path)
            raw = archive.open(self.member)
            return gzip.GzipFile(fileobj=raw) if self.gzipped else raw  # type: ignore[return-value]
        if self.gzipped:
            return gzip.open(self.disk_path, "rb")  # type: ignore[return-value]
        return open(self.disk_path, "rb")


@dataclass(frozen=True)
class SourceFile:
    """A recognised export, ready to be read."""
    path: str                       # as shown to the user: relative to the folder; "a.zip/inner.txt"
    kind: str
    location: Location
    encoding: str                   # utf-8, utf-8-sig, utf-16, cp1252, cp932, ...
    delimiter: str                  # "\t", ",", ";" ("" for JSON)
    header: tuple[str, ...] = ()
    mapping: dict[str, int] = field(default_factory=dict)   # canonical field -> 0-based column index
    unknown_columns: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    positional: bool = False
    header_line: int = 1            # physical line of the header (blank lines may come before it)
    size: int = 0
    content_hash: str = ""          # sha256 of the raw bytes on disk (archive member: of the member)

    @property
    def columns_mapped(self) -> dict[str, str]:
        return {name: self.header[i] for name, i in self.mapping.items() if i < len(self.header)}


@dataclass(frozen=True)
class Inventory:
    """What the folder holds."""
    folder: str
    sources: tuple[SourceFile, ...]
    skipped: tuple[SkippedFile, ...]

    def of_kind(self, kind: str) -> list[SourceFile]:
        return [s for s in self.sources if s.kind == kind]

    @property
    def kinds(self) -> set[str]:
        return {s.kind for s in self.sources}


# --------------------------------------------------------------------------------------------- walking
def _walk(folder: Path, exclude: tuple[Path, ...]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not any(_same(root_path / d, e) for e in exclude))
        for name in sorted(files):
            yield root_path / name


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _candidates(folder: Path, exclude: tuple[Path, ...],
                skipped: list[SkippedFile]) -> Iterator[tuple[str, Location, int, str]]:
    """(display path, location, size, content hash) of every file, archives opened."""
    paths = list(_walk(folder, exclude))
    # Every plain file's SHA-256 is started at once on a pool of threads (paths.hash_files: the same hash
    # as file_sha256 one by one), while the loop below recognises the files in order as their hashes arrive.
    hashes = hash_files([p for p in paths if _skip_reason(p) is None and p.suffix.lower() != ".zip"])
    try:
        yield from _each_candidate(folder, paths, hashes, skipped)
    finally:   # discovery stopped early (an unreadable archive): the hashes not yet started are not needed
        for future in hashes.values():
            future.cancel()


def _each_candidate(folder: Path, paths: list[Path], hashes: dict[str, Future[str]],
                    skipped: list[SkippedFile]) -> Iterator[tuple[str, Location, int, str]]:
    for path in paths:
        rel = path.relative_to(folder).as_posix()
        reason = _skip_reason(path)
        if reason == "":
            continue  # read separately: the user's header mapping
        if reason is not None:
            skipped.append(SkippedFile(rel, reason))
            continue
        suffix = path.suffix.lower()
        if suffix == ".zip":
            yield from _zip_members(path, rel, skipped)
            continue
        size = path.stat().st_size
        yield rel, Location(str(path), gzipped=(suffix == ".gz")), size, hashes[str(path)].result()


def _skip_reason(path: Path) -> str | None:
    """Why a file of the folder is not a candidate, None when it is one; an empty reason for the user's
    header mapping (read separately, not listed as skipped)."""
    if path.is_symlink():
        return "a symbolic link; copy the file itself into the folder"
    if path.name == MAPPING_FILE:
        return ""
    if path.name.startswith(".") or path.name in {"Thumbs.db", "desktop.ini"}:
        return "hidden or system file"
    return None


def _zip_members(path: Path, rel: str, skipped: list[SkippedFile]) -> Iterator[tuple[str, Location, int, str]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError(f"not a readable zip archive ({exc})", path=rel,
                                  hint="download the report again or unzip it into the folder yourself") from None
    with archive:
        for info in archive.infolist():
            name = info.filename
            member_path = f"{rel}/{name}"
            if info.is_dir():
                continue
            pure = PurePosixPath(name.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
                skipped.append(SkippedFile(member_path, "unsafe path inside the zip archive (refused)"))
                continue
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                skipped.append(SkippedFile(member_path, "symbolic link inside the zip archive (refused)"))
                continue
            if pure.name.startswith(".") or pure.parts[0] == "__MACOSX":
                skipped.append(SkippedFile(member_path, "hidden or system file"))
                continue
            digest = hashlib.sha256(f"{info.CRC}:{info.file_size}:{name}".encode()).hexdigest()
            yield (member_path, Location(str(path), member=name, gzipped=name.lower().endswith(".gz")),
                   info.file_size, digest)


# --------------------------------------------------------------------------------------------- decoding
def _read_sample(location: Location, display: str) -> bytes:
    try:
        with location.open() as stream:
            return stream.read(SAMPLE_BYTES)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
        raise UnreadableFileError(f"cannot be opened ({exc})", path=display,
                                  hint="download the report again; the file looks damaged") from None


def detect_encoding(sample: bytes) -> str | None:
    """The encoding of a text sample: a BOM, strict UTF-8, else charset-normalizer among legacy encodings.

    Returns None when the bytes are not text in any encoding we know.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a sample cut inside a character is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        return None
    return _CANONICAL_ENCODING.get(best.encoding.lower().replace("-", "_"), best.encoding)


def _decode_sample(sample: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(sample, final=False)


def sniff_delimiter(header_line: str) -> str:
    """Tab when the header has a tab (Amazon's flat files); else ';' or ',' whichever splits more."""
    if "\t" in header_line:
        return "\t"
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _split_header(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return [c.strip() for c in line.split("\t")]
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter, quotechar='"'))]


def _first_lines(text: str, n: int) -> list[str]:
    lines = text.splitlines()
    if len(text) >= SAMPLE_BYTES // 2 and lines:
        lines = lines[:-1]  # the last line of a cut sample may be incomplete
    return [ln for ln in lines if ln.strip()][:n]


# --------------------------------------------------------------------------------------------- fingerprints
def load_user_mapping(folder: Path) -> dict[str, dict[str, list[str]]]:
    """The folder's ``sellerdx-mapping.toml``: extra header synonyms per kind and field."""
    path = folder / MAPPING_FILE
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(f"is not valid TOML ({exc})", path=MAPPING_FILE,
                                  hint='write a [kind] heading, then field = ["Header", ...] lines, e.g. [claims] order_id = ["Bestellnr."]') from None
    specs = report_specs()
    for kind, fields in data.items():
        if kind not in specs or not isinstance(fields, dict):
            raise UnreadableFileError(f"names an unknown report kind {kind!r}", path=MAPPING_FILE,
                                      hint="kinds: " + ", ".join(specs))
        for name, headers in fields.items():
            if name not in specs[kind].fields:
                raise UnreadableFileError(f"names an unknown field {kind}.{name}", path=MAPPING_FILE,
                                          hint="fields: " + ", ".join(specs[kind].fields))
            if isinstance(headers, str):
                fields[name] = [headers]
    return data


# --------------------------------------------------------------------------------------------- discovery
def discover(folder: str | os.PathLike[str], *, exclude: tuple[str | os.PathLike[str], ...] = ()) -> Inventory:
    """Find and recognise every export below ``folder``.

    Raises ``NoInputError`` when the folder is missing or holds no orders report,
    ``MissingColumnError`` when a recognised report lacks a required column and
    ``UnreadableFileError`` when a text export cannot be decoded or an archive is damaged.
    """
    root = Path(folder)
    if not root.exists():
        raise NoInputError(Message("folder not found"), path=str(folder),
                           hint=Message("pass the folder your Seller Central downloads are in"))
    if not root.is_dir():
        raise NoInputError(Message("is a file, not a folder"), path=str(folder),
                           hint=Message("pass the folder that holds the exports, not one file"))
    extra = load_user_mapping(root)
    skipped: list[SkippedFile] = []
    sources: list[SourceFile] = []
    seen_hashes: dict[str, str] = {}
    for display, location, size, digest in _candidates(root, tuple(Path(e) for e in exclude), skipped):
        if digest in seen_hashes:
            skipped.append(SkippedFile(display, f"identical copy of {seen_hashes[digest]}"))
            continue
        for result in _recognise(display, location, size, digest, extra):
            if isinstance(result, SkippedFile):
                skipped.append(result)
            else:
                seen_hashes[digest] = display
                sources.append(result)
    inventory = Inventory(str(root), tuple(sources), tuple(skipped))
    if not inventory.of_kind("orders"):
        found: list[Any] = [", ".join(sorted(inventory.kinds)) or Message("no report at all")]
        named = sorted({s.reason.split(": not used")[0] for s in skipped if ": not used for these metrics" in s.reason})
        if named:   # Amazon reports recognised and knowingly skipped (a Fulfilled Shipments report is not All Orders)
            found.append(Message("not used: {reports}", {"reports": ", ".join(named)}))
        raise NoInputError(Message("no All Orders report in the folder (found: {found})", {"found": Joined(found)}),
                           path=str(folder), hint=Message("download Reports > Fulfillment > All Orders "
                                                          "(tab-delimited) for the last 90 days into this folder"))
    return inventory


def _recognise(display: str, location: Location, size: int, digest: str,
               extra: dict[str, dict[str, list[str]]]) -> list[SourceFile | SkippedFile]:
    """What one file is: a report (a workbook: one entry per sheet), or skipped with the reason."""
    name = display.lower()
    base = name[:-3] if name.endswith(".gz") else name
    suffix = Path(base).suffix
    if size == 0:
        return [SkippedFile(display, Message("empty file"))]
    if suffix in workbook.SUFFIXES and not name.endswith(".gz"):
        return _recognise_workbook(display, location, size, digest, extra)
    sample = _read_sample(location, display)
    if not sample.strip():
        return [SkippedFile(display, Message("empty file"))]
    encoding = detect_encoding(sample)
    if encoding is None:
        if suffix in _TEXT_SUFFIXES:
            raise UnreadableFileError("cannot be decoded as text (not UTF-8, Windows-1252 or Shift-JIS)",
                                      path=display, hint="download the report again from Seller Central; "
                                      "if you saved it from Excel, save as 'Text (Tab delimited)' or 'CSV UTF-8'")
        return [SkippedFile(display, Message("binary file, not a text export (a PDF, an image, an old .xls workbook?)"))]
    text = _decode_sample(sample, encoding)
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith(("{", "[")):
        return [_recognise_json(display, location, size, digest, encoding)]
    lines = [ln.lstrip("\ufeff") for ln in _first_lines(text, 40)]
    if not lines:
        return [SkippedFile(display, Message("empty file"))]
    delimiters = [sniff_delimiter(ln) for ln in lines]

    def table_at(k: int) -> list[list[str]]:
        return [_split_header(ln, delimiters[k]) for ln in lines[k:]]

    verdict = recognise_table(table_at, len(lines), extra)
    if verdict.kind is None:
        if not verdict.matched and len(table_at(0)[0]) < 2:
            return [SkippedFile(display, Message("not a delimited table (one column only)"))]
        return [SkippedFile(display, verdict.reason)]
    k = verdict.header_row
    return [_source(display, verdict, table_at(k)[0], location=location, encoding=encoding,
                    delimiter=delimiters[k], header_line=_nonblank_line_number(text, k), size=size,
                    digest=digest)]


def _nonblank_line_number(text: str, k: int) -> int:
    """1-based physical line of the k-th (0-based) non-blank line (k = 0: the header of most files)."""
    seen = -1
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip("\ufeff \r\t"):
            seen += 1
            if seen == k:
                return number
    return 1


def _recognise_workbook(display: str, location: Location, size: int, digest: str,
                        extra: dict[str, dict[str, list[str]]]) -> list[SourceFile | SkippedFile]:
    """Every sheet of an Excel workbook: a report (``book.xlsx [Sheet1]``) or skipped with the reason."""
    try:
        names = workbook.sheet_names(location)
    except workbook.WorkbookError as exc:
        return [SkippedFile(display, f"an Excel workbook that cannot be read ({exc}); open it in Excel and "
                                     "save it again, or save the sheet as 'Text (Tab delimited)'")]
    out: list[SourceFile | SkippedFile] = []
    for sheet in names:
        shown = f"{display} [{sheet}]"
        try:
            rows = workbook.first_rows(location, sheet, 40)
        except workbook.WorkbookError as exc:
            out.append(SkippedFile(shown, f"a sheet that cannot be read ({exc})"))
            continue
        if not rows:
            out.append(SkippedFile(shown, "empty sheet"))
            continue
        cells = [r for _, r in rows]
        verdict = recognise_table(lambda k, cells=cells: [list(c) for c in cells[k:]], len(cells), extra)
        if verdict.kind is None:
            reason = verdict.reason if verdict.matched or len(cells[0]) >= 2 else Message("not a table (one column only)")
            out.append(SkippedFile(shown, reason))
            continue
        k = verdict.header_row
        sheet_digest = hashlib.sha256(f"{digest}:{sheet}".encode()).hexdigest()
        out.append(_source(shown, verdict, cells[k], location=replace(location, sheet=sheet), encoding="xlsx",
                           delimiter="sheet", header_line=rows[k][0], size=size, digest=sheet_digest))
    if not names:
        out.append(SkippedFile(display, Message("an Excel workbook without sheets")))
    return out


def _source(display: str, verdict: Verdict, header: list[str], *, location: Location, encoding: str,
            delimiter: str, header_line: int, size: int, digest: str) -> SourceFile:
    """The ``SourceFile`` of a recognised header; a missing required column stops the run (exit 2)."""
    kind = verdict.kind
    assert kind is not None
    spec = report_specs()[kind]
    mapping = dict(verdict.mapping)
    missing = [f for f in spec.required if f not in mapping]
    if missing:
        field_spec = spec.fields[missing[0]]
        raise MissingColumnError(
            f"{spec.label} without {article(field_spec.title)} {field_spec.title!r} column", path=display,
            column=missing[0],
            hint=f"accepted headers: {', '.join(field_spec.headers[:6])}; download the full report or add "
                 f"the header to {MAPPING_FILE}")
    used = set(mapping.values())
    unknown = tuple(h for i, h in enumerate(header)
                    if i not in used and h and normalize_header(h) not in spec.quiet_columns)
    warnings: list[str] = []
    if verdict.positional:
        warnings.append("headers not recognised; columns read by position "
                        "(Date, Rating, Comments, Response, Order ID, Rater Email)")
    if verdict.header_row:
        warnings.append(f"{verdict.header_row} title line{'s' if verdict.header_row > 1 else ''} above the "
                        f"header skipped (header on line {header_line})")
    if unknown:
        warnings.append(f"{len(unknown)} column{'s' if len(unknown) > 1 else ''} sellerdx does not use: "
                        f"{', '.join(unknown[:8])}" + (" …" if len(unknown) > 8 else ""))
    return SourceFile(path=display, kind=kind, location=location, encoding=encoding, delimiter=delimiter,
                      header=tuple(header), mapping=mapping, unknown_columns=unknown,
                      warnings=tuple(warnings), positional=verdict.positional, header_line=header_line,
                      size=size, content_hash=digest)


def _recognise_json(display: str, location: Location, size: int, digest: str,
                    encoding: str) -> SourceFile | SkippedFile:
    try:
        with location.open() as stream:
            data = json.loads(stream.read().decode(encoding))
    except (ValueError, UnicodeDecodeError) as exc:
        return SkippedFile(display, f"JSON that cannot be parsed ({exc.__class__.__name__})")
    if not is_performance_report(data):
        return SkippedFile(display, Message("JSON that is not Amazon's seller performance report"))
    return SourceFile(path=display, kind="performance", location=location, encoding=encoding,
                      delimiter="", size=size, content_hash=digest)
