"""Stage 1 — find the exports in a folder and say what each one is.

Every file below the folder (subfolders included; ``.gz`` files and ``.zip`` members opened) is either a
``SourceFile`` of a known report kind — recognised by its header fingerprint, never by its name — with
its encoding, delimiter and column mapping, or a ``SkippedFile`` with the reason. Nothing is ignored
silently. Reading the rows is the next stage (``validate``).
"""

from __future__ import annotations

import codecs
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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from charset_normalizer import from_bytes

from .errors import MissingColumnError, NoInputError, UnreadableFileError
from .model import SkippedFile
from .schema import ReportSpec, normalize_header, report_specs

SAMPLE_BYTES = 256 * 1024
MAPPING_FILE = "sellerdx-mapping.toml"
_TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".tab", ".json"}
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")
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


def _hash_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _candidates(folder: Path, exclude: tuple[Path, ...],
                skipped: list[SkippedFile]) -> Iterator[tuple[str, Location, int, str]]:
    """(display path, location, size, content hash) of every file, archives opened."""
    for path in _walk(folder, exclude):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            skipped.append(SkippedFile(rel, "a symbolic link; copy the file itself into the folder"))
            continue
        if path.name == MAPPING_FILE:
            continue  # read separately: the user's header mapping
        if path.name.startswith(".") or path.name in {"Thumbs.db", "desktop.ini"}:
            skipped.append(SkippedFile(rel, "hidden or system file"))
            continue
        suffix = path.suffix.lower()
        if suffix == ".zip":
            yield from _zip_members(path, rel, skipped)
            continue
        size = path.stat().st_size
        yield rel, Location(str(path), gzipped=(suffix == ".gz")), size, _hash_file(str(path))


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
    import csv
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter, quotechar='"'))]


