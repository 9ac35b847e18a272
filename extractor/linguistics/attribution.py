"""Speech attribution from the dependency parse: who said what, with which cue.

Covered: "X said (that) ...", `"...," X said`, "X warned/threatened/vowed to ...", "according
to X, ...", and relays ("the agency quoted X as saying ..."), where X is the speaker and the
agency goes in reported_by. A sentence inside a quotation with no cue of its own belongs to the
attribution of its paragraph. Pronouns and descriptions are resolved later (resolve.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import lexicon
from .analysis import Attribution, Mention

Token = Any  # spacy.tokens.Token; kept untyped so this module imports without spaCy
Span = Any

QUOTES = "\"“”„«»"
_NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART")
_ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def _child(tok: Token, *deps: str, lower: str | None = None) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps and (lower is None or c.lower_ == lower):
            return c
    return None


def _span(tokens: Iterable[Token], off: int) -> tuple[int, int]:
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
    s, e = _span(toks, off)
    root = ent.root
    dep = f"pobj:{root.head.lower_}" if root.dep_ == "pobj" else root.dep_
    return Mention(s, e, ent.doc.text[s - off:e - off], ent.label_, dep)


def _ent_of(tok: Token, off: int) -> Mention | None:
    if tok.ent_type_ and tok.ent_type_ in _NAMED:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return entity_mention(ent, off)
    return None


def _modifiers(tok: Token) -> list[Token]:
    """The words that qualify a noun inside its own phrase ("South Korea's", "Hamas",
    "Colombian"), not those of a prepositional phrase or clause hung on it."""
    out = []
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod"):
            out += [c, *_modifiers(c)]
    return out


def speaker_mention(tok: Token, off: int) -> tuple[Mention, Mention | None]:
    """The speaker as written, and the entity inside its noun phrase other than itself
    (the affiliation: "South Korea's" in "South Korea's defence minister")."""
    own = _ent_of(tok, off)
    if own is None:
        appos = _child(tok, "appos")
        own = _ent_of(appos, off) if appos is not None else None
    inner = [m for t in _modifiers(tok) if (m := _ent_of(t, off)) and m.label in _ACTOR_LABELS]
    if own is not None:
        others = [m for m in inner if (m.start, m.end) != (own.start, own.end)]
        return own, (others[0] if others else None)
    if tok.pos_ == "PRON":
        return Mention(off + tok.idx, off + tok.idx + len(tok.text), tok.text, "PRON"), None
    if tok.pos_ == "PROPN":
        toks = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok]
        s, e = _span(toks, off)
        return Mention(s, e, tok.doc.text[s - off:e - off], "PROPN"), None
    left = next((t for t in tok.subtree), tok)
    s, e = _span([left, tok], off)
    if tok.lemma_.lower() in lexicon.DOCUMENT_NOUNS:  # "the pamphlet, signed by X": X
        inner = _issuers(tok, off) + inner
    return (Mention(s, e, tok.doc.text[s - off:e - off], "NOUN"),
            inner[0] if inner else None)


def _issuers(tok: Token, off: int) -> list[Mention]:
    """Who a document is by: the object of a passive "by" in its phrase ("signed by X")."""
    out = []
    for t in tok.subtree:
        if t.dep_ == "agent" and (obj := _child(t, "pobj")) is not None:
            m = _ent_of(obj, off)
            if m is not None and m.label in _ACTOR_LABELS:
                out.append(m)
    return out


def _future(t: Token) -> bool:
    """A modal ("will", "would", "may") or "going to" + verb."""
    if t.tag_ == "MD":
        return True
    return bool(t.lemma_ == "go" and t.tag_ == "VBG" and t.i + 1 < len(t.doc)
                and t.nbor(1).lower_ == "to")


def _content_facts(head: Token, off: int, att: Attribution) -> None:
    """What the content's grammar says: an act to come, a condition, who would act."""
    sub = list(head.subtree)
    att.future = att.cue in lexicon.COMMISSIVE_VERBS or any(_future(t) for t in sub)
    for t in sub:
        if t.dep_ == "mark" and t.lower_ in lexicon.CONDITION_MARKERS:
            s, e = _span(t.head.subtree, off)
            att.condition = t.doc.text[s - off:e - off]
            break
    subj = _child(head, "nsubj")
    if subj is None:
        return
    low = subj.lower_
    if low in lexicon.FIRST_PERSON:
        att.agent_person = "first"
    elif low in lexicon.SECOND_PERSON:
        att.agent_person = "second"
    else:
        att.agent_person = "third"
        att.agent = _ent_of(subj, off)


def _in_quotes(sent: Span, lo: int, hi: int) -> bool:
    text = sent.doc.text
    return any(ch in QUOTES for ch in text[max(lo - 2, 0):lo + 2] + text[max(hi - 3, 0):hi + 1])


def _make(sent: Span, off: int, speaker_tok: Token, content_toks: list[Token], cue: Token,
          kind: str) -> Attribution:
    speaker, affiliation = speaker_mention(speaker_tok, off)
    lo, hi = _span(content_toks, off)
    if kind == "reported" and _in_quotes(sent, lo - off, hi - off):
        kind = "direct"
    att = Attribution(sentence=_span(sent, off), speaker=speaker, content=(lo, hi),
                      cue=cue.lemma_.lower(), kind=kind, affiliation=affiliation)
    return att


