"""Acceptance: ``sellerdx portfolio`` on a root of generated accounts, locally and on a Dask cluster.

The root holds five small sample folders made by ``sellerdx.samplegen`` (three at risk, two healthy on an
earlier as-of day given in portfolio.toml), one with a hostile name, and one folder that holds no report.
The same root is run by the installed command with a local pool of 2 processes and with ``--scheduler``
on a real ``distributed.LocalCluster`` this module starts on 127.0.0.1; both must give the same
portfolio.csv, and each account's summary.json must equal what a single ``sellerdx analyze`` of its folder
writes. A second portfolio run after one new export in one account analyses only that account.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from sellerdx.samplegen import SampleSpec, generate

_HERE = Path(sys.executable).parent / "sellerdx"
SELLERDX = str(_HERE) if _HERE.exists() else (shutil.which("sellerdx") or "sellerdx")

HOSTILE = "<img src=x onerror=alert(1)>"
HEALTHY_AS_OF = "2026-08-15"
# account -> (seed, orders, write Amazon's performance JSON, as_of in portfolio.toml). Seeds chosen so that
# the two "calm" accounts have every metric within target on HEALTHY_AS_OF and the others do not.
ACCOUNTS = {
    "acme": (61, 800, True, None),               # Amazon's own status: AT_RISK
    "beta": (44, 300, False, None),
    HOSTILE: (45, 300, False, None),
    "calm-one": (47, 250, False, HEALTHY_AS_OF),
    "calm-two": (48, 250, False, HEALTHY_AS_OF),
}
AT_RISK = {"acme", "beta", HOSTILE}
HEALTHY = {"calm-one", "calm-two"}
UNUSABLE = "unusable"
NO_ORDERS_ERROR = "no All Orders report in the folder"


def _make_account(folder: Path, seed: int, orders: int, performance: bool) -> None:
    generate(folder, SampleSpec(seed=seed, n_orders=orders, days=120, damaged_rows=1, performance_json=performance))


def _toml_key(name: str) -> str:
    return json.dumps(name)      # a TOML basic string is a JSON string for these names


def build_root(root: Path) -> Path:
    for name, (seed, orders, performance, _) in ACCOUNTS.items():
        _make_account(root / name, seed, orders, performance)
    (root / UNUSABLE).mkdir(parents=True)
    (root / UNUSABLE / "notes.txt").write_text("call the supplier on Monday\n", encoding="utf-8")
    lines = ["[defaults]", "odr_lag_days = 14", ""]
    for name, (_, _, _, as_of) in ACCOUNTS.items():
        lines.append(f"[accounts.{_toml_key(name)}]")
        lines.append(f"path = {_toml_key(name)}")
        if as_of:
            lines.append(f"as_of = {as_of}")
        if name == "calm-two":
            lines.append('language = "de"')           # sellerdx analyze(lang="de")
            lines.append('sales_channel = "MFN"')     # accepted; ignored until sellerdx analyze has it
        lines.append("")
    lines += [f"[accounts.{UNUSABLE}]", ""]
    (root / "portfolio.toml").write_text("\n".join(lines), encoding="utf-8")
    return root


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([SELLERDX, *args], capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=600)


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def portfolio_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The root, run locally (2 processes) and on a LocalCluster, both through the installed command."""
    distributed = pytest.importorskip("distributed")
    base = tmp_path_factory.mktemp("portfolio").resolve()
    root = build_root(base / "root")
    local = run_cli("portfolio", str(root), "--out", str(base / "local"), "--workers", "2")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, host="127.0.0.1",
                                  protocol="tcp://", dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        dask = run_cli("portfolio", str(root), "--out", str(base / "dask"), "--scheduler",
                       cluster.scheduler_address)
    return {"base": base, "root": root, "local": local, "dask": dask}


def test_local_and_cluster_runs_succeed_with_exit_1(portfolio_runs: dict) -> None:
    for key in ("local", "dask"):
        proc = portfolio_runs[key]
        assert proc.returncode == 1, (key, proc.stdout, proc.stderr)   # accounts at risk, one unusable
        assert "Traceback" not in proc.stderr
        assert f"not analysed: {UNUSABLE}: " in proc.stdout
        assert NO_ORDERS_ERROR in proc.stdout
    assert "local: 2 worker processes" in portfolio_runs["local"].stdout
    assert "tcp://127.0.0.1:" in portfolio_runs["dask"].stdout