def _header_line_number(text: str) -> int:
    """1-based physical line of the first non-blank line (the header)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip("\ufeff \r\t"):
            return number
    return 1


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


@dataclass(frozen=True)
class _Match:
    kind: str
    mapping: dict[str, int]
    score: tuple[int, int]


def _match_kind(spec: ReportSpec, header: list[str], extra: dict[str, list[str]], *,
                partial: bool = False) -> _Match | None:
    index = spec.header_index()
    for name, headers in extra.items():
        for h in headers:
            index[normalize_header(h)] = name
    mapping: dict[str, int] = {}
    specific = 0
    for i, cell in enumerate(header):
        key = normalize_header(cell)
        name = index.get(key)
        if name and name not in mapping:
            mapping[name] = i
            if key in spec.specific or name in extra:
                specific += 1
    if not any(all(f in mapping for f in ident) for ident in spec.identify):
        # Partial: headers only this kind uses, but not a whole fingerprint (a required column missing).
        if not (partial and spec.partial_ok and specific >= 2):
            return None
    return _Match(spec.kind, mapping, (specific, len(mapping)))


def _looks_like_feedback(rows: list[list[str]]) -> bool:
    """Positional fallback: translated feedback headers keep Date, Rating, Comments, Response, Order ID."""
    data = [r for r in rows if len(r) >= 5]
    if len(data) < 1:
        return False
    ratings = sum(1 for r in data if r[1].strip() in {"1", "2", "3", "4", "5"})
    order_ids = sum(1 for r in data if _ORDER_ID.match(r[4].strip()))
    return ratings >= 0.8 * len(data) and order_ids >= 0.8 * len(data)


def identify(header: list[str], rows: list[list[str]], extra: dict[str, dict[str, list[str]]]
             ) -> tuple[str, dict[str, int], bool] | tuple[None, str, bool]:
    """(kind, mapping, positional) for a header, or (None, reason, False)."""
    specs = report_specs()
    matches = [m for spec in specs.values() if (m := _match_kind(spec, header, extra.get(spec.kind, {})))]
    if matches:
        matches.sort(key=lambda m: m.score, reverse=True)
        if len(matches) > 1 and matches[0].score == matches[1].score:
            kinds = " or ".join(m.kind for m in matches[:2])
            return None, (f"ambiguous header: could be {kinds}; rename one column to a specific name "
                          f"(e.g. 'Claim Status', 'Chargeback Date') or map it in {MAPPING_FILE}"), False
        best = matches[0]
        return best.kind, best.mapping, False
    fb = specs["feedback"]
    if len(header) >= len(fb.positional) - 1 and _looks_like_feedback(rows):
        return "feedback", {name: i for i, name in enumerate(fb.positional) if i < len(header)}, True
    # A file with two or more headers that only one kind uses is that kind even without its whole
    # fingerprint: the caller then names the missing required column instead of skipping the file.
    partial = [m for spec in specs.values() if (m := _match_kind(spec, header, extra.get(spec.kind, {}), partial=True))]
    partial.sort(key=lambda m: m.score, reverse=True)
    if partial and (len(partial) == 1 or partial[0].score > partial[1].score):
        return partial[0].kind, partial[0].mapping, False
    shown = ", ".join(h for h in header[:6] if h) or "(empty)"
    return None, f"not a report sellerdx knows (header starts: {shown[:120]})", False


# --------------------------------------------------------------------------------------------- discovery
def discover(folder: str | os.PathLike[str], *, exclude: tuple[str | os.PathLike[str], ...] = ()) -> Inventory:
    """Find and recognise every export below ``folder``.

    Raises ``NoInputError`` when the folder is missing or holds no orders report,
    ``MissingColumnError`` when a recognised report lacks a required column and
    ``UnreadableFileError`` when a text export cannot be decoded or an archive is damaged.
    """
    root = Path(folder)
    if not root.exists():
        raise NoInputError("folder not found", path=str(folder),
                           hint="pass the folder your Seller Central downloads are in")
    if not root.is_dir():
        raise NoInputError("is a file, not a folder", path=str(folder),
                           hint="pass the folder that holds the exports, not one file")
    extra = load_user_mapping(root)
    skipped: list[SkippedFile] = []
    sources: list[SourceFile] = []
    seen_hashes: dict[str, str] = {}
    for display, location, size, digest in _candidates(root, tuple(Path(e) for e in exclude), skipped):
        if digest in seen_hashes:
            skipped.append(SkippedFile(display, f"identical copy of {seen_hashes[digest]}"))
            continue
        result = _recognise(display, location, size, digest, extra)
        if isinstance(result, SkippedFile):
            skipped.append(result)
        else:
            seen_hashes[digest] = display
            sources.append(result)
    inventory = Inventory(str(root), tuple(sources), tuple(skipped))
    if not inventory.of_kind("orders"):
        found = ", ".join(sorted(inventory.kinds)) or "no report at all"
        raise NoInputError(f"no All Orders report in the folder (found: {found})", path=str(folder),
                           hint="download Reports > Fulfillment > All Orders (tab-delimited) for the last "
                                "90 days into this folder")
    return inventory


def _recognise(display: str, location: Location, size: int, digest: str,
               extra: dict[str, dict[str, list[str]]]) -> SourceFile | SkippedFile:
    name = display.lower()
    base = name[:-3] if name.endswith(".gz") else name
    suffix = Path(base).suffix
    if size == 0:
        return SkippedFile(display, "empty file")
    sample = _read_sample(location, display)
    if not sample.strip():
        return SkippedFile(display, "empty file")
    encoding = detect_encoding(sample)
    if encoding is None:
        if suffix in _TEXT_SUFFIXES:
            raise UnreadableFileError("cannot be decoded as text (not UTF-8, Windows-1252 or Shift-JIS)",
                                      path=display, hint="download the report again from Seller Central; "
                                      "if you saved it from Excel, save as 'Text (Tab delimited)' or 'CSV UTF-8'")
        return SkippedFile(display, "binary file, not a text export (an Excel workbook, PDF or image?)")
    text = _decode_sample(sample, encoding)
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith(("{", "[")):
        return _recognise_json(display, location, size, digest, encoding)
    lines = _first_lines(text, 40)
    if not lines:
        return SkippedFile(display, "empty file")
    header_at = _header_line_number(text)
    header_line = lines[0].lstrip("\ufeff")
    delimiter = sniff_delimiter(header_line)
    header = _split_header(header_line, delimiter)
    if len(header) < 2:
        return SkippedFile(display, "not a delimited table (one column only)")
    rows = [_split_header(ln, delimiter) for ln in lines[1:]]
    kind, mapping_or_reason, positional = identify(header, rows, extra)
    if kind is None:
        return SkippedFile(display, str(mapping_or_reason))
    spec = report_specs()[kind]
    mapping: dict[str, int] = mapping_or_reason  # type: ignore[assignment]
    missing = [f for f in spec.required if f not in mapping]
    if missing:
        field_spec = spec.fields[missing[0]]
        raise MissingColumnError(
            f"{spec.label} without a {field_spec.title!r} column", path=display, column=missing[0],
            hint=f"accepted headers: {', '.join(field_spec.headers[:6])}; download the full report or add "
                 f"the header to {MAPPING_FILE}")
    used = set(mapping.values())
    unknown = tuple(h for i, h in enumerate(header)
                    if i not in used and h and normalize_header(h) not in spec.quiet_columns)
    warnings: list[str] = []
    if positional:
        warnings.append("headers not recognised; columns read by position "
                        "(Date, Rating, Comments, Response, Order ID, Rater Email)")
    if unknown:
        warnings.append(f"{len(unknown)} column(s) sellerdx does not use: {', '.join(unknown[:8])}"
                        + (" …" if len(unknown) > 8 else ""))
    return SourceFile(path=display, kind=kind, location=location, encoding=encoding, delimiter=delimiter,
                      header=tuple(header), mapping=mapping, unknown_columns=unknown,
                      warnings=tuple(warnings), positional=positional, header_line=header_at, size=size,
                      content_hash=digest)


def _recognise_json(display: str, location: Location, size: int, digest: str,
                    encoding: str) -> SourceFile | SkippedFile:
    from .amazon.report import is_performance_report
    try:
        with location.open() as stream:
            data = json.loads(stream.read().decode(encoding))
    except (ValueError, UnicodeDecodeError) as exc:
        return SkippedFile(display, f"JSON that cannot be parsed ({exc.__class__.__name__})")
    if not is_performance_report(data):
        return SkippedFile(display, "JSON that is not Amazon's seller performance report")
    return SourceFile(path=display, kind="performance", location=location, encoding=encoding,
                      delimiter="", size=size, content_hash=digest)
