"""Locate the data that ships with sellerdx: SQL queries, pandera schemas, TOML data, templates.

Everything is found through :mod:`importlib.resources`, so it works the same from an installed wheel
(where ``queries/`` and ``schemas/`` are force-included as ``sellerdx/queries`` and
``sellerdx/schemas``) and from a source checkout with an editable install (where they stay at the top of
the repository and ``src/sellerdx/queries`` does not exist).
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_TOP_LEVEL = ("queries", "schemas")


def _package_root() -> Traversable:
    return resources.files("sellerdx")


@functools.cache
def asset_dir(name: str) -> Traversable:
    """The folder ``name`` (``queries``, ``schemas``, ``data``, ``templates``) as packaged."""
    packaged = _package_root() / name
    if packaged.is_dir():
        return packaged
    if name in _TOP_LEVEL:
        # Editable install from a source checkout: hatchling's force-include is not applied there, so
        # the folder is at the repository root, two levels above the package (src/sellerdx).
        checkout = Path(str(_package_root())).parent.parent / name
        if checkout.is_dir():
            return checkout
    raise FileNotFoundError(f"sellerdx is missing its {name!r} folder; reinstall the package")


def read_text(folder: str, filename: str) -> str:
    return (asset_dir(folder) / filename).read_text(encoding="utf-8")


QUERY_STAGES = ("load", "metrics", "rules", "report")
"""``queries/`` holds one folder per pipeline stage; a query's name is unique across them."""


@functools.cache
def query_paths() -> dict[str, Traversable]:
    """Every query by name (``order_facts``) -> its file (``queries/metrics/order_facts.sql``)."""
    found: dict[str, Traversable] = {}
    root = asset_dir("queries")
    for stage in QUERY_STAGES:
        folder = root / stage
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.is_file() and entry.name.endswith(".sql"):
                name = entry.name[:-4]
                if name in found:
                    raise RuntimeError(f"query {name!r} is in two stage folders of queries/")
                found[name] = entry
    return dict(sorted(found.items()))


def query_names() -> list[str]:
    """The names of every query, sorted."""
    return list(query_paths())


@functools.cache
def load_query(name: str) -> str:
    """The text of ``queries/<stage>/<name>.sql``."""
    try:
        return query_paths()[name].read_text(encoding="utf-8")
    except KeyError:
        raise FileNotFoundError(f"no query named {name!r} in queries/") from None


@functools.cache
def load_toml(filename: str) -> dict[str, Any]:
    """A TOML file from ``src/sellerdx/data/`` (e.g. ``reports.toml`` or ``rules/late_shipment.toml``)."""
    return tomllib.loads(read_text("data", filename))


def list_assets(folder: str, suffix: str = "") -> list[str]:
    """Names of the files directly inside a packaged folder, sorted."""
    return sorted(p.name for p in asset_dir(folder).iterdir() if p.name.endswith(suffix) and p.is_file())


def code_files() -> list[tuple[str, Traversable]]:
    """(name, file) of sellerdx's own code and data, sorted by name: every file of the package (modules,
    data, templates, translations; no ``__pycache__``) and the queries and schemas where a source checkout
    keeps them beside it (see :func:`asset_dir`)."""
    files: list[tuple[str, Traversable]] = []

    def walk(prefix: str, folder: Traversable) -> None:
        for item in sorted(folder.iterdir(), key=lambda t: t.name):
            if item.is_dir():
                if item.name != "__pycache__":
                    walk(f"{prefix}{item.name}/", item)
            elif item.is_file() and not item.name.endswith((".pyc", ".pyo")):
                files.append((prefix + item.name, item))

    root = _package_root()
    walk("sellerdx/", root)
    for name in _TOP_LEVEL:
        folder = asset_dir(name)
        if str(folder) != str(root / name):
            walk(f"{name}/", folder)
    return files


@functools.cache
def code_fingerprint() -> str:
    """A digest of sellerdx's version and of :func:`code_files`: what a stored result (a cache entry, an
    account's outputs kept by a portfolio run) was made by. It changes with any update of sellerdx, even to
    another commit of the same version (a checkout between two releases, an editable install). ~10 ms."""
    from sellerdx.version import __version__  # noqa: PLC0415 - assets is imported by everything; keep it light

    digest = hashlib.sha256(__version__.encode())
    for name, item in code_files():
        digest.update(name.encode() + b"\0")
        digest.update(item.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
