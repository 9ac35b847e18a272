"""The Jinja environment every view shares: autoescaped templates from extractor/templates/."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader


@cache
def env() -> Environment:
    return Environment(loader=PackageLoader("extractor", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)


def script_json(data: Any) -> str:
    """JSON safe inside a <script type="application/json"> element: no "<", ">" or "&" can
    close the element or open a comment, whatever strings an article put in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
