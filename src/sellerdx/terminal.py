"""What ``sellerdx analyze`` and ``validate`` print on the terminal (rich), readable at 80 columns.

Text wraps at word boundaries with a hanging indent (never inside a word, a date or a number); numbers use
one format (``sellerdx.text``). After ``analyze``, in this order: what was read, what was skipped and
why, the first rejected rows with the file that lists them all, every warning that changes a number
(date order chosen for ambiguous dates, rows counted once, upper bounds), the metric table, the findings
(and how many more are in the report), and the files written.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from . import __version__
from .amazon.verdict import rating_text
from .assets import load_toml
from .catalog import metric_wording
from .i18n import Count, Message, _, translate
from .text import count, plural, rate

MAX_FINDINGS = 5          # findings printed; the report has them all
MAX_REJECTED = 3          # rejected rows printed after analyze; rejected_rows.csv has them all
MAX_SKIPPED = 8
_STATUS_STYLE = {"ok": "green", "at_risk": "bold red", "no_orders": "yellow", "not_computed": "dim",
                 "not_enforced": "yellow"}
STAGES = ("ingest", "validate", "load", "metrics", "diagnose", "render", "write")


def _items(console: Console, title: str | None, lines: Iterable[str], bullet: str = "  ",
           indent: str | None = None) -> None:
    """A title line, then one item per line wrapped to the console's width at spaces, continuation lines
    indented under the text (a word longer than the line is left whole, never split)."""
    lines = list(lines)
    if not lines:
        return
    if title:
        console.print(title, markup=False)
    width = max(20, console.width)
    indent = " " * len(bullet) if indent is None else indent
    for line in lines:
        wrapped = textwrap.fill(line, width=width, initial_indent=bullet, subsequent_indent=indent,
                                break_long_words=False, break_on_hyphens=False)
        console.print(wrapped, markup=False, soft_wrap=True)


def _window(m: Any) -> str:
    if not (m.window_start and m.window_end):
        return "—"
    return f"{m.window_start:%Y-%m-%d} – {m.window_end:%Y-%m-%d}"


def _short_labels() -> dict[str, str]:
    return {key: m.get("short", m["label"]) for key, m in load_toml("metrics.toml")["metrics"].items()}


def metric_table(metrics: Iterable[Any], width: int = 100) -> Table:
    """One row per metric; dates and numbers never wrap. Under 100 columns the metric is named by its
    short label (``ODR (MFN)``, data/metrics.toml), so the table fits 80 columns on one line per metric."""
    short = _short_labels() if width < 100 else {}
    table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 1))
    table.add_column("metric")
    table.add_column("window (UTC)", no_wrap=True)
    table.add_column("defects/orders", justify="right", no_wrap=True)
    table.add_column("rate", justify="right", no_wrap=True)
    table.add_column("target", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for m in metrics:
        op = "<" if m.direction == "below" else ">"
        status = m.status.replace("_", " ")
        coverage = getattr(m, "coverage", None)
        if coverage is not None and coverage < 1 and m.window_start and m.window_end:
            days = (m.window_end - m.window_start).days + 1
            status += f" (orders cover {round(coverage * days)} of {days} days)"
        counted = metric_wording(m.key)[0]
        counts = f"{count(m.numerator)} / {count(m.denominator)}" + ("" if counted == "orders" else f" {counted}")
        table.add_row(Text(short.get(m.key, m.label)), _window(m), counts, rate(m.rate),
                      f"{op} {rate(m.target)}", Text(status, style=_STATUS_STYLE.get(m.status, "")))
    return table


def rejected_lines(rejected: Any, limit: int) -> list[str]:
    """``file:line (column): reason`` of the first ``limit`` quarantined rows."""
    lines = []
    for row in rejected.head(limit).itertuples(index=False):
        column = f" ({row.column_name})" if isinstance(row.column_name, str) else ""
        lines.append(f"{row.path}:{row.line}{column}: {row.reason}")
    return lines


def warning_lines(inputs: Any, metrics: Iterable[Any] = (), data_warnings: Iterable[str] = ()) -> list[str]:
    """Every warning that changes how a number was computed: the data against the options (an ``--as-of``
    past the orders' last day), file warnings (e.g. the date order chosen for ambiguous dates), rows counted
    once because a newer export repeats them, partial data (a window the orders cover only in part), metric
    notes (upper bounds, missing exports)."""
    metrics = list(metrics)
    lines = list(data_warnings)
    lines += [f"{f.path}: {w}" for f in inputs.files for w in f.warnings]
    lines += [f"{f.path}: {count(f.rows_duplicate)} rows also in a newer export (counted once)"
              for f in inputs.files if f.rows_duplicate]
    lines += [f"{m.label}: partial data: {m.coverage_note}" for m in metrics if getattr(m, "coverage_note", None)]
    lines += [f"{m.label}: {m.note}" for m in metrics if m.note]
    return lines


def print_analysis(console: Console, analysis: Any, paths: Mapping[str, Path]) -> None:
    """The terminal summary after ``sellerdx analyze``."""
    inputs = analysis.inputs
    metrics = list(analysis.metric_results.values())
    findings = analysis.finding_list
    console.print(f"sellerdx {__version__} — {analysis.folder} — as of {analysis.as_of.isoformat()}",
                  markup=False)
    if getattr(analysis, "amazon", None) is not None:     # Amazon's own verdict first
        print_amazon(console, analysis.amazon)
    console.print(f"read {plural(len(inputs.files), 'file')}, {plural(inputs.rows_read, 'row')}: "
                  f"{count(inputs.rows_loaded)} loaded, {count(inputs.rows_rejected)} rejected; "
                  f"{plural(len(inputs.skipped), 'file')} skipped", markup=False)
    performance = list(getattr(inputs, "performance_files", ()))
    _items(console, None, [f"Amazon's performance report read: {', '.join(performance)}"] if performance else [])
    skipped = [f"{s.path}: {s.reason}" for s in inputs.skipped[:MAX_SKIPPED]]
    if len(inputs.skipped) > MAX_SKIPPED:
        skipped.append(f"and {count(len(inputs.skipped) - MAX_SKIPPED)} more (validate lists them all)")
    _items(console, "skipped (not read):", skipped)
    if inputs.rows_rejected:
        lines = rejected_lines(inputs.rejected, MAX_REJECTED)
        more = inputs.rows_rejected - len(lines)
        where = paths.get("rejected_rows")
        lines.append((f"and {count(more)} more; " if more > 0 else "") + f"all rejected rows: {where}")
        _items(console, "rejected rows (not counted):", lines)
    result = getattr(analysis, "result", None)
    unmatched = getattr(result, "unmatched", None)
    if unmatched is not None and len(unmatched):
        _items(console, None, [f"{plural(len(unmatched), 'defect')} whose order is not in the orders data "
                               "(not counted; listed in report.html, Data quality)"])
    data_warnings = getattr(analysis, "warnings", ())
    _items(console, "warnings (they change the numbers):", warning_lines(inputs, metrics, data_warnings))
    console.print(metric_table(metrics, console.width))
    _items(console, "other marketplaces (each analysed on its own):", marketplace_lines(result))
    if findings:
        console.print(f"findings ({count(len(findings))} in the report):", markup=False)
        lines = [f.statement for f in findings[:MAX_FINDINGS]]
        _items(console, None, lines, bullet="• ")
        if len(findings) > MAX_FINDINGS:
            console.print(f"  and {count(len(findings) - MAX_FINDINGS)} more in the report", markup=False)
    else:
        console.print("findings: none", markup=False)
    report = paths.get("report")
    others = ", ".join(str(p) for k, p in paths.items() if k != "report")
    _items(console, None, [f"report: {report}", f"also written: {others}"], bullet="", indent="  ")


def marketplace_lines(result: Any) -> list[str]:
    """One line per marketplace other than the top-level one: its orders, status and worst metric."""
    lines = []
    for mp in getattr(result, "other_marketplaces", ()):
        worst = mp.worst
        if worst is not None:
            sign = "<" if worst.direction == "below" else ">"
            state = _("at risk ({metrics}); worst: {label} {rate} (target {sign} {target})").format(
                metrics=format(Message("{n:metric|metrics}", {"n": Count(len(mp.result.at_risk))}), ""),
                label=translate(worst.label), rate=rate(worst.rate), sign=sign, target=rate(worst.target))
        elif any(m.rate is not None for m in mp.result.metrics.values()):
            state = _("every computed metric meets its target")
        else:
            state = _("no metric computed")
        lines.append(_("{channel}: {orders}, {state}; poa-{slug}.md").format(
            channel=mp.sales_channel, orders=format(Message("{n:order|orders}", {"n": Count(mp.orders)}), ""),
            state=state, slug=mp.slug))
    return lines


def print_inputs(console: Console, inputs: Any) -> None:
    """The per-file table of ``sellerdx validate``, then every note, skipped file and rejected row."""
    table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 1))
    for col in ("file", "kind", "encoding", "delimiter", "read", "loaded", "rejected", "dates"):
        numeric = col in ("read", "loaded", "rejected")
        table.add_column(col, justify="right" if numeric else "left", overflow="fold",
                         no_wrap=col in ("dates", "read", "loaded", "rejected"))
    for f in inputs.files:
        dates = f"{f.date_min} – {f.date_max}" if f.date_min else "—"
        table.add_row(Text(f.path), f.kind, f.encoding, f.delimiter, count(f.rows_read), count(f.rows_loaded),
                      Text(count(f.rows_rejected), style="red") if f.rows_rejected else "0", dates)
    for p in inputs.performance_files:
        table.add_row(Text(p), "performance", "utf-8", "json", "", "", "", "")
    console.print(table)
    lines = [f"warning: {f.path}: {w}" for f in inputs.files for w in f.warnings]
    lines += [f"note: {f.path}: {count(f.rows_duplicate)} rows also in a newer export (counted once)"
              for f in inputs.files if f.rows_duplicate]
    lines += [f"skipped: {s.path}: {s.reason}" for s in inputs.skipped]
    lines += [f"rejected: {line}" for line in rejected_lines(inputs.rejected, 20)]
    if len(inputs.rejected) > 20:
        lines.append(f"… {count(len(inputs.rejected) - 20)} more rejected rows (use --rejected FILE)")
    _items(console, None, lines, bullet="", indent="  ")
    console.print(f"total: {count(inputs.rows_read)} rows read = {count(inputs.rows_loaded)} loaded + "
                  f"{count(inputs.rows_rejected)} rejected", markup=False)


def stage_seconds(timings: Mapping[str, float]) -> dict[str, float]:
    """The analysis' own timings grouped into the stages users know (``STAGES``)."""
    grouped = {
        "ingest": timings.get("discover", 0.0) + timings.get("read", 0.0) + timings.get("cache", 0.0),
        "validate": timings.get("validate", 0.0),
        "load": timings.get("load", 0.0),
        "metrics": timings.get("metrics", 0.0),
        "diagnose": timings.get("diagnose", 0.0),
        "render": timings.get("html", timings.get("render", 0.0)),
        "write": max(0.0, timings.get("render", 0.0) - timings.get("html", timings.get("render", 0.0))),
    }
    return grouped


def print_timings(console: Console, timings: Mapping[str, float], total: float) -> None:
    """``--timings``: seconds per stage, then the rest (start-up, queries outside a stage) and the total."""
    grouped = stage_seconds(timings)
    table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 1), title_justify="left")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    for stage in STAGES:
        table.add_row(stage, f"{grouped[stage]:.2f}")
    table.add_row("other", f"{max(0.0, total - sum(grouped.values())):.2f}")
    table.add_row("total", f"{total:.2f}")
    console.print(table)


