"""Speech attribution from the dependency parse: who said what, with which cue.

Covered: "X said (that) ...", `"...," X said`, "X warned/threatened/vowed to ...", "according
to X, ...", and relays ("the agency quoted X as saying ..."), where X is the speaker and the
agency goes in reported_by. A sentence inside a quotation with no cue of its own belongs to the
attribution of its paragraph. Pronouns and descriptions are resolved later (resolve.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import lexicon
from .analysis import Attribution
from .mentions import Span, Token, child, ent_of, entity_mention, span_of, speaker_mention

__all__ = ["QUOTES", "entity_mention", "in_sentence", "quote_only"]

QUOTES = "\"“”„«»"
SPEECH_ACT_COMPS = ("xcomp", "dobj", "prep", "advcl", "ccomp", "dative", "npadvmod")


@dataclass(frozen=True)
class Reading:
    """A version's choices in how speech acts are read off the parse (`in_sentence`)."""

    orphans: bool = False
    repairs: bool = False
    subjects: bool = False
    tense: bool = False
    criticism: bool = False


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
            s, e = span_of(t.head.subtree, off)
            att.condition = t.doc.text[s - off:e - off]
            break
    subj = child(head, "nsubj")
    if subj is None:
        return
    low = subj.lower_
    if low in lexicon.FIRST_PERSON:
        att.agent_person = "first"
    elif low in lexicon.SECOND_PERSON:
        att.agent_person = "second"
    else:
        att.agent_person = "third"
        att.agent = ent_of(subj, off)


def _past_act(head: Token) -> bool:
    """A clause that reports what was done ("it imposed", "it has imposed"), with no modal or
    "going to" in it: a commissive cue ("announced", "declared") commits to nothing there."""
    done = head.tag_ == "VBD" or head.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_ == "have" for c in head.children)
    return done and not any(_future(t) for t in head.subtree)


def _in_quotes(sent: Span, lo: int, hi: int) -> bool:
    text = sent.doc.text
    return any(ch in QUOTES for ch in text[max(lo - 2, 0):lo + 2] + text[max(hi - 3, 0):hi + 1])


def _make(sent: Span, off: int, speaker_tok: Token, content_toks: list[Token], cue: Token,
          kind: str, reading: Reading = Reading()) -> Attribution:
    speaker, affiliation = speaker_mention(speaker_tok, off, reading.repairs, reading.subjects)
    lo, hi = span_of(content_toks, off)
    if kind == "reported" and _in_quotes(sent, lo - off, hi - off):
        kind = "direct"
    att = Attribution(sentence=span_of(sent, off), speaker=speaker, content=(lo, hi),
                      cue=cue.lemma_.lower(), kind=kind, affiliation=affiliation)
    return att


def _that_clause(tok: Token) -> Token | None:
    """A "that" clause the parser hung elsewhere ("told reporters during his visit that ...")."""
    for t in tok.subtree:
        if t is not tok and t.pos_ in ("VERB", "AUX") and child(t, "mark", lower="that"):
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


def _subject(verb: Token, participles: bool = False) -> Token | None:
    """The verb's subject, or its head's when the verb is a conjunct ("X condemned ... and
    warned that ...") or, with `participles`, a participle hung on it ("Bandits have given
    quit notices ..., warning the residents to evacuate")."""
    subj = child(verb, "nsubj", "nsubjpass")
    if subj is None and (verb.dep_ == "conj" or participles and verb.dep_ == "advcl"
                         and verb.tag_ == "VBG"):
        subj = child(verb.head, "nsubj", "nsubjpass")
    return subj


def _object_read_as_modifier(tok: Token) -> Token | None:
    """The object of a speech-act verb the small parser read as an adjective on it after
    "and" ("rejected the charges and threatened legal action": "threatened" an amod of
    "action", "action" a conj of "rejected"); a finite verb never modifies a noun."""
    if tok.dep_ != "amod" or tok.tag_ not in ("VBD", "VBN") or tok.i == 0 \
            or tok.lemma_.lower() not in lexicon.SPEECH_ACT_VERBS:
        return None
    noun = tok.head
    if tok.nbor(-1).dep_ != "cc" or noun.dep_ not in ("conj", "dobj") \
            or noun.head.pos_ not in ("VERB", "AUX"):
        return None
    return noun


def _introduced_quote(sent: Span, tok: Token) -> list[Token] | None:
    """`X said, "We are ..."`: the parser makes the quotation the root and the reporting
    verb a parataxis of it. The quotation is the content: the root's words outside the
    verb's own phrase."""
    if tok.dep_ != "parataxis" or tok.lemma_.lower() not in lexicon.REPORTING_VERBS:
        return None
    own = {t.i for t in tok.subtree}
    quoted = [t for t in tok.head.subtree if t.i not in own and t.i > tok.i]
    if not quoted or not _in_quotes(sent, quoted[0].idx, quoted[-1].idx + len(quoted[-1].text)):
        return None
    return quoted