def test_local_and_cluster_give_identical_portfolio_csv(portfolio_runs: dict) -> None:
    base = portfolio_runs["base"]
    local, dask = read_csv(base / "local" / "portfolio.csv"), read_csv(base / "dask" / "portfolio.csv")
    assert local == dask
    header, rows = local[0], local[1:]
    col = {name: i for i, name in enumerate(header)}
    # eight metrics per analysed account, one row for the unusable one
    assert len(rows) == 9 * len(ACCOUNTS) + 1     # 9 metrics per account (metrics.toml), 1 row for the failure
    by_account: dict[str, list[list[str]]] = {}
    for row in rows:
        by_account.setdefault(row[col["account"]], []).append(row)
    assert set(by_account) == set(ACCOUNTS) | {UNUSABLE}
    for name in AT_RISK:
        assert {r[col["account_status"]] for r in by_account[name]} == {"at_risk"}
    for name in HEALTHY:
        assert {r[col["status"]] for r in by_account[name]} <= {"ok", "no_orders", "not_computed"}
        assert {r[col["account_status"]] for r in by_account[name]} == {"ok"}
        assert {r[col["as_of"]] for r in by_account[name]} == {HEALTHY_AS_OF}
    assert {r[col["amazon_status"]] for r in by_account["acme"]} == {"AT_RISK"}
    (unusable,) = by_account[UNUSABLE]
    assert unusable[col["account_status"]] == "failed"
    assert NO_ORDERS_ERROR in unusable[col["error"]] and unusable[col["metric"]] == ""
    # the parquet twin holds the same rows
    import pyarrow.parquet as pq
    table = pq.read_table(base / "local" / "portfolio.parquet")
    assert table.num_rows == len(rows) and table.column_names == header


def _strip(summary: dict) -> dict:
    """summary.json without what legitimately differs between two runs: the output and cache folders."""
    doc = json.loads(json.dumps(summary))
    doc["options"].pop("out", None)
    if doc.get("amazon"):   # the snapshot history: the second reader of the same report stores nothing new
        doc["amazon"].pop("history", None)
    doc["options"].pop("cache", None)
    return doc


def test_each_account_summary_equals_a_single_sellerdx_analyze(portfolio_runs: dict) -> None:
    import sellerdx
    base, root = portfolio_runs["base"], portfolio_runs["root"]
    for i, (name, (_, _, _, as_of)) in enumerate(ACCOUNTS.items()):
        single = base / f"single-{i}"
        # what `sellerdx analyze FOLDER --out DIR [--as-of D]` calls (cli.analyze), in this process
        analysis = sellerdx.analyze(str(root / name), out=str(single), as_of=as_of,
                                    lang="de" if name == "calm-two" else None)
        analysis.write(single)
        expected = _strip(json.loads((single / "summary.json").read_text(encoding="utf-8")))
        assert expected["folder"] == str(root / name)
        for run in ("local", "dask"):
            got = json.loads((base / run / name / "summary.json").read_text(encoding="utf-8"))
            assert _strip(got) == expected, (run, name)
            assert (base / run / name / "report.html").is_file()
            assert (base / run / name / "poa.md").is_file()
        at_risk = any(m.status == "at_risk" for m in analysis.metric_results.values())
        assert at_risk == (name in AT_RISK)


def test_portfolio_json_lists_the_unusable_account_and_unsupported_options(portfolio_runs: dict) -> None:
    doc = json.loads((portfolio_runs["base"] / "local" / "portfolio.json").read_text(encoding="utf-8"))
    accounts = {a["name"]: a for a in doc["accounts"]}
    assert accounts[UNUSABLE]["status"] == "failed"
    assert NO_ORDERS_ERROR in accounts[UNUSABLE]["error"] and "\n" not in accounts[UNUSABLE]["error"]
    assert any("'sales_channel'" in w for w in accounts["calm-two"]["warnings"])
    assert not any("'language'" in w for w in accounts["calm-two"]["warnings"])
    assert doc["totals"] == {"accounts": 6, "at_risk": 3, "failed": 1, "analysed": 6, "reused": 0,
                             "became_at_risk": 0}
    assert doc["exit_status"] == 1


