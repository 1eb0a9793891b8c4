"""Property tests of ingestion: hostile bytes never crash sellerdx, and damaged rows are always accounted
for (rows_loaded + rows_rejected == the non-blank data lines written).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerdx.errors import SellerdxError
from support.exports import FEEDBACK_HEADER, ORDERS_HEADER, assert_counts_reconcile, inputs_of, order_row, write_orders

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KNOWN_HEADERS = [
    "\t".join(ORDERS_HEADER), "\t".join(FEEDBACK_HEADER), "Order ID\tClaim Date\tClaim Status\tClaim Amount",
    "Order ID,Cancellation Date,Cancelled By,Cancellation Reason", "Order ID;Chargeback Date;Chargeback Type",
]

# Bytes a seller's folder might hold by accident: anything at all, text in some encoding, or a real header
# followed by garbage.
random_files = st.one_of(
    st.binary(max_size=3000),
    st.binary(min_size=1, max_size=600).map(lambda b: bytes(x | 0x80 for x in b)),      # high bytes only
    st.tuples(st.text(max_size=800), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "cp932", "utf-16"]))
      .map(lambda t: t[0].encode(t[1], errors="ignore")),
    st.tuples(st.sampled_from(KNOWN_HEADERS), st.sampled_from(["\n", "\r\n"]), st.binary(max_size=1500))
      .map(lambda t: (t[0] + t[1]).encode() + t[2]),
    st.tuples(st.sampled_from(KNOWN_HEADERS), st.lists(st.text(max_size=120), max_size=12))
      .map(lambda t: ("\n".join([t[0], *t[1]]) + "\n").encode("utf-8", errors="ignore")),
)


@SETTINGS
@given(data=random_files, name=st.sampled_from(["junk.txt", "junk.csv", "junk.txt.gz", "junk.json"]))
def test_random_bytes_beside_a_valid_orders_file_never_crash(data, name):
    import gzip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "exports"
        write_orders(folder)
        (folder / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        try:
            inputs = inputs_of(folder)
        except SellerdxError as err:
            assert str(err) and err.hint is not None
            return
        read = {f.path for f in inputs.files}
        skipped = {s.path for s in inputs.skipped}
        assert name in read | skipped, (read, skipped)
        assert "orders.txt" in read
        assert_counts_reconcile(inputs)


# --------------------------------------------------------------------------------------------- damaged rows
junk_text = st.text(st.characters(codec="utf-8", exclude_characters="\n\r\x00"), max_size=30)


@st.composite
def damaged_orders(draw) -> tuple[list[str], int]:
    """(lines of an orders file, non-blank data lines), each data line possibly damaged."""
    n = draw(st.integers(min_value=1, max_value=15))
    lines = ["\t".join(ORDERS_HEADER)]
    for i in range(1, n + 1):
        fields = order_row(i, f"2026-09-{1 + i % 28:02d}T10:00:00+00:00")
        line = "\t".join(fields)
        for op in draw(st.lists(st.sampled_from(["keep", "drop_tab", "dup_tab", "truncate", "junk_value",
                                                 "insert_unicode", "blank_after", "duplicate"]),
                                max_size=3)):
            if op == "drop_tab" and "\t" in line:
                at = draw(st.sampled_from([k for k, c in enumerate(line) if c == "\t"]))
                line = line[:at] + line[at + 1:]
            elif op == "dup_tab" and "\t" in line:
                at = draw(st.sampled_from([k for k, c in enumerate(line) if c == "\t"]))
                line = line[:at] + "\t" + line[at:]
            elif op == "truncate":
                line = line[:draw(st.integers(min_value=0, max_value=len(line)))]
            elif op == "junk_value":
                parts = line.split("\t")
                parts[draw(st.integers(min_value=0, max_value=len(parts) - 1))] = draw(junk_text)
                line = "\t".join(parts)
            elif op == "insert_unicode":
                at = draw(st.integers(min_value=0, max_value=len(line)))
                line = line[:at] + draw(junk_text) + line[at:]
            elif op == "blank_after":
                lines.append(line if line.strip() else "")
                line = draw(st.sampled_from(["", "   "]))
            elif op == "duplicate":
                lines.append(line if line.strip() else "")
        # a line left with only whitespace is written as an empty line: blank, not data
        lines.append(line if line.strip() else "")
    data_lines = sum(1 for ln in lines[1:] if ln.strip())
    return lines, data_lines


@SETTINGS
@given(case=damaged_orders())
def test_damaged_orders_rows_are_all_accounted_for(case):
    lines, data_lines = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "exports"
        folder.mkdir()
        (folder / "orders.txt").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
        inputs = inputs_of(folder)
        assert_counts_reconcile(inputs)
        assert sum(f.rows_loaded + f.rows_rejected for f in inputs.files) == data_lines
        # every rejected line number points at a non-blank data line of the file
        physical = {k + 1 for k, ln in enumerate(lines) if k > 0 and ln.strip()}
        assert set(inputs.rejected["line"].astype(int)) <= physical