def _repaired(sent: Span, off: int, tok: Token, reading: Reading) -> Attribution | None:
    noun = _object_read_as_modifier(tok)
    if noun is None:
        return None
    subj = _subject(noun.head)
    if subj is None:
        return None
    toks = sorted({tok, *noun.subtree}, key=lambda t: t.i)
    att = _make(sent, off, subj, toks, tok, "speech_act", reading)
    _content_facts(noun, off, att)
    att.agent_person = "speaker"
    return att


def in_sentence(sent: Span, off: int, reading: Reading = Reading()) -> list[Attribution]:
    """Every attribution whose cue stands in `sent`. `orphans`: a root reporting verb the
    parser left without a subject takes the last person named before it. `repairs`: a
    speech act the parser read as an adjective is one (`_object_read_as_modifier`), a
    quotation introduced by its verb is that verb's content (`_introduced_quote`), a speech
    act's content is what follows the verb, and a document is by the one a preposition
    names ("a statement by X", `mentions._authors`). `subjects`: a participle's speaker is
    its head's subject (`_subject`), and see `mentions.speaker_mention`. `tense`: a clause
    that reports a done act is no act to come, whatever the cue (`_past_act`). `criticism`:
    a verb of criticism with an object is a speech act (`lexicon.CRITICISM_VERBS`)."""
    out: list[Attribution] = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according" and (to := child(tok, "prep", lower="to")) is not None:
            pobj = child(to, "pobj")
            if pobj is not None:
                rest = [t for t in sent if not (tok.i <= t.i <= pobj.right_edge.i)
                        and not t.is_punct] or list(sent)
                att = _make(sent, off, pobj, rest, tok, "according_to", reading)
                _content_facts(sent.root, off, att)
                out.append(att)
            continue
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        if reading.repairs and (fixed := _repaired(sent, off, tok, reading)) is not None:
            out.append(fixed)
            continue
        subj = _subject(tok, reading.subjects)
        ccomp = child(tok, "ccomp") or (_that_clause(tok) if lemma in lexicon.REPORTING_VERBS
                                         else None)
        if reading.repairs and ccomp is None \
                and (quoted := _introduced_quote(sent, tok)) is not None:
            if subj is not None:
                att = _make(sent, off, subj, quoted, tok, "direct", reading)
                _content_facts(tok.head, off, att)
                out.append(att)
            continue
        if lemma in lexicon.RELAY_VERBS:
            obj, as_ = child(tok, "dobj"), child(tok, "prep", lower="as")
            saying = child(as_, "pcomp") if as_ is not None else None
            inner = child(saying, "ccomp") if saying is not None else None
            content = ccomp or inner
            if obj is not None and as_ is not None and content is not None:
                att = _make(sent, off, obj, list(content.subtree), tok, "reported", reading)
                if subj is not None:
                    att.reported_by.append(speaker_mention(subj, off)[0])
                _content_facts(content, off, att)
                out.append(att)
                continue
        if subj is None and reading.orphans and tok.dep_ == "ROOT" and ccomp is not None \
                and lemma in lexicon.REPORTING_VERBS:
            subj = _orphan_subject(sent, tok)
        if subj is None:
            continue
        if ccomp is not None and (lemma in lexicon.REPORTING_VERBS
                                  or _in_quotes(sent, ccomp.left_edge.idx, ccomp.right_edge.idx)):
            att = _make(sent, off, subj, list(ccomp.subtree), tok, "reported", reading)
            _content_facts(ccomp, off, att)
            if reading.tense and _past_act(ccomp):
                att.future = False  # "announced it imposed sanctions": done, not to come
            out.append(att)
        elif lemma in lexicon.SPEECH_ACT_VERBS or reading.criticism \
                and lemma in lexicon.CRITICISM_VERBS:
            if reading.repairs:  # the predicate after the verb, not a phrase before ("on Monday")
                rights = [c for c in tok.rights if c.dep_ in SPEECH_ACT_COMPS]
                comp = rights[0] if rights else None
                toks = [t for c in rights for t in c.subtree] or [tok]
            else:
                comp = child(tok, "xcomp", "dobj", "prep", "advcl")
                toks = list(comp.subtree) if comp is not None else [tok]
            att = _make(sent, off, subj, [tok, *toks] if comp is not None else toks, tok,
                        "speech_act", reading)
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
    span = span_of(sent, off)
    att = Attribution(sentence=span, speaker=near.speaker, content=span, cue=near.cue,
                      kind="quote_only", source=near.source, affiliation=near.affiliation,
                      reported_by=list(near.reported_by))
    _content_facts(sent.root, off, att)
    return att
