"""Raw model items -> grounded, deduplicated result items with actor ids.

Everything here is deterministic and model-free: actors are merged across chunks, names are
resolved to actor ids, quotes are aligned to the source, and whatever cannot be grounded or
resolved is dropped and reported as a warning (never silently, never as grounded).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .documents import Document
from .gazetteer import states_in
from .grounding import Aligner
from .rules import (
    RULES,
    Sentences,
    conditional,
    definite_source,
    guess_category,
    guess_claim_type,
    has_attribution,
    has_attribution_verb,
    has_threat_cues,
    is_appeal,
    is_media_name,
    looks_like_person,
    named_source,
    organizations,
    pronoun_source,
    quoted_title,
    short_source,
    source_position,
    speaking_for,
    strip_titles,
    threat_verb,
    titled_people,
)
from .schema import (
    CAMEO_BY_CATEGORY,
    Actor,
    ActorItem,
    ActorType,
    Claim,
    ClaimItem,
    Evidence,
    Notice,
    Span,
    Threat,
    ThreatItem,
)


def norm_name(name: str) -> str:
    """Key for name matching: case, punctuation, a leading 'the' and possessive 's ignored."""
    s = name.lower().replace("’", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"^\s*the\s+", "", s)
    return " ".join(s.split())


_PAREN = re.compile(r"^(?:the\s+)?(.+?)\s*\(([^()]+)\)$", re.IGNORECASE)
_BASED = re.compile(r"^(?:the\s+)?[A-Z][\w-]*-based\s+", re.IGNORECASE)


def _split_forms(name: str) -> list[str]:
    """"The International Energy Agency (IEA)" -> its two forms; "Vilnius-based X" -> X."""
    name = name.strip()
    if m := _PAREN.match(name):
        return [m.group(1), m.group(2)]
    if m := _BASED.match(name):
        return [name[m.end():], name]
    return [name]


_PROPER = re.compile(r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|bin|al|da|di|le))*$")


def _proper_name(name: str, forms: list[str]) -> str:
    """A person's proper name without the title a model wrapped it in: "Finland's economy
    minister, Antti Lehtola" -> "Antti Lehtola" (a form the text also uses)."""
    titled = [f for f in forms if len(f.split()) >= 2 and name.endswith(" " + f)
              and len(name.split()) - len(f.split()) >= 2]
    if titled:  # "Estonian Prime Minister Liisa Kask" with "Liisa Kask" among the forms
        return max(titled, key=len)
    if _PROPER.match(name) and "," not in name:
        return name
    inside = [f for f in forms if f != name and len(f.split()) >= 2 and _PROPER.match(f)
              and f in name]
    if not inside and "," in name:
        tail = name.rsplit(",", 1)[1].strip()
        inside = [tail] if _PROPER.match(tail) and len(tail.split()) >= 2 else []
    return max(inside, key=len) if inside else name


@dataclass
class Raw:
    """What the passes returned, over all chunks."""

    actors: list[ActorItem] = field(default_factory=list)
    threats: list[ThreatItem] = field(default_factory=list)
    claims: list[ClaimItem] = field(default_factory=list)


@dataclass
class Resolved:
    actors: list[Actor]
    threats: list[Threat]
    claims: list[Claim]
    warnings: list[Notice]


