"""Every ``sellerdx analyze`` option has a library twin with the same name and default (the issue's
"every CLI option has its library twin"), and the Analysis API the issue names exists, typed and documented.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import click
import pytest
from click.testing import CliRunner

import sellerdx
from sellerdx import cli
from sellerdx.analysis import Analysis, Inputs, Options

# CLI-only by nature: they act on the terminal or the desktop, not on the analysis.
CLI_ONLY = {
    "as_json": "--json prints summary.json to stdout; the library has Analysis.summary() / to_json(path)",
    "open_report": "--open starts a web browser; a notebook shows the report inline or via to_html(path)",
    "help": "--help/-h prints the usage",
    "no_cache": "--no-cache is the library's cache=False (the twin of --cache, checked below)",
    "timings": "--timings prints Analysis.timings, which the library exposes as an attribute",
    "verbose": "-v sets the level of the 'sellerdx' logger; library users configure logging themselves",
    "quiet": "-q sets the level of the 'sellerdx' logger; library users configure logging themselves",
}
# Library-only keywords of sellerdx.analyze, with the reason they have no flag.
LIBRARY_ONLY = {
    "progress": "a Python callback; the CLI passes its rich progress bar here",
}

CTX = click.Context(cli.analyze)


def _dest(param: click.Parameter) -> str:
    return "help" if "--help" in getattr(param, "opts", ()) else str(param.name)


def _cli_options() -> dict[str, click.Option]:
    return {_dest(p): p for p in cli.analyze.get_params(CTX) if isinstance(p, click.Option)}


def _twin_options() -> dict[str, click.Option]:
    return {k: v for k, v in _cli_options().items() if k not in CLI_ONLY}


def test_cli_only_list_is_exact() -> None:
    """The exemption list names real options only, so a renamed flag cannot hide behind a stale entry."""
    assert set(CLI_ONLY) <= set(_cli_options()), set(CLI_ONLY) - set(_cli_options())


def test_there_are_twins_to_check() -> None:
    # Written by hand from the issue / README: the flags an analyst can set from Python too.
    assert set(_twin_options()) == {"out", "as_of", "odr_lag_days", "marketplace", "cache", "notice", "timezone",
                                    "sales_channel", "lang", "poa_lang"}


# Options whose CLI and analyze() default is "not given" (None) and whose Options field holds what it resolved to.
RESOLVED = {"lang": "--lang / lang=None: $SELLERDX_LANG, else the system locale, else English; Options.lang is the code"}


@pytest.mark.parametrize("name", sorted(_twin_options()))
def test_option_has_analyze_keyword_with_same_default(name: str) -> None:
    option = _twin_options()[name]
    params = inspect.signature(sellerdx.analyze).parameters
    assert name in params, f"--{name.replace('_', '-')} has no keyword {name!r} on sellerdx.analyze"
    param = params[name]
    assert param.kind in (param.KEYWORD_ONLY, param.POSITIONAL_OR_KEYWORD)
    assert param.default == option.get_default(CTX), (
        f"sellerdx.analyze({name}=...) defaults to {param.default!r}, the CLI to {option.get_default(CTX)!r}")


@pytest.mark.parametrize("name", sorted(_twin_options()))
def test_option_has_options_field_with_same_default(name: str) -> None:
    option = _twin_options()[name]
    fields = {f.name: f for f in dataclasses.fields(Options)}
    assert name in fields, f"--{name.replace('_', '-')} has no field {name!r} on Options"
    if name in RESOLVED:
        assert option.get_default(CTX) is None and fields[name].default == "en"
        return
    assert fields[name].default == option.get_default(CTX)
    assert Options().__getattribute__(name) == option.get_default(CTX)


def test_no_library_option_without_a_flag() -> None:
    """The other direction: every Options field and analyze keyword is a flag (or listed with a reason)."""
    twins = set(_twin_options())
    assert {f.name for f in dataclasses.fields(Options)} == twins
    keywords = set(inspect.signature(sellerdx.analyze).parameters) - {"folder"}
    assert keywords - set(LIBRARY_ONLY) == twins


def test_folder_argument_is_the_first_positional() -> None:
    arguments = [p for p in cli.analyze.params if isinstance(p, click.Argument)]
    assert [a.name for a in arguments] == ["folder"]
    first = next(iter(inspect.signature(sellerdx.analyze).parameters.values()))
    assert first.name == "folder" and first.default is inspect.Parameter.empty


def test_cli_forwards_every_option_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real command with a non-default value for every twin option and see what the library gets."""
    seen: dict[str, Any] = {}

    class Stop(sellerdx.errors.SellerdxError):
        pass

    def fake_analyze(folder: str, **kwargs: Any) -> Analysis:
        seen["folder"] = folder
        seen.update(kwargs)
        raise Stop("captured")

    monkeypatch.setattr("sellerdx.analysis.analyze", fake_analyze)
    result = CliRunner().invoke(cli.main, [
        "analyze", "some/folder", "--out", "elsewhere", "--as-of", "2026-10-01", "--odr-lag-days", "7",
        "--marketplace", "DE", "--cache", "cache-dir", "--notice", "odr,lsr", "--timezone", "Asia/Tokyo",
        "--sales-channel", "Amazon.de", "--lang", "de", "--poa-lang", "fr"])
    assert "captured" in result.output, result.output
    assert result.exit_code == cli.EXIT_USAGE
    assert seen["folder"] == "some/folder"
    assert {k: seen[k] for k in _twin_options()} == {
        "out": "elsewhere", "as_of": "2026-10-01", "odr_lag_days": 7, "marketplace": "DE", "cache": "cache-dir",
        "notice": "odr,lsr", "timezone": "Asia/Tokyo", "sales_channel": "Amazon.de", "lang": "de", "poa_lang": "fr"}
    # The same values are accepted by the library and land in Options under the same names.
    analysis = sellerdx.analyze("some/folder", **{k: seen[k] for k in _twin_options()})
    import datetime as dt
    assert analysis.options == Options(out="elsewhere", as_of=dt.date(2026, 10, 1), odr_lag_days=7,
                                       marketplace="DE", cache="cache-dir", notice=("odr", "lsr"),
                                       timezone="Asia/Tokyo", sales_channel="Amazon.de", lang="de", poa_lang="fr")


