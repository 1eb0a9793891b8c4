"""Compute an analysis once into an :class:`~sellerdx.result.AnalysisResult`.

The one place that asks the pipeline for what any output shows: metrics, findings, their breakdowns and
evidence orders (one evidence query for every output), daily series, removable feedback and the ODR
what-if, the recovery calendar, unmatched defects, Amazon's report and the reconciliation. After this
step nothing queries the data again for an output: :mod:`sellerdx.render` reads the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import duckdb
import pandas as pd

from . import assets, store
from . import metrics as metrics_stage
from .amazon.overview import build_overview
from .amazon.reconcile import reconcile
from .amazon.report import parse_performance
from .diagnose import diagnose, load_rules
from .i18n import N_
from .metrics import MetricParams
from .model import Finding, MetricResult
from .options import Options
from .paths import history_dir
from .plan import build_plan, plan_keys, plan_scope
from .plan import settings as poa_settings
from .result import AnalysisResult, ExportNeeded, FindingResult, Inputs, MetricFigure, MetricGaps, PlanOfAction, WhatIf
from .version import __version__

Step = Callable[[str], None]


def _breakdowns(con: duckdb.DuckDBPyConnection, findings: Sequence[Finding],
                params: MetricParams) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for f in findings:
        chart = f.chart or {}
        if chart.get("by") and chart.get("metric"):
            out[f.code] = metrics_stage.breakdown(con, chart["metric"], chart["by"], params)
    return out


def _what_if(metrics: Mapping[str, MetricResult], after: Mapping[str, MetricResult]) -> tuple[WhatIf, ...]:
    """One :class:`WhatIf` per metric whose numerator drops once the removable feedback is gone."""
    out = []
    for key, result in after.items():
        now = metrics.get(key)
        if now is None or now.rate is None or result.numerator >= now.numerator:
            continue
        if result.rate is None:
            status = now.status
        else:
            status = "ok" if metrics_stage.meets_target(result.rate, now.target, now.direction) else "at_risk"
        out.append(WhatIf(now, now.numerator - result.numerator, result.rate, status))
    return tuple(out)


def _figures(metrics: Mapping[str, MetricResult], reconciliation: Sequence[Any]) -> dict[str, MetricFigure]:
    """Each metric as the plan quotes it: Amazon's figure first (its report's first marketplace that has
    the metric), sellerdx's beside it where they differ, with the reconciliation's first explanation."""
    out: dict[str, MetricFigure] = {}
    for key, m in metrics.items():
        row = next((r for r in reconciliation if getattr(r, "metric", None) == key), None)
        amazon = getattr(row, "amazon", None)
        if amazon is None or amazon.rate is None:
            out[key] = MetricFigure(m)
            continue
        differs = (m.rate is None or round(m.rate, 4) != round(amazon.rate, 4)
                   or (amazon.numerator is not None and amazon.numerator != m.numerator)
                   or (amazon.denominator is not None and amazon.denominator != m.denominator))
        out[key] = MetricFigure(m, amazon.rate, amazon.numerator, amazon.denominator, amazon.window_start,
                                amazon.window_end, differs, _difference(m, amazon) if differs else "")
    return out


def _difference(m: MetricResult, amazon: Any) -> str:
    """Why Amazon's figure and the recomputation differ, in one line a plan can quote."""
    if (amazon.window_start, amazon.window_end) != (m.window_start, m.window_end) and amazon.window_start:
        return (f"Amazon's window is {amazon.window_start} to {amazon.window_end}, the exports' "
                f"{m.window_start} to {m.window_end}.")
    parts = []
    if amazon.numerator is not None and amazon.numerator != m.numerator:
        parts.append(f"Amazon counts {amazon.numerator:,} {'defective' if m.direction == 'below' else 'qualifying'} "
                     f"orders, our exports show {m.numerator:,}")
    if amazon.denominator is not None and amazon.denominator != m.denominator:
        parts.append(f"Amazon counts {amazon.denominator:,} orders in the window, our exports {m.denominator:,}")
    return ("; ".join(parts) + ".") if parts else "Amazon rounds or computes the rate differently."


