"""The corpus timeline: threats over time by source and target, filterable by actor and
category, each point opening its quote and its document's extraction view, and a small
actor network (threat edges weighted by count).

The page draws itself from one JSON block (escaped so no article text can close it) with
plain inline JS and SVG: no library, no network, and no article text ever becomes markup.
"""

from __future__ import annotations

import secrets
from typing import Any

from ..schema import THREAT_CATEGORIES
from .base import env, script_json

# One colour per threat category, in schema order.
CATEGORY_COLOURS = ["#c9372c", "#7b2cbf", "#1f77b4", "#2a9d6f", "#dc7f1c", "#8c564b",
                    "#d6336c", "#17a2b8", "#6c757d", "#b59b1a"]

EVENT_FIELDS = ("event_id", "document_id", "date", "source_id", "target_ids", "category",
                "cameo", "conditional", "condition", "quote", "local_id")


def timeline_data(rows: list[dict[str, Any]], actors: list[dict[str, Any]],
                  documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the page needs, and only that: the events, the actors they name, the pages."""
    involved = {r["source_id"] for r in rows} | {t for r in rows for t in r["target_ids"]}
    return {
        "events": [{k: r[k] for k in EVENT_FIELDS} for r in rows],
        "actors": {a["id"]: {"name": a["name"], "country": a["country"], "type": a["type"],
                             "sector": a["sector"]} for a in actors if a["id"] in involved},
        "documents": {d: {"title": v.get("title") or d, "date": v.get("date"),
                          "page": v["page"], "publisher": v.get("publisher")}
                      for d, v in documents.items()},
        "categories": dict(zip(THREAT_CATEGORIES, CATEGORY_COLOURS, strict=True)),
    }


def timeline_html(rows: list[dict[str, Any]], actors: list[dict[str, Any]],
                  documents: dict[str, dict[str, Any]]) -> str:
    """The timeline page of a corpus: `rows` are its event rows (corpus.events.joined),
    `actors` its canonical actor records, `documents` its manifest entries."""
    data = timeline_data(rows, actors, documents)
    dates = sorted(r["date"] for r in rows if r["date"])
    used = sorted({r["category"] for r in rows}, key=THREAT_CATEGORIES.index)
    names = sorted(data["actors"].items(), key=lambda kv: kv[1]["name"].lower())
    return env().get_template("timeline.html.j2").render(
        data=script_json(data), nonce=secrets.token_urlsafe(16), events=len(rows),
        documents=len(documents), actors=names, categories=used,
        colours=data["categories"], first=dates[0] if dates else None,
        last=dates[-1] if dates else None, undated=sum(1 for r in rows if not r["date"]))
