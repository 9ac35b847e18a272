"""Tokens of the parse -> mentions: an entity's span, a speaker's noun phrase and the name
inside it (its affiliation), and who a document is by. Shared by attribution and antecedents.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import lexicon
from .analysis import Mention

Token = Any  # spacy.tokens.Token; kept untyped so this module imports without spaCy
Span = Any

_NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART")
_ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def child(tok: Token, *deps: str, lower: str | None = None) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps and (lower is None or c.lower_ == lower):
            return c
    return None


def span_of(tokens: Iterable[Token], off: int) -> tuple[int, int]:
    toks = list(tokens)
    return off + toks[0].idx, off + toks[-1].idx + len(toks[-1].text)


def entity_mention(ent: Span, off: int) -> Mention:
    """An entity span without a trailing possessive ("North Korea's" -> "North Korea")."""
    toks = [t for t in ent if t.tag_ != "POS" and t.text not in ("'s", "’s")]
    toks = toks or list(ent)
    if ent.label_ == "PERSON":  # NER often drops a leading name: "No [Kwang Chol]"
        while (toks[0].i > 0 and (prev := toks[0].nbor(-1)).pos_ == "PROPN"
               and prev.dep_ == "compound" and prev.head in ent and not prev.ent_type_):
            toks.insert(0, prev)
    if toks[0].lower_ == "the" and len(toks) > 1:
        toks = toks[1:]
    s, e = span_of(toks, off)
    root = ent.root
    dep = f"pobj:{root.head.lower_}" if root.dep_ == "pobj" else root.dep_
    return Mention(s, e, ent.doc.text[s - off:e - off], ent.label_, dep)


def ent_of(tok: Token, off: int) -> Mention | None:
    if tok.ent_type_ and tok.ent_type_ in _NAMED:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return entity_mention(ent, off)
    return None


def modifiers(tok: Token) -> list[Token]:
    """The words that qualify a noun inside its own phrase ("South Korea's", "Hamas",
    "Colombian"), not those of a prepositional phrase or clause hung on it."""
    out = []
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod"):
            out += [c, *modifiers(c)]
    return out


def speaker_mention(tok: Token, off: int, repairs: bool = False,
                    subjects: bool = False) -> tuple[Mention, Mention | None]:
    """The speaker as written, and the entity inside its noun phrase other than itself
    (the affiliation: "South Korea's" in "South Korea's defence minister"). With `subjects`, a
    relative pronoun speaks for the noun its clause hangs on ("rebel forces who have
    threatened ...", "Babuk, which claimed ..."), an unnamed group is a mention of its own
    (`_group`), and a lowercase word the tagger took for a proper noun is a description
    ("Russia's foreign ministry said")."""
    if subjects and tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl" and (
            tok.lower_ == "who" or ent_of(tok.head.head, off) is not None):
        tok = tok.head.head  # "which" only for a name: "a Saudi instability, which threaten"
    own = ent_of(tok, off)
    if own is None:
        appos = child(tok, "appos")
        own = ent_of(appos, off) if appos is not None else None
    inner = [m for t in modifiers(tok) if (m := ent_of(t, off)) and m.label in _ACTOR_LABELS]
    if own is not None:
        others = [m for m in inner if (m.start, m.end) != (own.start, own.end)]
        return own, (others[0] if others else None)
    if tok.pos_ == "PRON":
        return Mention(off + tok.idx, off + tok.idx + len(tok.text), tok.text, "PRON"), None
    if tok.pos_ == "PROPN" and not (subjects and tok.text[:1].islower()):
        toks = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok]
        s, e = span_of(toks, off)
        return Mention(s, e, tok.doc.text[s - off:e - off], "PROPN"), None
    left = next((t for t in tok.subtree), tok)
    if subjects and (group := _group(tok, left, off)) is not None:
        return group, (inner[0] if inner else None)
    s, e = span_of([left, tok], off)
    if tok.lemma_.lower() in lexicon.DOCUMENT_NOUNS:  # "the pamphlet, signed by X": X
        inner = _issuers(tok, off) + (_authors(tok, off) if repairs else []) + inner
    return (Mention(s, e, tok.doc.text[s - off:e - off], "NOUN"),
            inner[0] if inner else None)


def _group(tok: Token, left: Token, off: int) -> Mention | None:
    """"The rebels warned", "militants said": a plural noun for a group of fighters, hackers
    or protesters (label GROUP, its words without the article, `kind` the noun). It is the
    body the story introduces by that noun where there is one ("the rebel New Forces"), else
    an actor of its own: never the nearest state (`coref.resolve_speaker`)."""
    words = [tok.lemma_.lower(), *(t.lemma_.lower() for t in tok.lefts if t.dep_ in
                                    ("compound", "amod"))]  # "rebel forces"
    kind = next((w for w in words if w in lexicon.GROUP_AGENT_NOUNS), None)
    if tok.tag_ != "NNS" or kind is None or any(
            c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
        return None  # "his fighters": someone's, named before
    toks = [t for t in tok.doc[left.i:tok.i + 1] if t.dep_ != "det" and t.tag_ != "POS"
            and not t.is_punct]
    s, e = span_of(toks or [tok], off)
    return Mention(s, e, tok.doc.text[s - off:e - off], "GROUP", kind=kind)


def _issuers(tok: Token, off: int) -> list[Mention]:
    """Who a document is by: the object of a passive "by" in its phrase ("signed by X")."""
    out = []
    for t in tok.subtree:
        if t.dep_ == "agent" and (obj := child(t, "pobj")) is not None:
            m = ent_of(obj, off)
            if m is not None and m.label in _ACTOR_LABELS:
                out.append(m)
    return out


def _authors(tok: Token, off: int) -> list[Mention]:
    """Who a document is from when a preposition says so ("a statement by the Chinese
    government", "a letter from Hamas"): the object, or the name inside its phrase."""
    out = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from") \
                and (obj := child(prep, "pobj")) is not None:
            named = [ent_of(obj, off), *(ent_of(t, off) for t in modifiers(obj))]
            out += [m for m in named if m is not None and m.label in _ACTOR_LABELS]
    return out[:1]