def test_analyze_defaults_equal_options_defaults() -> None:
    assert sellerdx.analyze("anywhere").options == Options()


# ------------------------------------------------------------------------------------- the issue's API
ISSUE_API = {
    # name: kind the issue describes
    "inputs": "property", "metrics": "property", "findings": "property",
    "metric": "method", "breakdown": "method", "daily": "method", "sql": "method", "poa": "method",
    "to_html": "method", "to_json": "method", "_repr_html_": "method",
}


@pytest.mark.parametrize("name", sorted(ISSUE_API))
def test_issue_api_exists_typed_and_documented(name: str) -> None:
    attr = inspect.getattr_static(Analysis, name, None)
    assert attr is not None, f"Analysis.{name} is missing"
    if ISSUE_API[name] == "property":
        import functools
        assert isinstance(attr, (property, functools.cached_property)), f"Analysis.{name} is not a property"
        func = attr.fget if isinstance(attr, property) else attr.func
    else:
        assert inspect.isfunction(attr), f"Analysis.{name} is not a method"
        func = attr
    assert "return" in func.__annotations__, f"Analysis.{name} has no return annotation"
    assert (func.__doc__ or "").strip(), f"Analysis.{name} has no docstring"


def test_every_public_member_is_documented() -> None:
    """'Typed, documented, stable': every public member of the facade classes has a docstring."""
    missing = []
    for cls in (Analysis, Inputs):
        for name, attr in vars(cls).items():
            if name.startswith("_"):
                continue
            func = getattr(attr, "fget", None) or getattr(attr, "func", None) or attr
            if callable(func) and not (getattr(func, "__doc__", None) or "").strip():
                missing.append(f"{cls.__name__}.{name}")
    assert not missing, f"public members without a docstring: {', '.join(missing)}"


def test_package_exports() -> None:
    assert {"Analysis", "Inputs", "Options", "analyze"} <= set(sellerdx.__all__)
    assert sellerdx.analyze is sellerdx.analysis.analyze


def test_cache_is_on_by_default_in_both_and_no_cache_means_false(monkeypatch: pytest.MonkeyPatch) -> None:
    """Caching is the default of the CLI and of the library alike; --no-cache reaches the library as False."""
    assert inspect.signature(sellerdx.analyze).parameters["cache"].default is True
    assert _cli_options()["cache"].get_default(CTX) is True
    seen: dict[str, Any] = {}

    class Stop(sellerdx.errors.SellerdxError):
        pass

    def fake_analyze(folder: str, **kwargs: Any) -> Analysis:
        seen.update(kwargs)
        raise Stop("captured")

    monkeypatch.setattr("sellerdx.analysis.analyze", fake_analyze)
    CliRunner().invoke(cli.main, ["analyze", "some/folder", "--no-cache"])
    assert seen["cache"] is False
    CliRunner().invoke(cli.main, ["analyze", "some/folder"])
    assert seen["cache"] is True
