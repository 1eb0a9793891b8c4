"""What the packaged data says about the metrics, for every layer: keys in display order and families.

``data/metrics.toml`` is the one place metric keys are defined; this module reads it without importing the
metrics engine (so renderers, the plan and the CLI can name metrics without touching DuckDB).
"""

from __future__ import annotations

import functools

from .assets import load_toml


def metric_keys() -> tuple[str, ...]:
    """Every metric key, in display order (``odr_mfn``, ``odr_afn``, ``odr_all``, ``pfcr``, ...)."""
    return tuple(load_toml("metrics.toml")["metrics"])


@functools.cache   # asked once per counted defect when evidence.csv is written (71,686 times at 1M items)
def metric_family(key: str) -> str | None:
    """The family of a metric key: its query (``odr_all`` -> ``odr``, ``lsr_10d`` -> ``lsr``); None if unknown."""
    cfg = load_toml("metrics.toml")["metrics"].get(key)
    return str(cfg["query"]) if cfg else None


def metric_wording(key: str) -> tuple[str, str]:
    """(what the metric counts, how its window is dated): ("orders", "purchased") by default, ("units",
    "in parcels promised") for the unit-based OTDR (``counted`` / ``dated`` in data/metrics.toml)."""
    cfg = load_toml("metrics.toml")["metrics"].get(key, {})
    return str(cfg.get("counted", "orders")), str(cfg.get("dated", "purchased"))


__all__ = ["metric_family", "metric_keys", "metric_wording"]
