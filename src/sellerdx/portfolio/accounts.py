"""The accounts of a portfolio: the subfolders of ROOT, or the accounts listed in ``ROOT/portfolio.toml``.

Without ``portfolio.toml`` every immediate subfolder of ROOT that holds at least one file is an account
named after the folder (hidden folders, empty folders and the output folder are left out). With it, the
accounts are the ``[accounts.<name>]`` tables::

    [defaults]                      # options every account gets unless it says otherwise
    marketplace = "US"

    [accounts.acme]
    path = "exports/acme"           # relative to ROOT; default: the subfolder named like the account
    marketplace = "DE"
    as_of = 2026-10-31
    sales_channel = "Amazon.de"     # the marketplace of the account's figures when its orders hold several
    language = "de"
    notice = "odr,lsr"

Each option is passed to :func:`sellerdx.analyze` when it has a parameter of that name (see
``data/portfolio.toml``); one it does not have yet is kept (it is part of the account's fingerprint) and
reported as a warning, so it starts working when sellerdx learns it.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..assets import load_toml
from ..errors import BadOptionError, NoInputError

CONFIG_NAME = "portfolio.toml"
RESERVED_NAMES = frozenset({"index.html", "portfolio.csv", "portfolio.parquet", "portfolio.json", "history",
                            "portfolio-state.json"})
"""Names of the portfolio's own outputs in DIR: an account with one of them cannot have ``DIR/<name>/``."""

_ANALYZE_FIXED = ("folder", "out", "cache", "progress")   # decided by the portfolio, never by an account


@dataclass(frozen=True)
class Account:
    """One seller account of the portfolio."""
    name: str                                   # also the name of its output folder DIR/<name>/
    folder: str                                 # absolute path of its exports
    options: dict[str, Any] = field(default_factory=dict)    # keyword arguments for sellerdx.analyze
    declared: dict[str, Any] = field(default_factory=dict)   # every option it declares (JSON-ready)
    warnings: tuple[str, ...] = ()
    error: str | None = None                    # set when the account cannot even be started


def option_names() -> dict[str, list[str]]:
    """Per-account option -> the parameter names of ``sellerdx.analyze`` it may have."""
    table = {k: list(v) for k, v in load_toml("portfolio.toml")["options"].items()}
    for name in _analyze_parameters():        # an option sellerdx.analyze gained later is accepted as well
        table.setdefault(name, [name])
    return table


def _analyze_parameters() -> list[str]:
    from ..analysis import analyze  # noqa: PLC0415 - the portfolio's own options are read without the engine
    return [p for p in inspect.signature(analyze).parameters if p not in _ANALYZE_FIXED]


