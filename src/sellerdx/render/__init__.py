"""Rendering: pure functions of an :class:`~sellerdx.result.AnalysisResult`.

- :mod:`~sellerdx.render.report` gives the HTML report's structure (a :class:`ReportContext`) from the
  result; :mod:`~sellerdx.render.context` holds that structure; :mod:`~sellerdx.render.html` renders it
  through the one autoescaped Jinja2 environment; :mod:`~sellerdx.render.charts` draws the inline SVG.
- :mod:`~sellerdx.render.summary` serialises the result as ``summary.json``.
- :mod:`~sellerdx.render.poa` writes the Plan of Action skeleton and ``evidence.csv``.

Nothing here holds a DuckDB connection, runs SQL or imports a pipeline module (import-linter checks it).
"""

from __future__ import annotations

from sellerdx.render.context import FindingView, Headline, ReportContext, assemble
from sellerdx.render.html import environment, render_cards, render_html, write_html
from sellerdx.render.report import report_context

__all__ = ["FindingView", "Headline", "ReportContext", "assemble", "environment", "render_cards",
           "render_html", "report_context", "write_html"]
