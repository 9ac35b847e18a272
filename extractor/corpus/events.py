"""Event rows in a PLOVER-like layout: one per threat (docs/events.md describes each column).

A row keeps the ids it was coded with; the canonical names, countries and sectors are joined
in from the actor book each time the tables are written, so a later document that renames a
canonical actor (a more frequent name) never leaves old rows stale, and no row is recoded.
"""

from __future__ import annotations

from typing import Any

from ..schema import CAMEO_BY_CATEGORY, Extraction
from .actors import ActorBook
from .entities import CanonicalActor
from .words import ORG_SECTOR, ROLE_SECTOR, TYPE_SECTOR

PLOVER_THREATEN = "THREATEN"

# (name, type) in table order; "list" columns hold one value per target.
COLUMNS: list[tuple[str, str]] = [
    ("event_id", "str"), ("document_id", "str"), ("date", "date"), ("document_title", "str"),
    ("publisher", "str"), ("source_id", "str"), ("source_name", "str"),
    ("source_country", "str"), ("source_sector", "str"), ("source_type", "str"),
    ("target_ids", "list"), ("target_names", "list"), ("target_countries", "list"),
    ("target_sectors", "list"), ("reported_by_ids", "list"), ("reported_by_names", "list"),
    ("event_type", "str"), ("cameo", "str"), ("category", "str"), ("action", "str"),
    ("conditional", "bool"), ("condition", "str"), ("quote", "str"), ("quote_start", "int"),
    ("quote_end", "int"), ("alignment", "str"), ("origin", "str"), ("local_id", "str"),
    ("prompt_id", "str"), ("prompt_version", "int"), ("prompt_hash", "str"), ("model", "str"),
    ("provider", "str"), ("extractor_version", "str"),
]
JOINED = ("source_name", "source_country", "source_sector", "source_type", "target_names",
          "target_countries", "target_sectors", "reported_by_names")


def _first(table: tuple[tuple[str, Any], ...], text: str | None) -> str | None:
    return next((code for code, rx in table if text and rx.search(text)), None)


def sector(book: ActorBook, actor: CanonicalActor, _depth: int = 0) -> str | None:
    """GOV, MIL, REB, COP, JUD, BUS, MED, IGO, ... from type and role: a person takes the
    sector of what they speak for, else their role's; an organisation its name's."""
    kind = actor.type
    if kind in TYPE_SECTOR:
        return TYPE_SECTOR[kind]
    if kind == "organization":
        return _first(ORG_SECTOR, actor.name) or "BUS"
    if kind == "person":
        aff = book.actors.get(actor.latest("affiliation_id") or "")
        if aff is not None and aff.type != "person" and _depth == 0:
            return sector(book, aff, 1)
        return (_first(ROLE_SECTOR, actor.latest("role"))
                or _first(ORG_SECTOR, actor.latest("affiliation")) or "CVL")
    return None


def threat_rows(doc: str, ex: Extraction, ids: dict[str, str]) -> list[dict[str, Any]]:
    """One row per threat of one document; `ids` maps its actor ids to canonical ones."""
    d, p = ex.document, ex.provenance
    rows = []
    for t in ex.threats:
        ev = t.evidence
        rows.append({
            "event_id": f"{doc}:{t.id}", "document_id": doc,
            "date": d.published_at.isoformat() if d.published_at else None,
            "document_title": d.title, "publisher": d.publisher,
            "source_id": ids[t.speaker], "target_ids": [ids[x] for x in t.targets],
            "reported_by_ids": [ids[x] for x in t.reported_by],
            "event_type": PLOVER_THREATEN,
            "cameo": t.cameo or CAMEO_BY_CATEGORY.get(t.category, "130"),
            "category": t.category, "action": t.action or None, "conditional": t.conditional,
            "condition": t.condition, "quote": ev.text or ev.quote, "quote_start": ev.start,
            "quote_end": ev.end, "alignment": ev.alignment, "origin": t.origin,
            "local_id": t.id, "prompt_id": p.prompt_id, "prompt_version": p.prompt_version,
            "prompt_hash": p.prompt_hash, "model": p.model, "provider": p.provider,
            "extractor_version": p.extractor_version})
    return rows


def joined(rows: list[dict[str, Any]], book: ActorBook) -> list[dict[str, Any]]:
    """The rows with the canonical actors' current names, countries and sectors, in
    column order."""
    sectors = {cid: sector(book, a) for cid, a in book.actors.items()}
    out = []
    for r in rows:
        src = book.actors[r["source_id"]]
        targets = [book.actors[x] for x in r["target_ids"]]
        extra = {"source_name": src.name, "source_country": src.country,
                 "source_sector": sectors[src.id], "source_type": src.type,
                 "target_names": [a.name for a in targets],
                 "target_countries": [a.country or "" for a in targets],
                 "target_sectors": [sectors[a.id] or "" for a in targets],
                 "reported_by_names": [book.actors[x].name for x in r["reported_by_ids"]]}
        full = {**r, **extra}
        out.append({name: full.get(name) for name, _ in COLUMNS})
    return out
