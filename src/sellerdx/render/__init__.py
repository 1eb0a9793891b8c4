"""Rendering of sellerdx's results: the self-contained HTML report (``render_html``/``write_html``).

``build_context`` assembles a :class:`ReportContext` from the pipeline's outputs; the Jinja2 templates in
the packaged ``templates`` folder turn it into HTML; :mod:`sellerdx.render.charts` draws the inline SVG.
"""

from __future__ import annotations

from sellerdx.render.context import FindingView, Headline, ReportContext, WhatIf, build_context
from sellerdx.render.html import environment, render_html, write_html

__all__ = ["FindingView", "Headline", "ReportContext", "WhatIf", "build_context", "environment",
           "render_html", "write_html"]
