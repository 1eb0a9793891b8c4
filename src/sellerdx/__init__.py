"""sellerdx: diagnose an Amazon seller's account health from Seller Central exports, offline.

>>> import sellerdx
>>> analysis = sellerdx.analyze("sample_reports/us-seller")     # doctest: +SKIP
>>> analysis.metrics                                            # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["Analysis", "Inputs", "Options", "analyze", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import Analysis, Inputs, Options, analyze

# The public names live in sellerdx.analysis, which imports pandas, DuckDB and pandera (~0.5 s). They are
# loaded on first use, so `sellerdx --version` / `--help` and `import sellerdx.cli` stay fast.
_LAZY = {"Analysis": "analysis", "Inputs": "analysis", "Options": "analysis", "analyze": "analysis"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    try:  # `sellerdx.metrics` etc. without an explicit import, as before
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
