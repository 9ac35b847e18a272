"""Actor registry: entity mentions -> one actor per real-world entity, and name -> actor id.

Folding is by evidence the text or a kept gazetteer gives: a title before a name ("Minister
Dragan Milić" is Dragan Milić), a family name for the one person who bears it, initials of a
name the text spells out, a capital for its state, a short form for a country. The model types
the actors and may fold more (its `actor_types` answer), never invent one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import lexicon
from ..gazetteer import countries, state_of
from ..linguistics import Mention

ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP", "PROPN")
_LABEL_TYPE = {"PERSON": "person", "GPE": "state", "ORG": "organization", "NORP": "other",
               "PROPN": "other"}


def norm(name: str) -> str:
    """Matching form: case, punctuation, a leading 'the' and a possessive 's ignored."""
    s = name.lower().replace("’", "'").strip()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"[^\w\s-]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def split_title(name: str) -> tuple[str, str | None]:
    """("Foreign Minister Dragan Milić") -> ("Dragan Milić", "Foreign Minister")."""
    words = name.split()
    i = 0
    while i < len(words) - 2 + 1 and len(words) - i > 1 and (
            words[i].lower().rstrip(".") in lexicon.PERSON_NOUNS
            or words[i].lower() in lexicon.TITLE_QUALIFIERS):
        i += 1
    if i == 0 or len(words) - i < 1:
        return name, None
    return " ".join(words[i:]), " ".join(words[:i])


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", name)).upper()


@dataclass
class Entry:
    key: str
    name: str
    label: str
    forms: dict[str, int] = field(default_factory=dict)  # surface form -> count
    role: str | None = None
    affiliation: str | None = None  # an entry key
    type: str | None = None  # from the model's typing answer, a gazetteer or the label
    typed_by: str | None = None  # the model pass that gave `type`, if one did
    origin: str = "linguistics:entities"
    deps: list[str] = field(default_factory=list)  # how each mention attaches in its sentence
    changed_by: list[str] = field(default_factory=list)

    def add(self, form: str) -> None:
        self.forms[form] = self.forms.get(form, 0) + 1
        if len(form) > len(self.name) and self.label != "PERSON":
            self.name = form


class Registry:
    """Actors of one article, built from its mentions; `find` maps any name to an entry."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self._alias: dict[str, str] = {}  # normalized form -> entry key
        self._moved: dict[str, str] = {}  # merged-away key -> the key it went into

    def live(self, entry: Entry) -> Entry:
        """The entry `entry` is now part of (itself unless it was merged away)."""
        key = entry.key
        while key in self._moved:
            key = self._moved[key]
        return self.entries[key]

    def find(self, name: str | None) -> Entry | None:
        if not name:
            return None
        k = norm(split_title(name)[0])
        key = self._alias.get(k) or self._alias.get(norm(name))
        if key is None and len(k.split()) == 1:
            key = self._family(k)
        return self.entries.get(key) if key else None

    def _family(self, word: str) -> str | None:
        hits = set()
        for e in self.entries.values():
            parts = norm(e.name).split()
            if e.label == "PERSON" and len(parts) > 1 and word in parts:  # "Cordoba" in
                # "Arley Cordoba Mina": Spanish and Portuguese names carry two surnames
                hits.add(e.key)
        return hits.pop() if len(hits) == 1 else None

    def _link(self, form: str, key: str) -> None:
        self._alias.setdefault(norm(form), key)

    def add(self, mention: Mention, origin: str = "linguistics:entities") -> Entry | None:
        if mention.label not in ACTOR_LABELS:
            return None
        text, role = split_title(mention.text) if mention.label == "PERSON" else (
            mention.text, None)
        text = text.strip(" -–—,;:")
        if not norm(text) or (mention.label == "GPE" and re.search(r"\s(and|&)\s", text)):
            return None  # "North and South Korea" names two states, each found on its own
        entry = self.find(text)
        state = None
        if mention.label in ("GPE", "ORG", "PROPN"):
            state = state_of(text)
            if entry is None and state:
                entry = self.find(state)
        if entry is None and text.isupper() and 2 <= len(text) <= 6:
            entry = next((e for e in self.entries.values() if _initials(e.name) == text
                          and len(e.name.split()) > 1), None)
        if entry is None:
            key = f"k{len(self.entries) + 1}"
            entry = self.entries[key] = Entry(key=key, name=text, label=mention.label,
                                              origin=origin)
        entry.add(text)
        if mention.dep:
            entry.deps.append(mention.dep)
        if role and not entry.role:
            entry.role = role
        self._link(text, entry.key)
        self._link(mention.text, entry.key)
        if state:  # a country, its short form or its capital: one state
            self._link(state, entry.key)
            capital = countries()[state][1]
            if capital:
                self._link(capital, entry.key)
            entry.label = "GPE"
        return entry

    def merge(self, keep: str, drop: str) -> None:
        """Fold entry `drop` into `keep` (the model said they are one)."""
        if keep == drop or keep not in self.entries or drop not in self.entries:
            return
        a, b = self.entries[keep], self.entries.pop(drop)
        for form, n in b.forms.items():
            a.forms[form] = a.forms.get(form, 0) + n
        a.role = a.role or b.role
        a.deps += b.deps
        self._moved[drop] = keep
        for k, v in list(self._alias.items()):
            if v == drop:
                self._alias[k] = keep

    def fold_initials(self) -> None:
        """"DPRK" said before "Democratic People's Republic of Korea" is spelled out, and a
        family name met before the full name ("Lehtola" ... "Antti Lehtola")."""
        for e in list(self.entries.values()):
            if e.key in self.entries and len(e.name.split()) == 1 and e.label in (
                    "PERSON", "PROPN") and (key := self._family(norm(e.name))) and key != e.key:
                self.merge(key, e.key)
        for e in list(self.entries.values()):
            if e.key in self.entries and (whole := self._whole(e)) is not None:
                self.merge(whole.key, e.key)
        for e in list(self.entries.values()):
            if e.key in self.entries and e.name.isupper() and 2 <= len(e.name) <= 6:
                full = next((o for o in self.entries.values() if o is not e
                             and len(o.name.split()) > 1 and _initials(o.name) == e.name), None)
                if full is not None:
                    self.merge(full.key, e.key)

    def _whole(self, e: Entry) -> Entry | None:
        """The one longer name `e` is a part of: a person's later words ("Abu Dhraa" of
        "Salem Abu Dhraa"), a body's head-final tail ("Foreign Ministry" of "Polish Foreign
        Ministry") or its head before a prepositional phrase ("United Nations Support
        Mission" of "... in Libya"). Never "United Nations" of "United Nations Support
        Mission": what follows it is no prepositional phrase."""
        words = norm(e.name).split()
        if len(words) < 2 or e.label not in ("PERSON", "PROPN", "ORG"):
            return None
        hits = []
        for o in self.entries.values():
            other = norm(o.name).split()
            if o is e or len(other) <= len(words) or (o.label == "PERSON") != (
                    e.label in ("PERSON", "PROPN")):
                continue
            tail = other[-len(words):] == words
            head = other[:len(words)] == words and other[len(words)] in lexicon.PREPOSITIONS
            if tail or (head and e.label == "ORG"):
                hits.append(o)
        return hits[0] if len(hits) == 1 else None

    def context_names(self) -> list[Entry]:
        return list(self.entries.values())