def print_portfolio(console: Console, result: Any) -> None:
    """The terminal summary after ``sellerdx portfolio``: accounts ranked by urgency, failures, notes."""
    table = Table(show_edge=False, pad_edge=False, box=None)
    for col in ("#", "account", "Amazon", "status", "metrics at risk", "days to target", "main root cause"):
        table.add_column(col, justify="right" if col in ("#", "days to target") else "left")
    for i, view in enumerate(v for v in result.accounts if v.status != "failed"):
        status = view.status.replace("_", " ") + (" (new)" if view.became_at_risk else "")
        table.add_row(str(i + 1), Text(view.name), Text(view.amazon_status or "—"),
                      Text(status, style=_STATUS_STYLE.get(view.status, "")),
                      Text(", ".join(m.label for m in view.at_risk_metrics) or "—"),
                      "—" if view.days_to_recovery is None else str(view.days_to_recovery),
                      Text(view.root_cause or "—"))
    console.print(table)
    for view in result.failed:
        console.print(f"not analysed: {view.name}: {view.error}", markup=False, soft_wrap=True)
    for view in result.accounts:
        for warning in view.warnings:
            console.print(f"warning: {view.name}: {warning}", markup=False)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)
    console.print(f"{plural(len(result.accounts), 'account')} ({result.analysed} analysed, {result.reused} "
                  f"unchanged) on {result.where} in {result.seconds:.1f} s; wrote "
                  + ", ".join(str(p) for p in result.paths.values()), markup=False)