def resolve_options(declared: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """(keyword arguments for ``sellerdx.analyze``, warnings about options this sellerdx cannot use yet)."""
    accepted = set(_analyze_parameters())
    names = option_names()
    kwargs: dict[str, Any] = {}
    warnings: list[str] = []
    for option, value in declared.items():
        target = next((p for p in names.get(option, [option]) if p in accepted), None)
        if target is None:
            warnings.append(f"option {option!r} is not supported by this version of sellerdx yet; ignored")
        else:
            kwargs[target] = value
    return kwargs, tuple(warnings)


def discover_accounts(root: str | os.PathLike[str], *, exclude: Iterable[str | os.PathLike[str]] = (),
                      defaults: Mapping[str, Any] | None = None) -> tuple[list[Account], list[str]]:
    """The accounts under ``root`` and notes about folders left out.

    ``defaults`` are options from the command line; ``portfolio.toml``'s ``[defaults]`` come first, then
    these, then each account's own table. Raises :class:`NoInputError` when ``root`` holds no account.
    """
    base = Path(root).expanduser()
    if not base.is_dir():
        raise NoInputError("folder not found" if not base.exists() else "not a folder", path=str(root),
                           hint="pass the folder whose subfolders hold each account's exports")
    base = base.resolve()
    excluded = {Path(e).expanduser().resolve() for e in exclude}
    config = base / CONFIG_NAME
    cli = _normalise_options(defaults or {}, where="command line")
    if config.is_file():
        accounts, notes = _from_config(base, config, cli)
    else:
        accounts, notes = _from_subfolders(base, excluded, cli)
    if not accounts:
        raise NoInputError("no account found", path=str(root),
                           hint="put each account's exports in its own subfolder of this folder, or list the "
                                f"accounts in {CONFIG_NAME} ([accounts.<name>] with a path)")
    return accounts, notes


def _from_subfolders(base: Path, excluded: set[Path], cli: dict[str, Any]) -> tuple[list[Account], list[str]]:
    accounts, notes = [], []
    for entry in sorted(base.iterdir(), key=lambda p: p.name):
        if not entry.is_dir() or entry.name.startswith(".") or entry.resolve() in excluded:
            continue
        if not any(p.is_file() for p in entry.rglob("*")):
            notes.append(f"{entry.name}: empty folder, not an account")
            continue
        accounts.append(_account(entry.name, entry, cli))
    return accounts, notes


def _from_config(base: Path, config: Path, cli: dict[str, Any]) -> tuple[list[Account], list[str]]:
    try:
        doc = tomllib.loads(config.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadOptionError(f"cannot read it: {exc}", path=str(config),
                             hint="fix the TOML syntax (tables [defaults] and [accounts.<name>])") from None
    unknown = set(doc) - {"defaults", "accounts"}
    if unknown:
        raise BadOptionError(f"unknown table(s) {', '.join(sorted(unknown))}", path=str(config),
                             hint="a portfolio.toml has [defaults] and [accounts.<name>] tables only")
    defaults = _normalise_options(doc.get("defaults", {}), where=f"{config.name} [defaults]", config=config)
    listed = doc.get("accounts", {})
    if not isinstance(listed, dict) or not all(isinstance(v, dict) for v in listed.values()):
        raise BadOptionError("[accounts] must hold one table per account", path=str(config),
                             hint='write [accounts.acme] with path = "acme" and its options')
    accounts = []
    for name, table in listed.items():
        table = dict(table)
        path = table.pop("path", name)
        own = _normalise_options(table, where=f"{config.name} [accounts.{name}]", config=config)
        folder = Path(str(path)).expanduser()
        folder = folder if folder.is_absolute() else base / folder
        accounts.append(_account(name, folder, {**defaults, **cli, **own}))
    return accounts, []


def _account(name: str, folder: Path, declared: dict[str, Any]) -> Account:
    options, warnings = resolve_options(declared)
    error = _name_problem(name)
    return Account(name=name, folder=str(folder), options=options, declared=dict(sorted(declared.items())),
                   warnings=warnings, error=error)


def _name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an output folder of DIR (None when it can)."""
    if not name.strip() or name in (".", "..") or any(c in name for c in "/\\\0") or name.startswith("."):
        return (f"account name {name!r} cannot be a folder name in the output folder; "
                "use a name without '/', '\\' or a leading '.'")
    if name in RESERVED_NAMES:
        return (f"account name {name!r} is also the name of a portfolio output; "
                "rename the folder or list the account under another name in portfolio.toml")
    return None


def _normalise_options(table: Mapping[str, Any], *, where: str, config: Path | None = None) -> dict[str, Any]:
    """Options with ``as-of`` spelt ``as_of``, dates as ISO text, lists joined; unknown names refused."""
    names = option_names()
    out: dict[str, Any] = {}
    for raw, value in table.items():
        key = str(raw).replace("-", "_")
        if value is None:
            continue
        if key not in names:
            raise BadOptionError(f"{where}: unknown option {raw!r}", path=str(config) if config else None,
                                 hint="accepted: path, " + ", ".join(sorted(names)))
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10]
        elif isinstance(value, list):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, dict):
            raise BadOptionError(f"{where}: option {raw!r} must be a single value",
                                 path=str(config) if config else None, hint='write it as key = "value"')
        out[key] = value
    return out


__all__ = ["Account", "CONFIG_NAME", "RESERVED_NAMES", "discover_accounts", "option_names", "resolve_options"]
