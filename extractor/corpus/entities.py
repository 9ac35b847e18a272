"""Canonical actors as data: the document actors (members) they are built from, and what
they say (name, type, country, roles, alias counts, mentions), all derived from the members,
so adding or dropping a document never recomputes the others."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..resolver import norm_name

FIRST = "first seen"
FAMILY = "title + family name in the same document"


@dataclass
class Member:
    """One document's actor, as it joined its canonical entity, and why."""

    doc: str
    local: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    affiliation_id: str | None = None
    country: str | None = None
    mentions: int = 0
    date: str | None = None
    seq: int = 0  # order documents joined the corpus: breaks ties between equal dates
    reason: str = FIRST
    detail: str = ""

    @property
    def when(self) -> tuple[str, int]:
        return (self.date or "", self.seq)


def _most(values: list[str], order: list[Any]) -> str | None:
    """The most frequent value; on a tie the one seen first."""
    counts = Counter(values)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v, _ in sorted(zip(values, order, strict=True), key=lambda x: x[1])
                if counts[v] == best)


@dataclass
class CanonicalActor:
    id: str
    members: list[Member] = field(default_factory=list)
    state: str | None = None  # alpha-3, when it is a state named as one

    @property
    def name(self) -> str:
        return _most([m.name for m in self.members], [m.when for m in self.members]) or self.id

    @property
    def type(self) -> str:
        known = [m for m in self.members if m.type != "other"] or self.members
        return _most([m.type for m in known], [m.when for m in known]) or "other"

    @property
    def country(self) -> str | None:
        if self.state:
            return self.state
        ms = [m for m in self.members if m.country]
        return _most([m.country for m in ms if m.country], [m.when for m in ms])

    def latest(self, attr: str) -> Any:
        """The value of the most recent member (by date, then arrival) that has one."""
        ms = sorted((m for m in self.members if getattr(m, attr)), key=lambda m: m.when)
        return getattr(ms[-1], attr) if ms else None

    @property
    def roles(self) -> list[dict[str, str | None]]:
        """Each role in date order, with the document that first gave it: a title change."""
        out: list[dict[str, str | None]] = []
        for m in sorted((m for m in self.members if m.role), key=lambda m: m.when):
            if not out or norm_name(out[-1]["role"] or "") != norm_name(m.role or ""):
                out.append({"role": m.role, "since": m.date, "document": m.doc})
        return out

    @property
    def names(self) -> dict[str, int]:
        """Name and every alias seen, with the number of documents that used it."""
        c: Counter[str] = Counter()
        by_doc: dict[str, set[str]] = defaultdict(set)
        for m in self.members:
            by_doc[m.doc].update([m.name, *m.aliases])
        for forms in by_doc.values():
            c.update(forms)
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def mentions(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for m in self.members:
            out[m.doc] += m.mentions
        return dict(out)

    def record(self, sector: str | None = None) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "country": self.country,
                "state": self.state, "sector": sector, "role": self.latest("role"),
                "roles": self.roles, "affiliation": self.latest("affiliation"),
                "affiliation_id": self.latest("affiliation_id"), "names": self.names,
                "documents": len(self.mentions), "mentions": self.mentions,
                "merges": [{"document": m.doc, "local_id": m.local, "name": m.name,
                            "reason": m.reason, "detail": m.detail}
                           for m in self.members if m.reason != FIRST],
                "members": [{**vars(m), "aliases": list(m.aliases)} for m in self.members]}

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> CanonicalActor:
        members = [Member(**m) for m in rec["members"]]
        return cls(rec["id"], members, rec.get("state"))
