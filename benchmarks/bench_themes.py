"""Benchmark sellerdx.themes on synthetic feedback comments.

Usage::

    PYTHONPATH=src python benchmarks/bench_themes.py [N]      # default N = 1_000_000

Builds N comments from multilingual templates (every one made unique with a number and a random filler
word, so the classifier's cache does not help), then times ``classify_many`` in one process and with the
default worker count, and ``theme_table`` (DuckDB table of N rows; it classifies each distinct comment
once). The machine's load matters: run it on an idle machine.
"""

from __future__ import annotations

import random
import sys
import time

import duckdb
import pyarrow as pa

from sellerdx import themes

TEMPLATES = [
    "Arrived {n} days late and the box was crushed, {w}",
    "Great seller, arrived on time {w} {n}",
    "Item not as described. Colour is different from the picture {n} {w}",
    "Never received my order #{n}. Seller did not respond to {w} messages",
    "Poor quality, stopped working after {n} days {w}",
    "Fake product, not genuine {w} {n}",
    "Box was opened and the item was clearly used {w} {n}",
    "Expired {n} months ago!! {w}",
    "Sent the wrong size, {w} {n}",
    "chocolate plate {w} {n} fine, thanks",
    "Ware kam zerbrochen an, {w} {n} Tage zu spät",
    "Nicht wie beschrieben, schlechte Qualität {w} {n}",
    "Colis arrivé en retard de {n} jours, {w}, produit abîmé",
    "Pas conforme à la description {w} {n}",
    "Arrivato in ritardo di {n} giorni, {w} confezione aperta",
    "Llegó tarde y roto {w} {n}",
    "商品が割れて届きました{n} {w}",
    "配送が遅い、{n}日もかかった {w}",
    "收到的时候已经坏了 {n} {w}",
    "物流太慢了，等了{n}天 {w}",
    "收到的時候已經壞了，與描述不符 {n}",
    "Giao hàng chậm {n} ngày, hàng bị vỡ {w}",
    "Perfect, thank you {w} {n}",
    "A+++ {n} {w}",
]
WORDS = ["really", "honestly", "wow", "ok", "sadly", "again", "today", "very", "so", "just", "bitte", "vraiment",
         "davvero", "muy", "とても", "非常", "rất"]


def make_comments(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(TEMPLATES).format(n=i, w=rng.choice(WORDS)) for i in range(n)]


def main(n: int) -> None:
    comments = make_comments(n)
    themes.classify("warm up: load and compile the lexicon")

    for workers in (1, None):
        themes._classify_cached.cache_clear()
        c0, t0 = time.process_time(), time.perf_counter()
        result = themes.classify_many(comments, workers=workers)
        c1, t1 = time.process_time(), time.perf_counter()
        tagged = sum(1 for r in result if r)
        label = "1 process" if workers == 1 else f"{themes._worker_count(n, None)} process(es)"
        print(f"classify_many ({label}): {n:,} comments in {t1 - t0:.2f} s wall "
              f"({n / (t1 - t0):,.0f}/s; parent CPU {c1 - c0:.2f} s); {tagged:,} with a theme/flag")

    themes._classify_cached.cache_clear()
    con = duckdb.connect()
    con.register("src", pa.table({"order_id": [f"{i:03d}-{i:07d}-0000000" for i in range(n)],
                                  "comments": comments}))
    con.execute("CREATE TABLE feedback AS SELECT * FROM src")
    con.unregister("src")
    c2, t2 = time.process_time(), time.perf_counter()
    themes.theme_table(con)
    c3, t3 = time.process_time(), time.perf_counter()
    rows = con.execute("SELECT count(*) FROM feedback_themes").fetchone()
    print(f"theme_table: {n:,} feedback rows in {t3 - t2:.2f} s wall (parent CPU {c3 - c2:.2f} s); "
          f"feedback_themes has {rows[0]:,} rows")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
