"""HTML views: one extraction over its article, an eval run's report, a corpus's timeline.

Each page is one self-contained file (inline CSS and JS, no network). Jinja2 autoescapes
everything, and a Content-Security-Policy with a per-page nonce lets only our own script run,
so nothing in an article executes. Templates live in extractor/templates/.
"""

from __future__ import annotations

from .extraction import Mark, extraction_html, segments
from .report import PAIR_COLOURS, report_html
from .timeline import timeline_html

__all__ = ["PAIR_COLOURS", "Mark", "extraction_html", "report_html", "segments",
           "timeline_html"]
