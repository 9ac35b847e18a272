"""Whom a statement's act is aimed at, as its grammar names them (`Attribution.parties`).

A threat is aimed at the one whose doing would set it off ("RUSSIA will retaliate if Britain
imposes sanctions"), at the one the speaker addresses ("China warned the United States of
retaliation"), or at the one the act is against ("legal action against SaharaReporters").
Each is a role in the parse (its few marker words are in `lexicon`): the subject of an
"if"/"unless" clause whose verb is an act (a state, "if Ceesay is not back in office", names
no one who acts), the object of the cue verb, and the object of "against". A name that only
qualifies such a word counts for it ("if the Czech government does not end ..." names the
Czech Republic's side).
Pronouns are kept as written: `resolve.targets` reads them.
"""

from __future__ import annotations

from .. import lexicon
from .analysis import Attribution, Mention
from .mentions import Span, Token, child, ent_of, modifiers


def _named(tok: Token, off: int) -> Mention | None:
    """The entity the word is, or the first one qualifying it ("the Czech government")."""
    if (m := ent_of(tok, off)) is not None:
        return m
    return next((m for t in modifiers(tok) if (m := ent_of(t, off)) is not None), None)


def _subject(verb: Token, off: int) -> Mention | None:
    subj = child(verb, "nsubj")
    if subj is None or verb.lemma_ == "be":
        return None
    if (m := _named(subj, off)) is not None:
        return m
    low = subj.lower_
    if subj.pos_ == "PRON" and low not in lexicon.FIRST_PERSON | lexicon.SECOND_PERSON:
        return Mention(off + subj.idx, off + subj.idx + len(subj.text), subj.text, "PRON")
    return None


def read(sent: Span, off: int, att: Attribution) -> list[Mention]:
    """The parties `att`'s content names, in order: condition subjects, the cue's objects,
    the objects of "against"."""
    lo, hi = att.content
    inside = [t for t in sent if lo <= off + t.idx < hi]
    out: list[Mention] = []
    for t in inside:
        if t.dep_ == "mark" and t.lower_ in lexicon.TRIGGER_MARKERS and t.head.pos_ in (
                "VERB", "AUX") and (m := _subject(t.head, off)) is not None:
            out.append(m)
    for cue in sent:
        if cue.lemma_.lower() == att.cue and cue.pos_ in ("VERB", "AUX"):
            out += [m for c in cue.children if c.dep_ in ("dobj", "dative")
                    and (m := _named(c, off)) is not None]
    for t in inside:
        if t.dep_ == "prep" and t.lower_ in lexicon.AGAINST and (
                obj := child(t, "pobj")) is not None and (m := _named(obj, off)) is not None:
            out.append(m)
    return list({(m.start, m.end): m for m in out}.values())  # first mention's place