def test_index_html_ranks_links_and_escapes(portfolio_runs: dict) -> None:
    out = portfolio_runs["base"] / "local"
    html = (out / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    ranked = [tr["data-account"] for tr in soup.select("#ranking tr.account")]
    assert len(ranked) == len(ACCOUNTS)
    assert ranked[0] == "acme"                        # the only account Amazon itself says is at risk
    assert set(ranked[-2:]) == HEALTHY                # healthy accounts come last
    assert set(ranked[1:3]) == {"beta", HOSTILE}
    links = {tr["data-account"]: tr.select_one("a.report")["href"] for tr in soup.select("#ranking tr.account")}
    assert links[HOSTILE] == "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/report.html"
    for name, href in links.items():
        assert (out / unquote(href)).is_file() and unquote(href) == f"{name}/report.html"
    # hostile text stays text: no element was injected, the name is shown literally
    assert soup.find("img") is None and soup.find("script") is None
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HOSTILE in soup.select_one(f'#ranking tr[data-account="{HOSTILE}"] a.report').get_text()
    failed = soup.select("#failed tr.account-failed")
    assert [tr["data-account"] for tr in failed] == [UNUSABLE] and NO_ORDERS_ERROR in failed[0].get_text()
    # self-contained: nothing outside the output folder is referenced
    for tag in soup.find_all(["a", "link", "img", "script", "iframe"]):
        ref = tag.get("href") or tag.get("src") or ""
        assert "://" not in ref and not ref.startswith("//"), ref


# ------------------------------------------------------------------------------------------ incremental
def _claimable_order(folder: Path, first: str, last: str) -> str:
    """A seller-fulfilled, shipped order purchased between first and last (ISO dates) with no feedback,
    claim or chargeback in the folder's exports."""
    defects = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir()
                      if p.name.startswith(("FeedbackManager", "AtoZ_Claims", "Chargebacks")))
    for path in sorted(folder.glob("All_Orders_*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        head = lines[0].split("\t")
        idx = {h: i for i, h in enumerate(head)}
        for line in lines[1:]:
            f = line.split("\t")
            if (f[idx["fulfillment-channel"]] == "Merchant" and f[idx["order-status"]].startswith("Shipped")
                    and first <= f[idx["purchase-date"]][:10] <= last and f[0] not in defects):
                return f[0]
    raise AssertionError("no order to claim")


def test_second_run_reanalyses_only_the_account_with_a_new_export(tmp_path: Path) -> None:
    from sellerdx.portfolio import run_portfolio

    root = tmp_path / "root"
    for name, seed in (("calm", 47), ("beta", 44)):
        _make_account(root / name, seed, 250 if name == "calm" else 300, False)
    (root / "portfolio.toml").write_text(f'[accounts.calm]\nas_of = {HEALTHY_AS_OF}\n\n[accounts.beta]\n',
                                         encoding="utf-8")
    out = tmp_path / "out"
    first = run_portfolio(root, out, workers=1)
    assert first.analysed == 2 and first.reused == 0 and first.exit_status == 1
    before = {name: (out / name / "report.html").stat().st_mtime_ns for name in ("calm", "beta")}
    summary = json.loads((out / "calm" / "summary.json").read_text(encoding="utf-8"))
    odr = summary["metrics"]["odr"]["mfn"]
    assert odr["status"] == "ok" and odr["numerator"] == 0
    # One A-to-z claim on an order of calm's ODR window (as_of - 14 days - 59 .. as_of - 14 days) makes its
    # ODR (MFN) 1 / denominator, not below the 1% target with fewer than 100 orders.
    order = _claimable_order(root / "calm", "2026-07-05", "2026-07-31")
    (root / "calm" / "AtoZ_Claims_new.txt").write_text(
        "Order ID\tClaim Date\tClaim Reason\tClaim Status\tClaim Amount\tFunded By\n"
        f"{order}\t08/10/2026\tItem not received\tGranted\t19.99\t\n", encoding="utf-8")
    assert odr["denominator"] < 100

    second = run_portfolio(root, out, workers=1)
    assert (second.analysed, second.reused) == (1, 1)
    views = {v.name: v for v in second.accounts}
    assert {n for n, v in views.items() if v.reanalysed} == {"calm"}
    after = {name: (out / name / "report.html").stat().st_mtime_ns for name in ("calm", "beta")}
    assert after["beta"] == before["beta"]
    assert after["calm"] != before["calm"]
    odr_view = next(m for m in views["calm"].metrics if m.key == "odr_mfn")
    assert (odr_view.numerator, odr_view.denominator) == (1, odr["denominator"])
    assert odr_view.status == "at_risk" and odr_view.previous_rate == 0.0
    assert odr_view.change == pytest.approx(1 / odr["denominator"])
    assert views["calm"].became_at_risk and not views["beta"].became_at_risk
    assert all(m.change in (0.0, None) for m in views["beta"].metrics)

    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    calm_row = soup.select_one('#ranking tr.account[data-account="calm"]')
    assert calm_row.select_one(".became-at-risk") is not None
    expected = f"+{100 / odr['denominator']:.2f}".rstrip("0").rstrip(".") + " pts"
    assert expected in calm_row.select_one("td.changes").get_text()
    assert soup.select_one('#metrics tr[data-account="calm"][data-metric="odr_mfn"] td.change').get_text() == expected
    beta_row = soup.select_one('#ranking tr.account[data-account="beta"]')
    assert beta_row.select_one(".became-at-risk") is None
    assert "no change" in beta_row.get_text() and "inputs unchanged" in beta_row.get_text()
    assert soup.select_one("#total-became strong").get_text() == "1"

    import pyarrow.parquet as pq
    runs = sorted((out / "history").glob("run-*.parquet"))
    assert len(runs) == 2
    assert [pq.read_table(p).num_rows for p in runs] == [18, 18]      # 2 accounts x 9 metrics per run
