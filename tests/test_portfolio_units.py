"""The portfolio's parts on hand-written inputs: accounts and portfolio.toml, Amazon's status, the account
view (gaps, days until back under target, root cause), the ranking, the rows and CSV, the history."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import pytest

from sellerdx.errors import BadOptionError, NoInputError
from sellerdx.portfolio import history
from sellerdx.portfolio.accounts import discover_accounts, resolve_options
from sellerdx.portfolio.outputs import (
    account_view,
    amazon_status,
    portfolio_rows,
    rank_accounts,
    write_csv_rows,
)


def metric(key: str, label: str, rate: float | None, num: int, den: int, target: float, status: str,
           direction: str = "below", recovery: str | None = None) -> dict:
    return {"key": key, "label": label, "rate": rate, "numerator": num, "denominator": den,
            "window_start": "2026-10-25", "window_end": "2026-10-31", "target": target, "direction": direction,
            "status": status, "recovery_date": recovery}


def summary(*, pfcr: dict | None = None, vtr: dict | None = None, findings: list | None = None,
            **extra: object) -> dict:
    ok_odr = {k: metric(f"odr_{k}", f"ODR {k}", 0.0, 0, 100, 0.01, "ok") for k in ("mfn", "afn", "all")}
    return {"as_of": "2026-10-31", "metrics": {
        "odr": ok_odr, "pfcr": pfcr or metric("pfcr", "Pre-fulfilment Cancel Rate", 0.0, 0, 40, 0.025, "ok"),
        "lsr_10d": None, "lsr_30d": None, "vtr": vtr, "otdr": None}, "findings": findings or [], **extra}


# ------------------------------------------------------------------------------------------ Amazon's status
@pytest.mark.parametrize(("doc", "fallback", "expected"), [
    ({"amazon": {"account_status": "AT_RISK"}}, (), "AT_RISK"),
    ({"amazon": {"account_status": [{"status": "NORMAL"}, {"status": "suspended"}]}}, (), "SUSPENDED"),
    ({"account_status": {"status": "NORMAL"}}, ("AT_RISK",), "NORMAL"),     # the summary wins
    ({}, ("NORMAL", "AT_RISK"), "AT_RISK"),                                  # the most urgent
    ({}, (), None),
])
def test_amazon_status_is_read_defensively(doc: dict, fallback: tuple, expected: str | None) -> None:
    assert amazon_status(doc, fallback) == expected


def test_amazon_status_at_risk_makes_a_healthy_account_at_risk() -> None:
    view = account_view("a", "/x", summary(amazon={"account_status": "DEACTIVATED"}))
    assert view.status == "at_risk" and view.amazon_rank == 6 and not view.at_risk_metrics
    normal = account_view("b", "/x", summary(amazon={"account_status": "NORMAL"}))
    assert normal.status == "ok"
    unknown = account_view("c", "/x", summary(amazon={"account_status": "UNDER_REVIEW"}))
    assert unknown.status == "at_risk"          # a word we do not know is not taken for good news


# ------------------------------------------------------------------------------------------ account view
def test_account_view_gaps_recovery_and_root_cause() -> None:
    doc = summary(
        pfcr=metric("pfcr", "Pre-fulfilment Cancel Rate", 0.05, 2, 40, 0.025, "at_risk", recovery="2026-11-10"),
        vtr=metric("vtr", "Valid Tracking Rate", 0.90, 90, 100, 0.95, "at_risk", direction="above",
                   recovery="2026-11-20"),
        findings=[{"metric": "odr_afn", "title": "Not this one", "share": 1.0},
                  {"metric": "pfcr", "title": "Orders cancelled  for lack of stock", "share": 0.75}])
    view = account_view("acme", "/exports/acme", doc)
    assert view.status == "at_risk"
    assert [m.key for m in view.at_risk_metrics] == ["pfcr", "vtr"]
    by_key = {m.key: m for m in view.metrics}
    assert by_key["pfcr"].gap == pytest.approx(0.025)       # 5% against < 2.5%
    assert by_key["vtr"].gap == pytest.approx(0.05)         # 90% against > 95%
    assert by_key["lsr_10d"].status == "not_computed"       # null in summary.json, still a row
    assert len(view.metrics) == 9                           # every metric of metrics.toml, otdr_units too
    # back under target when the last at-risk metric is: 2026-11-20 is 20 days after as-of 2026-10-31
    assert (view.recovery_date, view.days_to_recovery) == ("2026-11-20", 20)
    assert view.root_cause == "Orders cancelled for lack of stock (75% of the Pre-fulfilment Cancel Rate defects)"
    assert by_key["pfcr"].top_finding == "Orders cancelled  for lack of stock"
    assert view.report == "acme/report.html"


def test_change_since_previous_run_and_became_at_risk() -> None:
    previous = {"run_id": "r1", "account_status": "ok",
                "metrics": {"pfcr": {"rate": 0.02, "status": "ok"}}}
    doc = summary(pfcr=metric("pfcr", "PFCR", 0.05, 2, 40, 0.025, "at_risk"))
    view = account_view("acme", "/x", doc, previous=previous)
    pfcr = next(m for m in view.metrics if m.key == "pfcr")
    assert pfcr.change == pytest.approx(0.03) and pfcr.previous_status == "ok"
    assert view.became_at_risk
    assert view.days_to_recovery is None                      # no recovery date: not without action
    again = account_view("acme", "/x", doc, previous={**previous, "account_status": "at_risk"})
    assert not again.became_at_risk
    assert not account_view("acme", "/x", doc).became_at_risk  # first time seen: nothing to compare


def test_ranking_amazon_first_then_metrics_at_risk_then_gap_failed_last() -> None:
    def risky(name: str, rate: float, *, vtr: bool = False) -> object:
        return account_view(name, "/x", summary(
            pfcr=metric("pfcr", "PFCR", rate, 1, 10, 0.025, "at_risk", recovery="2026-11-05"),
            vtr=metric("vtr", "VTR", 0.5, 5, 10, 0.95, "at_risk", direction="above", recovery="2026-11-05")
            if vtr else None))
    views = [
        account_view("healthy", "/x", summary()),
        risky("small-gap", 0.03),
        risky("two-metrics", 0.03, vtr=True),
        account_view("broken", "/x", None, error="no All Orders report"),
        account_view("amazon-says", "/x", summary(amazon={"account_status": "SUSPENDED"})),
        risky("big-gap", 0.30),
    ]
    assert [v.name for v in rank_accounts(views)] == ["amazon-says", "two-metrics", "big-gap", "small-gap",
                                                      "healthy", "broken"]


# ------------------------------------------------------------------------------------------ rows, CSV
def test_rows_and_csv_neutralise_formulas(tmp_path: Path) -> None:
    views = [account_view("=HYPERLINK(\"http://x\")", "/x", summary()),
             account_view("broken", "/y", None, error="-bad: no orders")]
    rows = portfolio_rows(views)
    assert len(rows) == 10 and rows[-1]["metric"] is None and rows[-1]["account_status"] == "failed"
    path = write_csv_rows(tmp_path / "p.csv", rows)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        data = list(csv.DictReader(fh))
    assert data[0]["account"] == "'=HYPERLINK(\"http://x\")"
    assert data[-1]["error"] == "'-bad: no orders"
    assert data[0]["report"] == "%3DHYPERLINK%28%22http%3A%2F%2Fx%22%29/report.html"


# ------------------------------------------------------------------------------------------ accounts
def test_subfolders_are_accounts(tmp_path: Path) -> None:
    for name in ("b-shop", "a-shop", ".hidden", "out"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "orders.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "loose-file.txt").write_text("x", encoding="utf-8")
    accounts, notes = discover_accounts(tmp_path, exclude=[tmp_path / "out"], defaults={"marketplace": "DE"})
    assert [a.name for a in accounts] == ["a-shop", "b-shop"]
    assert notes == ["empty: empty folder, not an account"]
    assert accounts[0].options == {"marketplace": "DE"} and accounts[0].folder == str((tmp_path / "a-shop").resolve())


def test_portfolio_toml_options_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "portfolio.toml").write_text(
        '[defaults]\nmarketplace = "UK"\nodr-lag-days = 10\n\n'
        '[accounts.acme]\npath = "exports/acme"\nas_of = 2026-10-31\nmarketplace = "DE"\n'
        'notice = ["odr", "lsr"]\nsales_channel = "Amazon.de"\n\n'
        '[accounts."../escape"]\n\n[accounts.history]\n', encoding="utf-8")
    accounts, _ = discover_accounts(tmp_path, defaults={"odr_lag_days": 7, "marketplace": "US"})
    acme, escape, reserved = accounts
    assert acme.folder == str(tmp_path.resolve() / "exports" / "acme")
    # the account's own table wins, then the command line, then [defaults]
    assert acme.declared == {"as_of": "2026-10-31", "marketplace": "DE", "notice": "odr,lsr",
                             "odr_lag_days": 7, "sales_channel": "Amazon.de"}
    assert acme.options["marketplace"] == "DE" and acme.options["as_of"] == "2026-10-31"
    assert "'../escape'" in escape.error and "history" in reserved.error and acme.error is None


def test_options_the_library_lacks_are_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    import sellerdx.portfolio.accounts as accounts

    monkeypatch.setattr(accounts, "_analyze_parameters", lambda: ["as_of", "marketplace", "lang"])
    kwargs, warnings = resolve_options({"marketplace": "JP", "language": "ja", "notice": "odr"})
    assert kwargs == {"marketplace": "JP", "lang": "ja"}              # language -> analyze(lang=...)
    assert warnings == ("option 'notice' is not supported by this version of sellerdx yet; ignored",)


@pytest.mark.parametrize(("text", "message"), [
    ('[accounts.acme]\nmarketplce = "DE"\n', "unknown option 'marketplce'"),
    ("[accounts.acme\n", "cannot read it"),
    ('[account.acme]\n', "unknown table(s) account"),
])
def test_bad_portfolio_toml_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "portfolio.toml").write_text(text, encoding="utf-8")
    with pytest.raises(BadOptionError) as err:
        discover_accounts(tmp_path)
    assert message in str(err.value) and err.value.path == str(tmp_path.resolve() / "portfolio.toml")


def test_no_account_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoInputError, match="no account found"):
        discover_accounts(tmp_path)
    with pytest.raises(NoInputError, match="folder not found"):
        discover_accounts(tmp_path / "missing")


def test_scheduler_without_distributed_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sellerdx.portfolio.run import run_dask

    monkeypatch.setitem(sys.modules, "distributed", None)      # import distributed -> ImportError
    with pytest.raises(BadOptionError) as err:
        run_dask([], "tcp://127.0.0.1:8786")
    assert 'pip install "sellerdx[cluster]"' in err.value.hint


def test_a_bad_option_of_the_whole_run_stops_it_at_once(tmp_path: Path) -> None:
    from sellerdx.portfolio import run_portfolio

    with pytest.raises(BadOptionError, match="--marketplace 'XX' is not known"):
        run_portfolio(tmp_path, tmp_path / "out", options={"marketplace": "XX"})
    with pytest.raises(BadOptionError, match="--workers and --scheduler cannot be combined"):
        run_portfolio(tmp_path, tmp_path / "out", workers=2, scheduler="tcp://127.0.0.1:8786")


def test_nothing_analysed_exits_2(tmp_path: Path) -> None:
    from sellerdx.portfolio import run_portfolio

    (tmp_path / "root" / "junk").mkdir(parents=True)
    (tmp_path / "root" / "junk" / "notes.txt").write_text("hello\n", encoding="utf-8")
    result = run_portfolio(tmp_path / "root", tmp_path / "out", workers=1)
    assert result.exit_status == 2 and [v.name for v in result.failed] == ["junk"]
    assert "no All Orders report" in result.failed[0].error


# ------------------------------------------------------------------------------------------ history
def test_history_previous_run_is_the_latest_earlier_one(tmp_path: Path) -> None:
    def row(account: str, rate: float, status: str = "ok") -> dict:
        return {"account": account, "account_status": status, "as_of": "2026-10-31", "metric": "pfcr",
                "rate": rate, "numerator": 1, "denominator": 10, "window_start": "2026-10-25",
                "window_end": "2026-10-31", "status": status}
    at = dt.datetime(2026, 11, 1, 6, 0, tzinfo=dt.UTC)
    ids = []
    for days, rows in ((0, [row("a", 0.1), row("b", 0.2)]), (1, [row("a", 0.3, "at_risk")]), (2, [row("a", 0.5)])):
        run_id, run_at = history.new_run_id(at + dt.timedelta(days=days))
        history.append_run(tmp_path, run_id, run_at, rows)
        ids.append(run_id)
    found = history.previous_metrics(tmp_path, ids[2], ["a", "b", "c"])
    assert found["a"]["run_id"] == ids[1] and found["a"]["metrics"]["pfcr"]["rate"] == 0.3
    assert found["a"]["account_status"] == "at_risk"
    assert found["b"]["run_id"] == ids[0] and found["b"]["metrics"]["pfcr"]["rate"] == 0.2
    assert "c" not in found