class Resolver:
    def __init__(self, doc: Document, *, keep_unaligned: bool = False,
                 fuzzy_threshold: float = 88.0, rules: Iterable[str] = ()) -> None:
        self.doc = doc
        self.rules = frozenset(rules)
        unknown = self.rules - set(RULES)
        if unknown:
            raise ValueError(f"unknown rules {sorted(unknown)}; known {list(RULES)}")
        self.sentences = Sentences(doc.sentences(), doc.text)
        self.keep_unaligned = keep_unaligned
        self.aligner = Aligner(doc.text, threshold=fuzzy_threshold, exclude=doc.furniture)
        self._content_norm = norm_name(doc.body)
        self.actors: list[Actor] = []
        self._keys: dict[str, str] = {}
        self._mention_memo: dict[tuple[str, ...], list[Span]] = {}
        self._by_reference: set[str] = set()  # actors added only because an item named them
        self._restatements: list[Evidence] = []  # passages merged into another threat
        self.warnings: list[Notice] = []

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(Notice(code=code, message=message))

    # -- actors

    def _in_text(self, name: str) -> bool:
        key = norm_name(name)
        pattern = rf"(?<!\w){re.escape(key)}(?!\w)"
        return bool(key) and re.search(pattern, self._content_norm) is not None

    def _family_keys(self) -> dict[str, str]:
        """Last word of a person's name -> id, where no other actor shares it."""
        return self._name_word_keys(-1)

    def _name_word_keys(self, index: int) -> dict[str, str]:
        seen: dict[str, list[str]] = {}
        for a in self.actors:
            words = norm_name(a.name).split()
            if a.type == "person" and len(words) > 1:
                seen.setdefault(words[index], []).append(a.id)
        return {k: v[0] for k, v in seen.items() if len(v) == 1}

    def lookup(self, name: str) -> str | None:
        """Actor id for a surface form: exact key, a person's family name, or a longer form
        that holds exactly one actor's full name ("Norvane chief executive Martin Osei")."""
        key = norm_name(name)
        if not key:
            return None
        if key in self._keys:
            return self._keys[key]
        if found := self._family_keys().get(key):
            return found
        if " " not in key and (found := self._name_word_keys(0).get(key)) and \
                key not in self._family_keys():
            return found  # a family name written first ("No" for No Kwang Chol)
        # the head of an appositive comes last: "North Korea's defense minister, No Kwang Chol"
        ends: dict[int, set[str]] = {}
        for k, i in self._keys.items():
            if " " in k and (m := re.search(rf"(?<!\w){re.escape(k)}(?!\w)", key)):
                ends.setdefault(m.end(), set()).add(i)
        last = ends.get(max(ends, default=-1), set())
        return last.pop() if len(last) == 1 else None

    def add_actor(self, item: ActorItem) -> str | None:
        forms = [*_split_forms(item.name), *item.aliases]
        grounded = [f for f in forms if self._in_text(f)]
        publisher = self.doc.meta.publisher
        if publisher and norm_name(item.name) == norm_name(publisher):
            return None
        if not grounded:
            self.warn("actor_not_in_text", f"dropped actor '{item.name}': not in the article")
            return None
        existing = next((i for f in grounded if (i := self.lookup(f))), None)
        if existing:
            actor = next(a for a in self.actors if a.id == existing)
            for f in grounded:
                if norm_name(f) not in {norm_name(x) for x in [actor.name, *actor.aliases]}:
                    actor.aliases.append(f)
                self._keys.setdefault(norm_name(f), actor.id)
            return existing
        name = forms[0] if forms[0] in grounded else grounded[0]
        if item.type == "person":
            name = _proper_name(name, grounded)
        actor = Actor(
            id=f"a{len(self.actors) + 1}",
            name=name,
            type=item.type,
            aliases=[f for f in dict.fromkeys(grounded) if norm_name(f) != norm_name(name)],
            role=item.role or None,
            affiliation=item.affiliation or None,
            country=(item.country or "").upper() or None,
        )
        self.actors.append(actor)
        for f in [actor.name, *actor.aliases]:
            self._keys.setdefault(norm_name(f), actor.id)
        return actor.id

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def ref(self, name: str, what: str) -> str | None:
        """Actor id for a name the model used; adds an actor the actor pass missed when the
        name stands in the text, otherwise None with a warning."""
        found = self.lookup(name)
        if found:
            return found
        if (group := speaking_for(name)) and self._in_text(group):
            return self.ref(group, what)
        publisher = self.doc.meta.publisher
        if self._in_text(name) and not (publisher and norm_name(name) == norm_name(publisher)):
            self.warn("actor_added", f"'{name}' ({what}) was not in the actor list; added it")
            kind: ActorType = "person" if looks_like_person(_proper_name(name, [name])) \
                else "other"
            known = {a.id for a in self.actors}
            added = self.add_actor(ActorItem(name=name, type=kind, aliases=[], role=None,
                                             affiliation=None, country=None))
            if added and added not in known and "drop_unused" in self.rules:
                self._by_reference.add(added)
            return added
        self.warn("unknown_actor", f"dropped reference '{name}' ({what}): not in the article")
        return None

    def refs(self, names: Iterable[str], what: str) -> list[str]:
        """Ids for secondary references (targets, reported_by, about): these never add an
        actor, since models put places and events there."""
        ids = []
        for n in names:
            found = self.lookup(n)
            if not found and what == "reported_by" and is_media_name(n) and self._in_text(n):
                found = self.add_actor(ActorItem(name=n, type="media", aliases=[], role=None,
                                                 affiliation=None, country=None))
            if found:
                ids.append(found)
            else:
                self.warn("unknown_actor", f"dropped reference '{n}' ({what}): not an actor")
        return list(dict.fromkeys(ids))

    def _source_by_verb(self, ev: Evidence, current: str) -> str:
        """The actor the evidence's sentence attributes it to, else `current`."""
        if "source_by_verb" not in self.rules:
            return current
        lo, hi = self.sentences.around(ev.start, ev.end)
        return self._speaker_at(lo, hi) or current

    def _speaker_at(self, lo: int, hi: int, follow: bool = True) -> str | None:
        """Who a sentence quotes or reports: a mention a reporting verb ties ("Obi said",
        "according to the ministry", "KCNA quoted No as saying"); for "..., he said" the last
        person named just before; for an unattributed sentence that opens a quote, the
        source of the next sentence, which closes it."""
        found, owners = self._in_sentence(lo, hi)
        sentence = self.doc.text[lo:hi]
        if (word := short_source(sentence)) and (person := self._person_by_word(word)):
            return person
        if title := quoted_title(sentence):
            titled = {a.id for a in self.actors if a.type == "person" and title in
                      (a.role or "").lower()}
            if len(titled) == 1:
                return titled.pop()
        pos = source_position(sentence, found)
        if pos is not None:
            return owners[pos]
        if pronoun_source(sentence):
            return self._last_person_before(lo)
        if (head := definite_source(sentence)) and (named := self._last_named(head, lo)):
            return named
        if span := named_source(sentence):
            name = strip_titles(sentence[span[0]:span[1]])
            return self.lookup(name) or self.ref(name, "source by verb")
        if follow and sentence.lstrip()[:1] in "\"“" and not has_attribution_verb(sentence):
            i = self.sentences.index(lo)
            if i is not None and i + 1 < len(self.sentences.spans):
                return self._speaker_at(*self.sentences.spans[i + 1], follow=False)
        return None

    def _last_named(self, head: str, lo: int) -> str | None:
        """The one actor whose name holds `head` ("union" -> "Allied Transport Workers'
        Union"), named before offset `lo`."""
        ids = {a.id for a in self.actors if head in norm_name(a.name).split()
               and any(m.start < lo for m in self._mentions(a))}
        return ids.pop() if len(ids) == 1 else None

    def _last_person_before(self, lo: int, window: int = 3) -> str | None:
        """The last person named in the `window` sentences before offset `lo`."""
        i = self.sentences.index(lo) or 0
        for s, e in reversed(self.sentences.spans[max(i - window, 0):i]):
            found, owners = self._in_sentence(s, e)
            people = [o for o, f in zip(owners, found, strict=True) if f[2]]
            if people:
                return people[-1]
        return None

    def _in_sentence(self, lo: int, hi: int) -> tuple[list[tuple[int, int, bool]], list[str]]:
        """Mentions in [lo, hi) as (start, end, is_person) relative to lo, with their actor
        ids: a person also by family name (LABELLING.md), and a name inside a longer one
        ("Colombia" in "UN Human Rights Office in Colombia") left to the longer one."""
        last = [a.name.split()[-1] for a in self.actors if a.type == "person"]
        hits: list[tuple[int, int, bool, str]] = []
        for a in self.actors:
            forms = [a.name, *a.aliases]
            family = a.name.split()[-1]
            if a.type == "person" and len(family) > 2 and last.count(family) == 1:
                forms.append(family)
            for m in self._mentions_of(tuple(forms)):
                if lo <= m.start and m.end <= hi:
                    hits.append((m.start - lo, m.end - lo, a.type == "person", a.id))
        kept = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o[3] != h[3]
                                           and (o[1] - o[0]) > (h[1] - h[0]) for o in hits)]
        return [(s, e, p) for s, e, p, _ in kept], [i for *_, i in kept]

    def _mentions(self, actor: Actor) -> list[Span]:
        return self._mentions_of((actor.name, *actor.aliases))

    def _mentions_of(self, forms: tuple[str, ...]) -> list[Span]:
        """An actor's mentions, scanned once per set of surface forms (the rules ask for them
        for every item, and aliases can grow while items resolve)."""
        if forms not in self._mention_memo:
            self._mention_memo[forms] = self.aligner.mentions(forms)
        return self._mention_memo[forms]

    def _person_by_word(self, word: str) -> str | None:
        """The one person whose name starts or ends with `word` ("No" -> No Kwang Chol)."""
        hits = {a.id for a in self.actors if a.type == "person"
                and word in (a.name.split()[0], a.name.split()[-1])}
        return hits.pop() if len(hits) == 1 else None

    def _people_from_text(self) -> None:
        """People the text introduces by title, which a small model's actor pass misses."""
        for s, e in self.doc.content:
            for name, title in titled_people(self.doc.text[s:e]):
                if not self.lookup(name):
                    self.add_actor(ActorItem(name=name, type="person", aliases=[],
                                             role=title, affiliation=None, country=None))
                    self.warn("actor_from_text", f"added '{name}' ({title}) from the text")

    def _states_from_text(self) -> None:
        """States the article names (by name, short form or capital) that no actor covers."""
        for forms in states_in(self.doc.body).values():
            if not any(self.lookup(f) for f in forms):
                self.warn("actor_from_text", f"added state '{forms[0]}' from the text")
            found = self.add_actor(ActorItem(name=forms[0], type="state", aliases=forms[1:],
                                             role=None, affiliation=None, country=None))
            actor = self.actor(found) if found else None
            if actor and norm_name(actor.name) in {norm_name(f) for f in forms}:
                actor.type = "state"  # the model's types for countries wander

    def _orgs_from_text(self) -> None:
        """Organizations the article names in full, with their bracketed acronyms."""
        for name, aliases in organizations(self.doc.body).items():
            if not self.lookup(name):
                self.warn("actor_from_text", f"added organization '{name}' from the text")
            self.add_actor(ActorItem(name=name, type="organization", aliases=aliases,
                                     role=None, affiliation=None, country=None))

    def _person_in(self, ev: Evidence, current: str) -> str:
        """The one person the evidence's sentence names, if the model gave a group instead."""
        actor = self.actor(current)
        if actor.type == "person" or "person_speaker" not in self.rules:
            return current
        lo, hi = self.sentences.around(ev.start, ev.end)
        people = [a.id for a in self.actors if a.type == "person" and any(
            lo <= m.start and m.end <= hi for m in self._mentions(a))]
        return people[0] if len(people) == 1 else current

    def _passes(self, rule: str, ev: Evidence, what: str) -> bool:
        if rule not in self.rules or ev.alignment == "unaligned":
            return True
        sentence = self.sentences.sentence(ev.start, ev.end)
        ok = has_threat_cues(sentence) if rule == "threat_cues" else has_attribution(sentence)
        if not ok:
            self.warn(f"rule_{rule}", f"dropped {what}: {sentence[:120]!r} fails {rule}")
        return ok

    # -- evidence

    def evidence(self, quote: str, what: str) -> Evidence | None:
        ev = self.aligner.align(quote)
        if ev is not None:
            return ev
        if self.keep_unaligned:
            self.warn("unaligned_kept", f"{what}: quote not found in the article, kept unaligned")
            return Evidence(start=0, end=0, text="", alignment="unaligned", score=0, quote=quote)
        self.warn("unaligned_dropped", f"dropped {what}: quote not found in the article: "
                  f"{quote[:120]!r}")
        return None

    @staticmethod
    def _overlaps(a: Evidence, b: Evidence) -> bool:
        return a.alignment != "unaligned" and a.start < b.end and b.start < a.end

    # -- the whole resolution

    def resolve(self, raw: Raw) -> Resolved:
        for item in raw.actors:
            self.add_actor(item)
        if "people_from_text" in self.rules:
            self._people_from_text()
        if "states_from_text" in self.rules:
            self._states_from_text()
        if "orgs_from_text" in self.rules:
            self._orgs_from_text()
        threats: list[Threat] = []
        for t in raw.threats:
            ev = self.evidence(t.quote, "threat")
            if ev is not None and "threat_cues" in self.rules and \
                    (nxt := self.sentences.introduced(ev.start, ev.end)):
                ev = ev.model_copy(update={"end": nxt[1], "text": self.doc.text[ev.start:nxt[1]]})
            if ev is None or not self._passes("threat_cues", ev, "threat"):
                continue
            speaker = self.ref(t.speaker, "threat speaker")
            if speaker is None:
                continue
            said = self._person_in(ev, self._source_by_verb(ev, speaker))
            reporters = self.refs(t.reported_by, "reported_by")
            if said != speaker:
                if self.actor(speaker).type == "media":
                    reporters.insert(0, speaker)
                speaker = said
            if any(x.speaker == speaker and self._overlaps(x.evidence, ev) for x in threats):
                continue
            targets = [i for i in self.refs(t.targets, "threat target") if i != speaker]
            if "merge_restated" in self.rules and self._restated(threats, speaker, targets, t,
                                                                 ev):
                continue
            threats.append(Threat(
                id=f"t{len(threats) + 1}", speaker=speaker,
                targets=targets,
                reported_by=[i for i in dict.fromkeys(reporters) if i != speaker],
                action=t.action, category=t.category, cameo=CAMEO_BY_CATEGORY.get(t.category),
                conditional=t.conditional,
                condition=(t.condition or None) if t.conditional else None,
                evidence=ev,
            ))
        claims: list[Claim] = []
        for c in raw.claims:
            ev = self.evidence(c.quote, "claim")
            if ev is None or not self._passes("claim_attribution", ev, "claim"):
                continue
            if "body_only" in self.rules and (head := self.doc.headline) and \
                    ev.start < head[1] and head[0] < ev.end:
                self.warn("rule_body_only", f"dropped claim in the headline: {ev.text[:80]!r}")
                continue
            claimant = self.ref(c.claimant, "claimant")
            if claimant is None:
                continue
            claimant = self._source_by_verb(ev, claimant)
            if any(x.claimant == claimant and self._overlaps(x.evidence, ev) for x in claims):
                continue
            claims.append(Claim(
                id=f"c{len(claims) + 1}", claimant=claimant, statement=c.statement, type=c.type,
                about=self.refs(c.about, "claim about"),
                reported_by=[i for i in self.refs(c.reported_by, "reported_by") if i != claimant],
                evidence=ev,
            ))
        if "claims_to_threats" in self.rules:
            threats += self._threats_in_claims(claims, threats)
        if "threat_not_claim" in self.rules:
            # the labels file a threat's sentence once, as the threat
            claims = [c for c in claims if c.type in ("denial", "accusation") or not any(
                self._overlaps(e, c.evidence) for e in self._threat_spans(threats))]
        if "claims_from_attribution" in self.rules:
            claims += self._claims_from_attribution(claims, threats)
        if self._by_reference:
            self._drop_unused(threats, claims)
        for n, threat in enumerate(threats, 1):  # rules drop and add items: number afresh
            threat.id = f"t{n}"
        for n, claim in enumerate(claims, 1):
            claim.id = f"c{n}"
        for a in self.actors:
            a.mentions = self._mentions(a)
        return Resolved(self.actors, threats, claims, self.warnings)

    def _drop_unused(self, threats: list[Threat], claims: list[Claim]) -> None:
        """An actor added for a name an item gave (a speaker the rules then replaced by
        whom the text attributes the words to) is dropped once nothing refers to it."""
        used = {i for t in threats for i in (t.speaker, *t.targets, *t.reported_by)}
        used |= {i for c in claims for i in (c.claimant, *c.about, *c.reported_by)}
        for a in [a for a in self.actors if a.id in self._by_reference - used]:
            self.actors.remove(a)
            self.warn("actor_unused", f"dropped '{a.name}': added for a reference no item kept")

    def _direct(self, ev: Evidence) -> bool:
        """Evidence that opens with the speaker's own words in quotation marks."""
        return any(ch in "\"“‘'" for ch in self.doc.text[max(ev.start - 1, 0):ev.start + 1])

    def _threat_spans(self, threats: list[Threat]) -> list[Evidence]:
        return [t.evidence for t in threats] + self._restatements

    def _restated(self, threats: list[Threat], speaker: str, targets: list[str],
                  item: ThreatItem, ev: Evidence) -> bool:
        """The headline, the lead and the quote often state one threat three times: the same
        category, a like action, no conflicting targets, and the same speaker or a person
        for a group. The person is kept as the speaker, the direct quote as evidence, and
        the other passage is remembered as the threat's (so it is not taken for a claim)."""
        for x in threats:
            if x.category != item.category or (targets and x.targets and
                                               not set(targets) & set(x.targets)):
                continue
            if fuzz.token_set_ratio(x.action.lower(), item.action.lower()) < 70:
                continue
            people = {i for i in (x.speaker, speaker) if self.actor(i).type == "person"}
            if x.speaker != speaker and len(people) != 1:
                continue
            if people and x.speaker not in people:
                x.speaker = speaker
                x.reported_by = [i for i in x.reported_by if i != speaker]
            self._restatements.append(x.evidence)
            if self._direct(ev) and not self._direct(x.evidence):
                x.evidence = ev
            else:
                self._restatements.append(ev)
            return True
        return False

    def _claims_from_attribution(self, claims: list[Claim], threats: list[Threat]
                                 ) -> list[Claim]:
        """Each sentence a reporting verb ties to an actor ("X said", "according to X", "...,
        he said") holds a claim: the small model's claims pass lists a third of them. A
        threat's sentence is left to the threat."""
        found: list[Claim] = []
        for lo, hi in self.sentences.spans:
            sentence = self.doc.text[lo:hi]
            source = self._speaker_at(lo, hi)
            head = self.doc.headline
            if source is None or is_appeal(sentence) or self.doc.in_furniture(lo, hi) or (
                    head and head[0] <= lo < head[1]):
                continue
            ev = Evidence(start=lo, end=hi, text=sentence, alignment="exact", score=100.0,
                          quote=sentence)
            if any(c.claimant == source and self._overlaps(c.evidence, ev)
                   for c in claims + found) or any(self._overlaps(e, ev)
                                                   for e in self._threat_spans(threats)):
                continue
            kind = guess_claim_type(sentence)
            found.append(Claim(
                id=f"c{len(claims) + len(found) + 1}", claimant=source,
                statement=sentence[:200], type=kind,  # type: ignore[arg-type]
                about=[], reported_by=[], evidence=ev))
        if found:
            self.warn("claims_from_attribution",
                      f"{len(found)} claims added from sentences a reporting verb attributes")
        return found

    def _threats_in_claims(self, claims: list[Claim], threats: list[Threat]) -> list[Threat]:
        """A claim whose sentence announces a future harm ("warned it would sue anyone
        who...") is also a threat: small models file threats as claims."""
        found: list[Threat] = []
        for c in claims:
            sentence = self.sentences.sentence(c.evidence.start, c.evidence.end)
            if c.type in ("denial", "assessment", "factual") or not threat_verb(sentence):
                continue
            if not has_threat_cues(sentence):
                continue
            if any(self._overlaps(t.evidence, c.evidence) for t in threats + found):
                continue
            category = guess_category(sentence)
            found.append(Threat(
                id=f"t{len(threats) + len(found) + 1}", speaker=c.claimant, targets=c.about,
                reported_by=c.reported_by, action=c.statement,
                category=category,  # type: ignore[arg-type]
                cameo=CAMEO_BY_CATEGORY.get(category), conditional=conditional(sentence),
                evidence=c.evidence))
            self.warn("threat_from_claim", f"claim {c.id} also reported as a threat")
        return found