def print_amazon(console: Console, overview: Any) -> None:
    """Amazon's own verdict, first: account status, AHR, every metric Amazon marks bad, IDR, problems
    (wrapped at word boundaries like every other item)."""
    v = overview.verdict
    style = "bold red" if v.at_risk else "green"
    width = max(20, console.width)
    console.print(Text(textwrap.fill(v.headline, width=width, break_long_words=False, break_on_hyphens=False),
                       style=style), soft_wrap=True)
    lines = [f"Account Health Rating ({r.marketplace}): {rating_text(r)} — {r.note}" for r in v.ratings]
    shown: set[int] = set()
    notes_seen: set[str | None] = set()
    for f in v.bad + v.invoice + v.unknown:
        if id(f) in shown:
            continue
        shown.add(id(f))
        window = (f", {f.window_start:%Y-%m-%d} – {f.window_end:%Y-%m-%d}" if f.window_start and f.window_end
                  else "")
        parts = (" (" + ", ".join(f"{k.replace('_', ' ')} {count(n)}" for k, n in f.parts.items()) + ")"
                 if f.parts and f.group == "invoice" else "")
        status = f"{f.status}" if f.status else "no status"
        flag = "bad" if f.bad else ("not known to sellerdx" if not f.known else "")
        again = "Amazon's figure, not recomputable (as above)"
        note = "" if not f.note else " — " + (f.note if f.note not in notes_seen else again)
        notes_seen.add(f.note)
        lines.append(f"{'•' if f.bad else '·'} {f.label}: {f.value}{parts}, Amazon's status {status}{window}"
                     + (f" [{flag}]" if flag else "") + note)
    lines += [f"impossible in Amazon's report: {p}" for p in v.problems]
    lines += list(overview.period_notes)
    lines += [f"warning: {w}" for w in overview.warnings]
    _items(console, None, lines)


def print_history(console: Console, history: Any) -> None:
    """The stored snapshots of Amazon's performance report, one row each."""
    table = Table(show_edge=False, pad_edge=False, box=None)
    for col in ("reporting dates", "marketplaces", "account status", "stored", "read from", "file"):
        table.add_column(col)
    for snap, _stored in history:
        dates = (f"{snap.period_start} – {snap.period_end}" if snap.period_start else "—")
        statuses = ", ".join(f"{v}" for v in snap.account_statuses.values()) or "—"
        table.add_row(escape(dates), escape(", ".join(snap.marketplaces)), escape(statuses), escape(snap.stored_at),
                      escape(snap.source), escape(os.path.basename(snap.path)))
    console.print(table)
