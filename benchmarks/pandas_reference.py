"""What a seller's analyst writes today: pandas + pandera for ODR (MFN), PFCR and LSR (10 days).

Usage::

    python benchmarks/pandas_reference.py FOLDER [--as-of YYYY-MM-DD]

A straightforward implementation, written the way an analyst would (read each export with
``pandas.read_csv``, validate it with a pandera schema, filter, group, count), and not deliberately
slow: tab-separated with ``quoting=QUOTE_NONE``, text columns as strings, dates parsed with explicit
formats, pandera checks run lazily (every failure collected, as sellerdx does). It knows the file names
of the benchmark folder (the analyst knows what they downloaded) and handles only the US formats.
Prints one JSON line: the three metrics and the seconds spent reading, validating and computing.

Rules (metrics-spec): ODR (MFN) counts MFN orders purchased in the 60 days ending 14 days before as-of
that have negative feedback (rating 1-2, not removed / struck through), an A-to-z claim (not denied,
withdrawn or Amazon-funded) or a chargeback (not fraud). PFCR: MFN orders of the last 7 days cancelled
by the seller or Amazon. LSR 10d: MFN orders of the last 10 days, not cancelled, with a shipment
confirmed after its expected ship date. as-of defaults to the latest purchase date; dates are UTC.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

ORDER_ID = r"^\d{3}-\d{7}-\d{7}$"

orders_schema = pa.DataFrameSchema({
    "amazon-order-id": pa.Column(str, pa.Check.str_matches(ORDER_ID)),
    "purchase-date": pa.Column("datetime64[us, UTC]"),
    "order-status": pa.Column(str, pa.Check.isin(["Pending", "Shipped", "Shipped - Delivered to Buyer",
                                                  "Cancelled", "Unshipped", "Canceled"])),
    "fulfillment-channel": pa.Column(str, pa.Check.isin(["Merchant", "Amazon"])),
    "sku": pa.Column(str),
    "asin": pa.Column(str, pa.Check.str_length(10, 10)),
    "item-status": pa.Column(str, nullable=True),
    "quantity": pa.Column(int, pa.Check.ge(0)),
    "item-price": pa.Column(float, pa.Check.ge(0), nullable=True),
})
feedback_schema = pa.DataFrameSchema({
    "Date": pa.Column("datetime64[us]"),
    "Rating": pa.Column(int, pa.Check.in_range(1, 5)),
    "Order ID": pa.Column(str, pa.Check.str_matches(ORDER_ID)),
    "Status": pa.Column(str, nullable=True),
})
claims_schema = pa.DataFrameSchema({
    "Order ID": pa.Column(str, pa.Check.str_matches(ORDER_ID)),
    "Claim Date": pa.Column("datetime64[us]"),
    "Claim Status": pa.Column(str),
    "Claim Amount": pa.Column(float, pa.Check.ge(0), nullable=True),
    "Funded By": pa.Column(str, nullable=True),
})
chargebacks_schema = pa.DataFrameSchema({
    "Order ID": pa.Column(str, pa.Check.str_matches(ORDER_ID)),
    "Chargeback Date": pa.Column("datetime64[us]"),
    "Chargeback Type": pa.Column(str, nullable=True),
})
cancellations_schema = pa.DataFrameSchema({
    "Order ID": pa.Column(str, pa.Check.str_matches(ORDER_ID)),
    "Cancellation Date": pa.Column("datetime64[us]"),
    "Cancelled By": pa.Column(str, pa.Check.isin(["Buyer", "Seller", "Amazon"])),
    "Cancellation Reason": pa.Column(str, nullable=True),
})
shipments_schema = pa.DataFrameSchema({
    "Order ID": pa.Column(str, pa.Check.str_matches(ORDER_ID)),
    "Expected Ship Date": pa.Column("datetime64[us]"),
    "Ship Confirm Date": pa.Column("datetime64[us]", nullable=True),
})

NOT_COUNTING_CLAIMS = {"denied", "withdrawn", "granted - amazon funded", "decided in seller's favor"}


def read_tsv(path: Path, **kwargs: object) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, **kwargs)


def run(folder: Path, as_of: str | None = None) -> dict[str, object]:
    t0 = time.perf_counter()
    orders = read_tsv(next(folder.glob("All_Orders_*.txt")), dtype={"amazon-order-id": str, "sku": str})
    orders["purchase-date"] = pd.to_datetime(orders["purchase-date"], utc=True, format="ISO8601")
    feedback = read_tsv(next(folder.glob("FeedbackManager_*.csv")), dtype={"Order ID": str})
    feedback["Date"] = pd.to_datetime(feedback["Date"], format="%m/%d/%y")
    claims = read_tsv(folder / "AtoZ_Claims.txt", dtype={"Order ID": str})
    claims["Claim Date"] = pd.to_datetime(claims["Claim Date"], format="%m/%d/%Y")
    chargebacks = read_tsv(folder / "Chargebacks.txt", dtype={"Order ID": str})
    chargebacks["Chargeback Date"] = pd.to_datetime(chargebacks["Chargeback Date"], format="%m/%d/%Y")
    cancels = read_tsv(folder / "Cancellations.txt", dtype={"Order ID": str})
    cancels["Cancellation Date"] = pd.to_datetime(cancels["Cancellation Date"], format="%m/%d/%Y")
    ships = read_tsv(folder / "Shipment_Confirmations.txt", dtype={"Order ID": str})
    for col in ("Expected Ship Date", "Ship Confirm Date"):
        ships[col] = pd.to_datetime(ships[col], format="%Y-%m-%d %H:%M:%S")
    t1 = time.perf_counter()

    orders = orders_schema.validate(orders, lazy=True)
    feedback = feedback_schema.validate(feedback, lazy=True)
    claims = claims_schema.validate(claims, lazy=True)
    chargebacks = chargebacks_schema.validate(chargebacks, lazy=True)
    cancels = cancellations_schema.validate(cancels, lazy=True)
    ships = shipments_schema.validate(ships, lazy=True)
    t2 = time.perf_counter()

    orders = orders.drop_duplicates(["amazon-order-id", "sku", "asin"], keep="last")
    orders["purchase_day"] = orders["purchase-date"].dt.tz_localize(None).dt.normalize()
    orders["mfn"] = orders["fulfillment-channel"] == "Merchant"
    orders["cancelled"] = orders["order-status"].str.lower().isin(["cancelled", "canceled"])
    per_order = orders.groupby("amazon-order-id").agg(day=("purchase_day", "min"), mfn=("mfn", "any"),
                                                      cancelled=("cancelled", "all"))
    end = pd.Timestamp(as_of) if as_of else per_order["day"].max()
    mfn = per_order[per_order["mfn"]]

    # ODR (MFN): 60 days ending 14 days before as-of
    odr_end = end - pd.Timedelta(days=14)
    odr_orders = mfn[(mfn["day"] >= odr_end - pd.Timedelta(days=59)) & (mfn["day"] <= odr_end)]
    negative = feedback[(feedback["Rating"] <= 2) & feedback["Status"].isna()]["Order ID"]
    status = claims["Claim Status"].str.lower()
    counting_claims = claims[~status.isin(NOT_COUNTING_CLAIMS) & (claims["Funded By"] != "Amazon")]["Order ID"]
    counting_cb = chargebacks[chargebacks["Chargeback Type"] != "Fraud"]["Order ID"]
    defective = set(negative) | set(counting_claims) | set(counting_cb)
    odr_num = int(odr_orders.index.isin(defective).sum())

    # PFCR: 7 days ending on as-of; cancellations by the seller or Amazon (not the buyer's request)
    pf_orders = mfn[(mfn["day"] >= end - pd.Timedelta(days=6)) & (mfn["day"] <= end)]
    seller_cancels = cancels[(cancels["Cancelled By"] != "Buyer")
                             & (cancels["Cancellation Reason"] != "Buyer canceled")]["Order ID"]
    pf_num = int(pf_orders.index.isin(set(seller_cancels)).sum())

    # LSR 10 days: MFN orders not cancelled, confirmed after the expected ship date
    ls_orders = mfn[(mfn["day"] >= end - pd.Timedelta(days=9)) & (mfn["day"] <= end) & ~mfn["cancelled"]]
    late = ships[ships["Ship Confirm Date"] > ships["Expected Ship Date"]]["Order ID"]
    ls_num = int(ls_orders.index.isin(set(late)).sum())
    t3 = time.perf_counter()

    def metric(num: int, den: int) -> dict[str, object]:
        return {"numerator": num, "denominator": den, "rate": num / den if den else None}

    return {"as_of": str(end.date()),
            "odr_mfn": metric(odr_num, len(odr_orders)), "pfcr": metric(pf_num, len(pf_orders)),
            "lsr_10d": metric(ls_num, len(ls_orders)),
            "timings": {"read": t1 - t0, "validate": t2 - t1, "metrics": t3 - t2, "total": t3 - t0}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pandas + pandera reference: ODR (MFN), PFCR, LSR 10d")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--as-of")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.folder, args.as_of)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
