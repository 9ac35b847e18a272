"""Event rows in a PLOVER-like layout: one per threat, and a table of claims beside it
(docs/events.md describes each column).

A row keeps the ids it was coded with; the canonical names, countries and sectors are joined
in from the actor book each time the tables are written, so a later document that renames a
canonical actor (a more frequent name) never leaves old rows stale, and no row is recoded.
"""

from __future__ import annotations

from typing import Any

from ..schema import CAMEO_BY_CATEGORY, Claim, Extraction, Threat
from .actors import ActorBook
from .entities import CanonicalActor
from .words import ORG_SECTOR, ROLE_SECTOR, TYPE_SECTOR

PLOVER_THREATEN = "THREATEN"

_HEAD: list[tuple[str, str]] = [
    ("event_id", "str"), ("document_id", "str"), ("date", "date"), ("document_title", "str"),
    ("publisher", "str")]
_TAIL: list[tuple[str, str]] = [
    ("quote", "str"), ("quote_start", "int"), ("quote_end", "int"), ("alignment", "str"),
    ("origin", "str"), ("local_id", "str"), ("prompt_id", "str"), ("prompt_version", "int"),
    ("prompt_hash", "str"), ("model", "str"), ("provider", "str"),
    ("extractor_version", "str")]
# (name, type) in table order; "list" columns hold one value per actor.
COLUMNS: list[tuple[str, str]] = [
    *_HEAD, ("source_id", "str"), ("source_name", "str"), ("source_country", "str"),
    ("source_sector", "str"), ("source_type", "str"), ("target_ids", "list"),
    ("target_names", "list"), ("target_countries", "list"), ("target_sectors", "list"),
    ("reported_by_ids", "list"), ("reported_by_names", "list"), ("event_type", "str"),
    ("cameo", "str"), ("category", "str"), ("action", "str"), ("conditional", "bool"),
    ("condition", "str"), *_TAIL]
CLAIM_COLUMNS: list[tuple[str, str]] = [
    *_HEAD, ("claimant_id", "str"), ("claimant_name", "str"), ("claimant_country", "str"),
    ("claimant_sector", "str"), ("claimant_type", "str"), ("about_ids", "list"),
    ("about_names", "list"), ("about_countries", "list"), ("about_sectors", "list"),
    ("reported_by_ids", "list"), ("reported_by_names", "list"), ("event_type", "str"),
    ("claim_type", "str"), ("statement", "str"), *_TAIL]
# PLOVER event types a claim is, where its type says so; other claims are not events.
PLOVER_BY_CLAIM = {"accusation": "ACCUSE"}
_ONE = {"source": "source_id", "claimant": "claimant_id"}
_MANY = {"target": "target_ids", "about": "about_ids", "reported_by": "reported_by_ids"}


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


def _common(doc: str, ex: Extraction, item: Threat | Claim) -> dict[str, Any]:
    d, p, ev = ex.document, ex.provenance, item.evidence
    return {"event_id": f"{doc}:{item.id}", "document_id": doc,
            "date": d.published_at.isoformat() if d.published_at else None,
            "document_title": d.title, "publisher": d.publisher,
            "quote": ev.text or ev.quote, "quote_start": ev.start, "quote_end": ev.end,
            "alignment": ev.alignment, "origin": item.origin, "local_id": item.id,
            "prompt_id": p.prompt_id, "prompt_version": p.prompt_version,
            "prompt_hash": p.prompt_hash, "model": p.model, "provider": p.provider,
            "extractor_version": p.extractor_version}


def threat_rows(doc: str, ex: Extraction, ids: dict[str, str]) -> list[dict[str, Any]]:
    """One row per threat of one document; `ids` maps its actor ids to canonical ones."""
    return [{**_common(doc, ex, t), "source_id": ids[t.speaker],
             "target_ids": [ids[x] for x in t.targets],
             "reported_by_ids": [ids[x] for x in t.reported_by],
             "event_type": PLOVER_THREATEN,
             "cameo": t.cameo or CAMEO_BY_CATEGORY.get(t.category, "130"),
             "category": t.category, "action": t.action or None,
             "conditional": t.conditional, "condition": t.condition} for t in ex.threats]


def claim_rows(doc: str, ex: Extraction, ids: dict[str, str]) -> list[dict[str, Any]]:
    """One row per claim of one document (a claim the text gives no quote for keeps an
    empty quote, alignment "unaligned")."""
    return [{**_common(doc, ex, c), "claimant_id": ids[c.claimant],
             "about_ids": [ids[x] for x in c.about],
             "reported_by_ids": [ids[x] for x in c.reported_by],
             "event_type": PLOVER_BY_CLAIM.get(c.type), "claim_type": c.type,
             "statement": c.statement} for c in ex.claims]


def joined(rows: list[dict[str, Any]], book: ActorBook,
           columns: list[tuple[str, str]] = COLUMNS) -> list[dict[str, Any]]:
    """The rows with the canonical actors' current names, countries and sectors, in
    column order."""
    info = {cid: (a.name, a.country, sector(book, a), a.type) for cid, a in book.actors.items()}
    out = []
    for r in rows:
        full = dict(r)
        for prefix, key in _ONE.items():
            if key in r:
                name, country, sec, kind = info[r[key]]
                full |= {f"{prefix}_name": name, f"{prefix}_country": country,
                         f"{prefix}_sector": sec, f"{prefix}_type": kind}
        for prefix, key in _MANY.items():
            if key in r:
                many = [info[x] for x in r[key]]
                full |= {f"{prefix}_names": [a[0] for a in many],
                         f"{prefix}_countries": [a[1] or "" for a in many],
                         f"{prefix}_sectors": [a[2] or "" for a in many]}
        out.append({name: full.get(name) for name, _ in columns})
    return out