def _amazon_at_risk(performance: Sequence[Any]) -> tuple[str, ...]:
    """Metric keys Amazon's own report marks at risk (``data/poa.toml`` ``[amazon] at_risk_statuses``)."""
    bad = {s.upper() for s in poa_settings()["amazon"]["at_risk_statuses"]}
    keys: list[str] = []
    for perf in performance:
        for mp in getattr(perf, "marketplaces", ()):
            for key, metric in getattr(mp, "metrics", {}).items():
                if str(getattr(metric, "status", "") or "").upper() in bad and key not in keys:
                    keys.append(key)
    return tuple(keys)


def plan_of_action(con: duckdb.DuckDBPyConnection, metrics: Mapping[str, MetricResult],
                   findings: Sequence[Finding], params: MetricParams, options: Options,
                   performance: Sequence[Any], reconciliation: Sequence[Any]) -> PlanOfAction:
    """The Plan of Action: scope, figures, every counted defect of its windows attributed to one cause."""
    amazon_bad = _amazon_at_risk(performance)
    families, _ = plan_scope(metrics, notice=options.notice, amazon_at_risk=amazon_bad)
    keys = plan_keys(metrics, families, amazon_bad)
    defects = metrics_stage.defect_orders_for(con, [metrics[key] for key in keys], params.as_of)   # one query
    themes = {rule.id: rule.params["theme"] for rule in load_rules() if "theme" in rule.params}
    return build_plan(metrics, findings, defects, _figures(metrics, reconciliation), notice=options.notice,
                      amazon_at_risk=amazon_bad, themes=themes, as_of=params.as_of)
# --------------------------------------------------------------------------------------------------
# Missing exports: what each metric lacks, and the checklist of exports to download
def metric_gaps(metrics: Mapping[str, MetricResult], supplied: set[str]) -> dict[str, MetricGaps]:
    """Metric key -> what the exports missing from ``supplied`` do to it (``data/metrics.toml``: ``requires``,
    ``defect_sources``, ``upper_bound_without``); metrics without a gap are left out.

    A metric not computed for lack of data inside a supplied export (``requires_data``) has no gap here:
    its note says what the export lacks.
    """
    configs = assets.load_toml("metrics.toml")["metrics"]
    out: dict[str, MetricGaps] = {}
    for key, m in metrics.items():
        cfg = configs.get(key, {})
        needs = tuple(k for k in cfg.get("requires", ()) if k not in supplied)
        sources = tuple(cfg.get("defect_sources", ()))
        absent = tuple(k for k in sources if k not in supplied)
        needs_any = absent if sources and len(absent) == len(sources) and not needs else ()
        uncounted = absent if absent and not needs_any and not needs else ()
        upper = cfg.get("upper_bound_without")
        upper = upper if upper and upper not in supplied and m.rate is not None else None
        if needs or needs_any or uncounted or upper:
            out[key] = MetricGaps(needs=needs, needs_any=needs_any, uncounted=uncounted, upper_bound=upper)
    return out


def missing_exports(gaps: Mapping[str, MetricGaps]) -> tuple[ExportNeeded, ...]:
    """The exports named by ``gaps``, in ``metrics.toml`` ``[exports]`` order, each with where Seller
    Central has it (``data/reports.toml`` ``label`` and ``where``) and the metrics it computes or completes."""
    order = list(assets.load_toml("metrics.toml")["exports"])
    reports = assets.load_toml("reports.toml")
    kinds = {k for g in gaps.values() for k in (*g.needs, *g.needs_any, *g.uncounted, *([g.upper_bound] if g.upper_bound else []))}
    out = []
    for kind in sorted(kinds, key=lambda k: (order.index(k) if k in order else len(order), k)):
        spec = reports.get(kind, {})
        out.append(ExportNeeded(
            kind=kind, label=spec.get("label", kind), where=spec.get("where", ""),
            computes=tuple(key for key, g in gaps.items() if kind in g.needs or kind in g.needs_any),
            completes=tuple(key for key, g in gaps.items() if kind in g.uncounted or kind == g.upper_bound)))
    return tuple(out)


