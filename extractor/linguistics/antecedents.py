"""Pronoun speakers bound by syntax: "M.J. Akbar ... dug in his heels as he rejected the
charges" -- he is the subject of the clause his own hangs on, whoever was named in between
("India's #MeToo movement", which the small NER calls a person)."""

from __future__ import annotations

from .. import lexicon
from .analysis import Attribution, Mention
from .mentions import Span, Token, child, speaker_mention


def governing_subject(cue: Token, off: int) -> Mention | None:
    """The named subject of the clause a pronoun speaker's clause hangs on ("M.J. Akbar ...
    dug in his heels as he rejected the charges": he is Akbar), compatible with the pronoun:
    a person (or one the subject's title makes a person: "Minister ..., M.J. Akbar") for
    he/she, a body or state for it/they. Syntax binds it before any earlier name."""
    subj = child(cue, "nsubj", "nsubjpass")
    if subj is None or subj.pos_ != "PRON":
        return None
    person = subj.lower_ in lexicon.PERSON_PRONOUNS
    v = cue
    while v.dep_ in ("advcl", "conj") and v.head is not v:
        v = v.head
        gov = child(v, "nsubj", "nsubjpass")
        if gov is None or gov.pos_ == "PRON":
            continue
        m, _ = speaker_mention(gov, off)
        if not m.named:
            return None
        titled = gov.lemma_.lower() in lexicon.PERSON_NOUNS
        if person and (m.label == "PERSON" or titled):
            return Mention(m.start, m.end, m.text, "PERSON", m.dep)
        if not person and not titled and m.label in ("ORG", "GPE", "NORP"):
            return m
        return None
    return None


def bind(sent: Span, off: int, atts: list[Attribution]) -> None:
    """Give every pronoun speaker of `sent` its governing subject, where syntax gives one."""
    for att in atts:
        if att.speaker.label == "PRON":
            tok = next((t for t in sent if off + t.idx == att.speaker.start), None)
            if tok is not None:
                att.antecedent = governing_subject(tok.head, off)
