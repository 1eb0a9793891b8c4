"""Several marketplaces in one folder (issue 12, point 2): every metric, finding and plan per marketplace.

A small folder whose numbers are computed by hand below, and the US and DE samples put in one folder, whose
marketplaces must each equal its own folder analysed alone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import sellerdx
from sellerdx import assets, marketplaces, metrics
from sellerdx.render.report import report_context
from support.acceptance import acceptance_run
from support.exports import FEEDBACK_HEADER, oid, order_row, run_cli, table, write_orders, write_text

SAMPLES = Path(__file__).resolve().parents[1] / "sample_reports"
CLAIMS_HEADER = ("Order ID", "Claim Date", "Claim Reason", "Claim Status", "Claim Amount", "Funded By")

# 8 Amazon.com orders (1-8) and 4 Amazon.de orders (101-104), all MFN, bought 2026-10-01: inside the ODR
# window of --as-of 2026-10-31 (2026-08-19 to 2026-10-17).
US_ORDERS = [order_row(n, "2026-10-01T10:00:00+00:00") for n in range(1, 9)]
DE_ORDERS = [order_row(n, "2026-10-01T10:00:00+00:00", sales_channel="Amazon.de", currency="EUR",
                       ship_country="DE", ship_city="Berlin", ship_state="Berlin", ship_postal_code="10115")
             for n in range(101, 105)]
# Negative feedback on US order 1, on DE order 101, and on order 999 that is in no orders export.
US_FEEDBACK = [["10/05/26", "1", "Broken", "", oid(1), "a@b.c"],
               ["10/10/26", "1", "Never came", "", oid(999), "g@h.i"]]
DE_FEEDBACK = [["10/06/26", "2", "Kaputt", "", oid(101), "d@e.f"]]
# An A-to-z claim (granted, seller funded: it counts) on DE order 103.
DE_CLAIMS = [[oid(103), "10/07/2026", "Item not received", "Granted", "12.99", "Seller"]]


def _folder(folder: Path, orders: list, feedback: list, claims: list) -> Path:
    write_orders(folder, orders)
    write_text(folder / "feedback.txt", table(FEEDBACK_HEADER, feedback))
    write_text(folder / "claims.txt", table(CLAIMS_HEADER, claims))
    return folder


@pytest.fixture
def two(tmp_path: Path) -> Path:
    return _folder(tmp_path / "two", US_ORDERS + DE_ORDERS, US_FEEDBACK + DE_FEEDBACK, DE_CLAIMS)


def _summary(folder: Path, out: Path, *options: str) -> tuple[int, dict, str]:
    result = run_cli("analyze", str(folder), "--out", str(out), "--as-of", "2026-10-31", "--marketplace", "US",
                     "--no-cache", *options)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads((out / "summary.json").read_text(encoding="utf-8")), result.output


def _counts(metric: dict) -> tuple:
    return metric["numerator"], metric["denominator"], metric["rate"]


def test_each_marketplace_has_its_own_metrics_and_the_one_with_most_orders_is_top_level(two, tmp_path):
    code, summary, output = _summary(two, tmp_path / "out")
    assert code == 1                                   # ODR at risk in both
    # top level: Amazon.com, 1 defect (order 1's feedback) of 8 orders; pooled it would be 3 of 12
    assert summary["sales_channel"] == "Amazon.com"
    assert _counts(summary["metrics"]["odr"]["mfn"]) == (1, 8, 0.125)
    # a defect whose order is in no orders export stays with the top-level marketplace, as unmatched
    assert summary["unmatched_defects"] == 1
    assert [(m["sales_channel"], m["orders"], m["top_level"]) for m in summary["marketplaces"]] == [
        ("Amazon.com", 8, True), ("Amazon.de", 4, False)]
    us, de = summary["marketplaces"]
    assert us["metrics"] == summary["metrics"] and us["findings"] == summary["findings"]
    # Amazon.de: the feedback of order 101 and the claim of order 103 follow their orders: 2 of 4
    odr_de = de["metrics"]["odr"]["mfn"]
    assert _counts(odr_de) == (2, 4, 0.5)
    assert (odr_de["extras"]["negative_feedback"], odr_de["extras"]["claims"]) == (1, 1)
    assert summary["metrics"]["odr"]["mfn"]["extras"]["claims"] == 0
    # the warning names the other marketplace, in summary.json and in the terminal
    warning = next(w for w in summary["warnings"] if "marketplaces" in w)
    assert "these figures are Amazon.com's (8 orders)" in warning and "Amazon.de (4 orders, 2 metrics at risk)" in warning
    flat = " ".join(output.split())
    assert "Amazon.de (4 orders" in flat
    assert ("Amazon.de: 4 orders, at risk (2 metrics); worst: Order Defect Rate (MFN) 50.00% (target < 1.00%); "
            "poa-amazon-de.md") in flat
    assert "options" in summary and "sales_channel" not in summary["options"]


def test_sales_channel_chooses_the_top_level_marketplace_in_any_case(two, tmp_path):
    out = tmp_path / "out"
    _, summary, _ = _summary(two, out, "--sales-channel", "amazon.de")
    assert summary["sales_channel"] == "Amazon.de" and summary["options"]["sales_channel"] == "amazon.de"
    assert _counts(summary["metrics"]["odr"]["mfn"]) == (2, 4, 0.5)
    assert summary["unmatched_defects"] == 1           # the unmatched defect moves with the top level
    # still most orders first; the chosen one is marked
    assert [(m["sales_channel"], m["top_level"]) for m in summary["marketplaces"]] == [
        ("Amazon.com", False), ("Amazon.de", True)]
    assert _counts(summary["marketplaces"][0]["metrics"]["odr"]["mfn"]) == (1, 8, 0.125)
    # one Plan of Action per marketplace: poa.md for the top level, poa-<channel> for the other
    assert sorted(p.name for p in out.glob("poa*")) == ["poa-amazon-com.md", "poa-amazon-com.txt", "poa.md",
                                                       "poa.txt"]
    assert oid(101) in (out / "poa.md").read_text() and oid(101) not in (out / "poa-amazon-com.md").read_text()
    assert oid(1) in (out / "poa-amazon-com.md").read_text() and oid(1) not in (out / "poa.md").read_text()


def test_each_marketplace_equals_its_own_folder_analysed_alone(two, tmp_path):
    _, summary, _ = _summary(two, tmp_path / "out")
    _, us_alone, _ = _summary(_folder(tmp_path / "us", US_ORDERS, US_FEEDBACK, []), tmp_path / "out-us")
    _, de_alone, _ = _summary(_folder(tmp_path / "de", DE_ORDERS, DE_FEEDBACK, DE_CLAIMS), tmp_path / "out-de")
    us, de = summary["marketplaces"]
    assert us["metrics"] == us_alone["metrics"] and us["findings"] == us_alone["findings"]
    assert de["metrics"] == de_alone["metrics"] and de["findings"] == de_alone["findings"]
    assert "marketplaces" not in us_alone and "sales_channel" not in us_alone   # one marketplace: as before


def test_an_unknown_sales_channel_is_exit_2_listing_the_marketplaces(two, tmp_path):
    result = run_cli("analyze", str(two), "--out", str(tmp_path / "out"), "--no-cache",
                     "--sales-channel", "Amazon.fr")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "--sales-channel 'Amazon.fr' is not a marketplace of these orders" in text
    assert "the orders hold Amazon.com (8 orders), Amazon.de (4 orders)" in text
    assert "Traceback" not in result.output


def test_one_marketplace_is_unchanged_and_accepts_its_own_channel(tmp_path):
    folder = _folder(tmp_path / "us", US_ORDERS, US_FEEDBACK, [])
    _, plain, _ = _summary(folder, tmp_path / "plain")
    _, chosen, _ = _summary(folder, tmp_path / "chosen", "--sales-channel", "AMAZON.COM")
    assert "marketplaces" not in plain and "sales_channel" not in plain and "sales_channel" not in plain["options"]
    assert chosen["metrics"] == plain["metrics"] and "marketplaces" not in chosen
    assert sorted(p.name for p in (tmp_path / "plain").glob("poa*")) == ["poa.md", "poa.txt"]
    result = run_cli("analyze", str(folder), "--out", str(tmp_path / "x"), "--no-cache", "--sales-channel", "Amazon.de")
    assert result.exit_code == 2 and "the orders hold Amazon.com (8 orders)" in " ".join(result.output.split())


def test_orders_of_no_marketplace_stay_with_the_top_level_one(tmp_path):
    # 2 Non-Amazon (Multi-Channel Fulfillment) orders and 1 without a channel join Amazon.com's 8
    extra = [order_row(201, "2026-10-01T10:00:00+00:00", sales_channel="Non-Amazon"),
             order_row(202, "2026-10-01T10:00:00+00:00", sales_channel="Non-Amazon"),
             order_row(203, "2026-10-01T10:00:00+00:00", sales_channel="")]
    folder = _folder(tmp_path / "mixed", US_ORDERS + DE_ORDERS + extra, US_FEEDBACK + DE_FEEDBACK, DE_CLAIMS)
    _, summary, _ = _summary(folder, tmp_path / "out")
    assert [(m["sales_channel"], m["orders"]) for m in summary["marketplaces"]] == [("Amazon.com", 8), ("Amazon.de", 4)]
    assert _counts(summary["metrics"]["odr"]["mfn"]) == (1, 11, 1 / 11)
    assert _counts(summary["marketplaces"][1]["metrics"]["odr"]["mfn"]) == (2, 4, 0.5)


def test_report_shows_every_other_marketplace_and_the_definition(two, tmp_path):
    analysis = sellerdx.analyze(two, out=str(tmp_path / "out"), as_of="2026-10-31", marketplace="US", cache=False,
                                sales_channel="Amazon.com")
    paths = analysis.write()
    html = paths["report"].read_text(encoding="utf-8")
    assert 'id="marketplaces"' in html and 'id="marketplace-amazon-de"' in html
    assert 'id="marketplace-amazon-com"' not in html          # the top level is the rest of the report
    assert "Every other section of this report shows <strong>Amazon.com</strong> (8 orders)" in html
    assert "2 of 4" in html and "poa-amazon-de.md" in html
    assert "Several marketplaces" in html                     # the Definitions entry
    ctx = report_context(analysis.result)
    assert [(m.sales_channel, m.top_level, m.worst.key if m.worst else None) for m in ctx.marketplaces] == [
        ("Amazon.com", True, "odr_mfn"), ("Amazon.de", False, "odr_mfn")]
    assert [m.sales_channel for m in analysis.marketplaces] == ["Amazon.com", "Amazon.de"]


def test_a_single_marketplace_report_has_no_marketplace_section(tmp_path):
    folder = _folder(tmp_path / "us", US_ORDERS, US_FEEDBACK, [])
    analysis = sellerdx.analyze(folder, out=str(tmp_path / "out"), as_of="2026-10-31", marketplace="US", cache=False)
    html = analysis.write()["report"].read_text(encoding="utf-8")
    assert 'id="marketplaces"' not in html and "Several marketplaces" not in html
    assert analysis.marketplaces == ()


def test_the_queries_declare_the_parameters_they_are_bound_with():
    for name, params in marketplaces.BINDINGS.items():
        sql = assets.load_query(name)
        assert metrics.query_parameters(sql) == params, name
        header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
        assert header.startswith(f"-- {name}:") and "Inputs:" in header and "Output" in header
        assert all(f"${p}" in header for p in params), name


# ------------------------------------------------------------------------ the US and DE samples in one folder
@pytest.fixture(scope="module")
def samples_together(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("us-and-de")
    folder = root / "exports"
    shutil.copytree(SAMPLES / "us-seller", folder / "us")
    shutil.copytree(SAMPLES / "de-seller", folder / "de")
    out = root / "out"
    sellerdx.analyze(folder, out=str(out), cache=False).write()
    return json.loads((out / "summary.json").read_text(encoding="utf-8")), out


def test_samples_together_each_marketplace_equals_its_sample_alone(samples_together):
    summary, out = samples_together
    us_alone = acceptance_run("us-seller")
    de_alone = acceptance_run("de-seller")
    us_summary = json.loads(us_alone.paths["summary"].read_text(encoding="utf-8"))
    de_summary = json.loads(de_alone.paths["summary"].read_text(encoding="utf-8"))
    assert summary["sales_channel"] == "Amazon.com"       # 4,000 orders against 2,000
    us, de = summary["marketplaces"]
    assert (us["sales_channel"], us["orders"], de["sales_channel"], de["orders"]) == (
        "Amazon.com", 4000, "Amazon.de", 2000)
    for mine, alone in ((us, us_summary), (de, de_summary)):
        assert mine["metrics"] == alone["metrics"]        # numerators, denominators, rates, notes, coverage
        assert mine["findings"] == alone["findings"]      # codes, statements, orders
        assert mine["reconciliation"] == alone["reconciliation"]   # Amazon's figures of that marketplace
    assert summary["metrics"] == us_summary["metrics"] and summary["reconciliation"] == us_summary["reconciliation"]
    # Amazon's report of each marketplace is paired with that marketplace only
    assert {r["marketplace_id"] for r in us["reconciliation"]} == {"ATVPDKIKX0DER"}
    assert {r["marketplace_id"] for r in de["reconciliation"]} == {"A1PA6795UKMFR9"}
    # each marketplace's weekday statements use its own local time
    weekend = {m["sales_channel"]: next(f["statement"] for f in m["findings"] if "purchased on" in f["statement"])
               for m in (us, de)}
    assert "America/Los_Angeles" in weekend["Amazon.com"] and "Europe/Berlin" in weekend["Amazon.de"]
    # the plans: poa.md is the US sample's, poa-amazon-de.md the DE sample's
    assert (out / "poa.md").read_text(encoding="utf-8") == us_alone.paths["poa"].read_text(encoding="utf-8")
    assert (out / "poa-amazon-de.md").read_text(encoding="utf-8") == de_alone.paths["poa"].read_text(encoding="utf-8")
    assert (out / "poa-amazon-de.txt").read_text(encoding="utf-8") == \
        de_alone.paths["poa_text"].read_text(encoding="utf-8")


def test_a_portfolio_account_passes_its_sales_channel_to_analyze():
    from sellerdx.portfolio.accounts import resolve_options
    kwargs, warnings = resolve_options({"sales_channel": "Amazon.de", "marketplace": "DE"})
    assert kwargs == {"sales_channel": "Amazon.de", "marketplace": "DE"} and warnings == ()