def _that_clause(tok: Token) -> Token | None:
    """A "that" clause the parser hung elsewhere ("told reporters during his visit that ...")."""
    for t in tok.subtree:
        if t is not tok and t.pos_ in ("VERB", "AUX") and _child(t, "mark", lower="that"):
            return t
    return None


def _orphan_subject(sent: Span, cue: Token) -> Token | None:
    """The person a subjectless reporting verb at the root of its sentence is said by: the
    last one named before it, outside quotation marks. en_core_web_sm loses the subject
    after a long opening phrase ("In a letter to the union seen by Wire, Norvane's general
    counsel, Priya Raman, warned that ..."; it hangs "counsel" on "Wire")."""
    text = sent.doc.text
    best = None
    for ent in sent.ents:
        if ent.end > cue.i:
            break
        quoted = (ent.start_char > 0 and text[ent.start_char - 1] in QUOTES
                  and ent.end_char < len(text) and text[ent.end_char] in QUOTES)
        if ent.label_ == "PERSON" and not quoted:
            best = ent.root
    return best


def in_sentence(sent: Span, off: int, orphans: bool = False) -> list[Attribution]:
    """Every attribution whose cue stands in `sent`. `orphans`: a root reporting verb the
    parser left without a subject takes the last person named before it."""
    out: list[Attribution] = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according" and (to := _child(tok, "prep", lower="to")) is not None:
            pobj = _child(to, "pobj")
            if pobj is not None:
                rest = [t for t in sent if not (tok.i <= t.i <= pobj.right_edge.i)
                        and not t.is_punct] or list(sent)
                att = _make(sent, off, pobj, rest, tok, "according_to")
                _content_facts(sent.root, off, att)
                out.append(att)
            continue
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        subj = _child(tok, "nsubj", "nsubjpass")
        if subj is None and tok.dep_ == "conj":  # "X condemned ... and warned that ..."
            subj = _child(tok.head, "nsubj", "nsubjpass")
        ccomp = _child(tok, "ccomp") or (_that_clause(tok) if lemma in lexicon.REPORTING_VERBS
                                         else None)
        if lemma in lexicon.RELAY_VERBS:
            obj, as_ = _child(tok, "dobj"), _child(tok, "prep", lower="as")
            saying = _child(as_, "pcomp") if as_ is not None else None
            inner = _child(saying, "ccomp") if saying is not None else None
            content = ccomp or inner
            if obj is not None and as_ is not None and content is not None:
                att = _make(sent, off, obj, list(content.subtree), tok, "reported")
                if subj is not None:
                    att.reported_by.append(speaker_mention(subj, off)[0])
                _content_facts(content, off, att)
                out.append(att)
                continue
        if subj is None and orphans and tok.dep_ == "ROOT" and ccomp is not None \
                and lemma in lexicon.REPORTING_VERBS:
            subj = _orphan_subject(sent, tok)
        if subj is None:
            continue
        if ccomp is not None and (lemma in lexicon.REPORTING_VERBS
                                  or _in_quotes(sent, ccomp.left_edge.idx, ccomp.right_edge.idx)):
            att = _make(sent, off, subj, list(ccomp.subtree), tok, "reported")
            _content_facts(ccomp, off, att)
            out.append(att)
        elif lemma in lexicon.SPEECH_ACT_VERBS:
            comp = _child(tok, "xcomp", "dobj", "prep", "advcl")
            toks = list(comp.subtree) if comp is not None else [tok]
            att = _make(sent, off, subj, [tok, *toks] if comp is not None else toks, tok,
                        "speech_act")
            _content_facts(comp if comp is not None and comp.dep_ == "xcomp" else tok, off, att)
            if comp is not None and comp.dep_ == "xcomp":
                att.agent_person = att.agent_person or "speaker"
            out.append(att)
    return _drop_nested(out)


def _drop_nested(atts: list[Attribution]) -> list[Attribution]:
    """One attribution per speech event: "X said Y warned that ..." keeps both only when
    their speakers differ; a cue inside another's content with the same speaker is one."""
    keep: list[Attribution] = []
    for a in sorted(atts, key=lambda x: x.content[0] - x.content[1]):  # widest first
        inner = a.speaker.label == "PRON" and a.speaker.text.lower() in lexicon.FIRST_PERSON
        if any(b.content[0] <= a.content[0] and a.content[1] <= b.content[1]
               and (inner or b.speaker.text == a.speaker.text) for b in keep):
            continue
        keep.append(a)
    return sorted(keep, key=lambda x: x.content[0])


def quote_only(sent: Span, off: int, near: Attribution | None) -> Attribution | None:
    """A sentence that is all quotation, its speaker named elsewhere in the paragraph."""
    text = sent.text.strip()
    if near is None or not text or not (text[0] in QUOTES or text[-1] in QUOTES):
        return None
    span = _span(sent, off)
    att = Attribution(sentence=span, speaker=near.speaker, content=span, cue=near.cue,
                      kind="quote_only", source=near.source, affiliation=near.affiliation,
                      reported_by=list(near.reported_by))
    _content_facts(sent.root, off, att)
    return att
