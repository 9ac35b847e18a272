"""Actors resolved across documents into canonical entities, conservatively.

Each document's actor joins a canonical entity as a `Member`, with the reason it joined:
"same name", "capital of XXX" / "same country XXX" (a state named by its name, code or
capital), "alias" (a name-like alias shared), "title + family name in the same document", or
"first seen". A person's bare family name never joins anyone across documents, so two people
who share one stay two; an ambiguous match (two candidates) joins none. Everything a canonical
entity says (name, type, country, role, alias counts, mentions) is derived from its members,
so adding or dropping a document never recomputes the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from ..resolver import norm_name
from ..rules import looks_like_person, strip_titles
from ..schema import Actor, Extraction
from .countries import alpha3, identify, named_in
from .entities import FAMILY, FIRST, CanonicalActor, Member
from .words import TITLE_PREFIX, TITLE_WORDS


def _slug(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:40] or "actor"


def family_only(name: str) -> str | None:
    """"President Ceesay" -> "Ceesay": a person named by a single word after any title."""
    words = name.split()
    while len(words) > 1 and (TITLE_WORDS.fullmatch(words[0]) or TITLE_PREFIX.match(words[0])):
        words = words[1:]
    return words[0] if len(words) == 1 and words[0][:1].isupper() else None


def name_forms(a: Actor | Member) -> list[str]:
    """The forms that may join this actor to one in another document: a person's full names
    (titles stripped, no bare family names, no descriptions); for others, names of two or
    more words and acronyms."""
    out = []
    for form in [a.name, *a.aliases]:
        if a.type == "person":
            form = strip_titles(form)
            if looks_like_person(form) and not TITLE_WORDS.search(form):
                out.append(norm_name(form))
        elif len(norm_name(form).split()) >= 2 or re.fullmatch(r"[A-ZÀ-Ý]{2,}", form):
            out.append(norm_name(form))
    return list(dict.fromkeys(out))


class ActorBook:
    """Canonical actors and the indexes that match a new document's actors against them."""

    def __init__(self, actors: list[CanonicalActor] | None = None) -> None:
        self.actors: dict[str, CanonicalActor] = {a.id: a for a in actors or []}
        self._reindex()

    def _reindex(self) -> None:
        self._names: dict[str, set[str]] = defaultdict(set)
        self._forms: dict[str, set[str]] = defaultdict(set)
        self._states: dict[str, str] = {}
        self._seq = max((m.seq for a in self.actors.values() for m in a.members), default=0)
        for a in self.actors.values():
            self._index(a)

    def _index(self, a: CanonicalActor) -> None:
        if a.state:
            self._states.setdefault(a.state, a.id)
        for m in a.members:
            self._names[self._key(m)].add(a.id)
            for f in name_forms(m):
                self._forms[f].add(a.id)

    @staticmethod
    def _key(a: Actor | Member) -> str:
        return norm_name(strip_titles(a.name) if a.type == "person" else a.name)

    def _fits(self, m: Member, cid: str) -> bool:
        c = self.actors[cid]
        kinds = {m.type, c.type}
        if len(kinds) > 1 and "other" not in kinds:
            return False
        return not (m.country and c.country and m.country != c.country)

    def _match(self, m: Member, alias_ok: bool) -> tuple[str | None, str, str]:
        """(canonical id or None, reason, detail), trying name, state, then alias."""
        key = self._key(m)
        if m.type == "person" and len(key.split()) < 2:  # a bare family name joins no one
            return None, FIRST, "family name only"
        hits = {c for c in self._names.get(key, ()) if self._fits(m, c)}
        if len(hits) == 1:
            return hits.pop(), "same name", repr(m.name)
        if hits:
            return None, FIRST, "ambiguous name: " + ", ".join(sorted(hits))
        if m.type == "state" and (found := identify(m.name, demonyms=False)):
            iso, how = found
            if iso in self._states:
                why = f"capital of {iso}" if how == "capital" else f"same country {iso}"
                return self._states[iso], why, repr(m.name)
        if not alias_ok:
            return None, FIRST, ""
        by_form = {f: {c for c in self._forms.get(f, ()) if self._fits(m, c)}
                   for f in name_forms(m)}
        found_ids = set().union(*by_form.values()) if by_form else set()
        if len(found_ids) == 1:
            form = next(f for f, ids in by_form.items() if ids)
            return found_ids.pop(), "alias", repr(form)
        detail = "ambiguous alias: " + ", ".join(sorted(found_ids)) if found_ids else ""
        return None, FIRST, detail

    def _new_id(self, m: Member, state: str | None) -> str:
        base = state or _slug(strip_titles(m.name) if m.type == "person" else m.name)
        cid, n = base, 1
        while cid in self.actors:
            n += 1
            cid = f"{base}-{n}"
        return cid

    def _join(self, m: Member, cid: str | None) -> str:
        if cid is None:
            found = identify(m.name, demonyms=False) if m.type == "state" else None
            state = found[0] if found and found[0] not in self._states else None
            cid = self._new_id(m, state)
            self.actors[cid] = CanonicalActor(cid, [], state)
        self.actors[cid].members.append(m)
        self._index(CanonicalActor(cid, [m], self.actors[cid].state))
        return cid

    def add_document(self, doc: str, ex: Extraction) -> dict[str, str]:
        """Join every actor of one document; returns local actor id -> canonical id."""
        self._seq += 1
        date = ex.document.published_at.isoformat() if ex.document.published_at else None
        members = {a.id: Member(doc=doc, local=a.id, name=a.name, type=a.type,
                                aliases=list(a.aliases), role=a.role,
                                affiliation=a.affiliation, country=alpha3(a.country),
                                mentions=len(a.mentions), date=date, seq=self._seq)
                   for a in ex.actors}
        heads = self._family_heads(ex)
        for a in ex.actors:  # a state's name decides its country; people's from what they
            m = members[a.id]  # speak for, else from their role
            if m.type == "state" and (found := identify(a.name, demonyms=False)):
                m.country = found[0]
            elif m.type == "person" and not m.country:
                aff = self._local(ex, a.affiliation)
                m.country = (members[aff].country if aff else None) or named_in(a.role)
        mapping: dict[str, str] = {}
        for a in sorted(ex.actors, key=lambda a: a.id in heads):
            m = members[a.id]
            if a.id in heads:
                m.reason, m.detail = FAMILY, f"{a.name!r} -> {ex.actor(heads[a.id]).name!r}"
                mapping[a.id] = self._join(m, mapping[heads[a.id]])
                continue
            cid, m.reason, m.detail = self._match(m, alias_ok=True)
            mapping[a.id] = self._join(m, cid)
        for a in ex.actors:
            if a.affiliation and (aff := self._local(ex, a.affiliation)):
                members[a.id].affiliation_id = mapping[aff]
        return mapping

    @staticmethod
    def _local(ex: Extraction, name: str | None) -> str | None:
        """The actor of this document that `name` names (its name or an alias)."""
        if not name:
            return None
        key = norm_name(name)
        return next((a.id for a in ex.actors
                     if key in {norm_name(f) for f in [a.name, *a.aliases]}), None)

    @staticmethod
    def _family_heads(ex: Extraction) -> dict[str, str]:
        """Local id of a person named by title + family name -> the one person of the same
        document whose full name ends in that family name."""
        people = [a for a in ex.actors if a.type == "person"]
        out = {}
        for a in people:
            family = family_only(a.name)
            if not family:
                continue
            full = [b for b in people if b is not a and not family_only(b.name)
                    and norm_name(strip_titles(b.name)).split()[-1:] == [norm_name(family)]]
            if len(full) == 1:
                out[a.id] = full[0].id
        return out

    def remove_document(self, doc: str) -> None:
        """Drop one document's members (a re-extracted document is replaced); ids stay."""
        for cid in list(self.actors):
            a = self.actors[cid]
            a.members = [m for m in a.members if m.doc != doc]
            if not a.members:
                del self.actors[cid]
        self._reindex()
