"""The agency portfolio: many seller accounts analysed in one run, locally or on a Dask cluster.

``run_portfolio(root, out)`` analyses every account of ``root`` (its subfolders, or the accounts listed in
``root/portfolio.toml``) exactly as ``sellerdx analyze`` would, each into ``out/<account>/``, and writes
``out/index.html``, ``out/portfolio.csv``, ``out/portfolio.parquet``, ``out/portfolio.json``, the run
history (``out/history/``) and the fingerprints that let the next run skip unchanged accounts.

Modules: ``accounts`` (finding accounts, portfolio.toml), ``fingerprint`` (incremental runs), ``run`` (local
process pool, Dask), ``history`` (runs over time), ``outputs`` (account views, ranking, rows and files),
``page`` (index.html), ``build`` (the whole run).
"""

from __future__ import annotations

from .build import EXIT_AT_RISK, EXIT_NOTHING, EXIT_OK, PortfolioResult, run_portfolio

__all__ = ["EXIT_AT_RISK", "EXIT_NOTHING", "EXIT_OK", "PortfolioResult", "run_portfolio"]