def describe(con: duckdb.DuckDBPyConnection, *, folder: str, options: Options, params: MetricParams,
             inputs: Inputs, performance_files: Sequence[tuple[str, Any]] = (),
             metrics: Mapping[str, MetricResult] | None = None,
             findings: Sequence[Finding] | None = None,
             step: Step | None = None, timed: Callable[[str], Any] | None = None,
             keep_marketplace: Callable[[str | None], bool] | None = None) -> AnalysisResult:
    """Everything the outputs of an analysis show, computed once.

    ``metrics`` / ``findings`` may be given when the caller has already computed them (the ``Analysis``
    facade caches each stage); ``step(label)`` reports progress; ``timed(stage)`` is a context manager
    factory that times a stage. ``keep_marketplace(marketplace_id)`` says which marketplaces of Amazon's
    report this analysis is reconciled with (``sellerdx.marketplaces``: each marketplace with its own);
    ``None``: all of them.
    """
    def stage(name: str) -> AbstractContextManager[Any]:
        return timed(name) if timed else nullcontext()

    if metrics is None:
        with stage("metrics"):
            metrics = metrics_stage.compute_metrics(con, params)
    if findings is None:
        with stage("diagnose"):
            findings = diagnose(con, metrics, params)
    if step:
        step(N_("collecting evidence"))
    with stage("describe"):
        metrics_stage.prepare(con)
        breakdowns = _breakdowns(con, findings, params)
        evidence = metrics_stage.evidence_for(con, findings)   # one query for every finding
        finding_results = tuple(FindingResult(f, breakdowns.get(f.code), evidence.get(f.code)) for f in findings)
        daily = metrics_stage.daily_series(con, [key for key, m in metrics.items() if m.rate is not None],
                                           params)   # one query for every series
        removable = None
        what_if: tuple[WhatIf, ...] = ()
        if "feedback" in store.supplied_kinds(con):
            removable = metrics_stage.removable_feedback(con, params)
            what_if = _what_if(metrics, metrics_stage.what_if(con, params, removable, metrics))
        performance = tuple(parse_performance(data, source=path) for path, data in performance_files)
        cache_dir = options.cache if isinstance(options.cache, str) and options.cache else None
        amazon = build_overview(list(performance_files), metrics, span=metrics_stage.order_span(con),
                                history_dir=history_dir(cache_dir))
        mine = performance if keep_marketplace is None else tuple(   # Amazon's figures of this marketplace
            dataclasses.replace(p, marketplaces=tuple(m for m in p.marketplaces if keep_marketplace(m.marketplace_id)))
            for p in performance)
        reconciliation = tuple(row for perf in mine for row in reconcile(perf, metrics, con, params))
        gaps = metric_gaps(metrics, store.supplied_kinds(con))
        return AnalysisResult(
            folder=folder,
            as_of=params.as_of,
            options=options,
            version=__version__,
            inputs=inputs,
            metrics=dict(metrics),
            findings=finding_results,
            daily=daily,
            removable=removable,
            what_if=what_if,
            recovery=metrics_stage.recovery_calendar(con, params),
            unmatched=metrics_stage.unmatched_defects(con, params),
            performance=performance,
            reconciliation=reconciliation,
            warnings=tuple(w for perf in performance for w in perf.warnings),
            amazon=amazon,
            data_warnings=tuple(metrics_stage.data_warnings(con, params)),
            plan=plan_of_action(con, metrics, findings, params, options, mine, reconciliation),
            missing_exports=missing_exports(gaps),
            gaps=gaps,
        )


__all__ = ["describe", "metric_gaps", "missing_exports"]
