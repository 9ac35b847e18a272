"""The linguistic layer: Document -> sentences, entity mentions and speech attribution (spaCy),
all in original offsets. Every later stage reads the article through this, never by regex.

Each content line is parsed on its own (a news line is a paragraph: sentences never run across
lines, and a headline never merges with the date under it). spaCy is loaded lazily, once per
process; `import extractor` does not import it.
"""

from __future__ import annotations

from ..documents import Document
from .analysis import Analysis, Attribution, Mention
from .antecedents import bind
from .attribution import Reading, entity_mention, in_sentence, quote_only
from .coref import resolve_all
from .dateline import dateline_end
from .language import detect
from .nlp import LANGUAGES, info, load
from .parties import read as read_parties
from .quotations import join as quotations_join
from .relays import fold as relays_fold

__all__ = ["Analysis", "Attribution", "Mention", "analyze", "info"]


def _fallback_sentences(doc: Document, lang: str) -> list[tuple[int, int]]:
    """Sentences for a language without a parser: pysbd's rules for that language (22 of
    them), English rules otherwise."""
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    seg = pysbd.Segmenter(language=lang if lang in LANGUAGE_CODES else "en", char_span=True)
    out = []
    for s, e in doc.content:
        for span in seg.segment(doc.text[s:e]):
            text = span.sent.rstrip()
            if text.strip():
                out.append((s + span.start, s + span.start + len(text)))
    return out


def analyze(doc: Document, *, centering: bool = False, body_nouns: bool = False,
            family_names: bool = False, orphans: bool = False,
            quotations: bool = False, repairs: bool = False,
            antecedents: bool = False, subjects: bool = False,
            agreement: bool = False, tense: bool = False,
            criticism: bool = False) -> Analysis:
    """The layer over `doc`'s content. `centering`, `body_nouns` and `family_names` are a
    version's choice, so released versions keep their speakers: "he" after a sentence whose
    subject is a person named since the last speaker continues that subject
    (`coref._centre`; with `family_names`, also a subject the tagger mislabelled that is a
    named person's family name); "the group"/"the union" find the body introduced or named
    so (`coref._body_named`); with `orphans`, a root reporting verb the parser left without
    a subject takes the last person named before it (`attribution._orphan_subject`); with
    `quotations`, a quotation split over sentences is one statement (`quotations.join`);
    with `repairs`, speech acts the small parser misreads are read (`attribution._repaired`,
    `mentions._authors`) and an "according to" beside another speaker relays
    (`relays.fold`); with `antecedents`, a pronoun that speaks in a subordinate clause is
    the subject of the clause it hangs on (`antecedents.bind`); with `subjects`, a relative
    pronoun speaks for the noun its clause hangs on, a participle for its head's subject and
    an unnamed group of fighters, hackers or protesters for itself (`mentions._group`);
    with `agreement`, "he" and "she" agree in sex with the person they stand for
    (`agreement`); with `tense`, a reported clause of a done act ("announced it imposed
    sanctions") is no act to come (`attribution._past_act`); with `criticism`, "denounced
    the acts of interference" is a speech act (`lexicon.CRITICISM_VERBS`)."""
    lang = detect(doc.body)
    if lang.code not in LANGUAGES:
        return Analysis(language=lang.code, language_confidence=lang.confidence,
                        sentences=_fallback_sentences(doc, lang.code))
    nlp = load()
    reading = Reading(orphans=orphans, repairs=repairs, subjects=subjects, tense=tense,
                      criticism=criticism)
    sentences: list[tuple[int, int]] = []
    entities: list[Mention] = []
    attributions: list[Attribution] = []
    lines = [(s + dateline_end(doc.text[s:e], colon=repairs), e) for s, e in doc.content]
    texts = [doc.text[s:e] for s, e in lines]
    for (off, _), parsed in zip(lines, nlp.pipe(texts), strict=True):
        entities += [entity_mention(ent, off) for ent in parsed.ents]
        line: list[Attribution] = []
        bare = []
        for sent in parsed.sents:
            if not sent.text.strip():
                continue
            s = off + sent.start_char
            sentences.append((s, s + len(sent.text.rstrip())))
            found = in_sentence(sent, off, reading)
            for att in found:
                att.parties = read_parties(sent, off, att)
            if antecedents:
                bind(sent, off, found)
            if repairs:
                found = relays_fold(found)
            line += found
            if not found:
                bare.append(sent)
        for sent in bare:  # quotation sentences take the speaker of their paragraph
            pos = off + sent.start_char
            near = min(line, key=lambda a: abs(a.sentence[0] - pos), default=None)
            if (q := quote_only(sent, off, near)) is not None:
                q.parties = read_parties(sent, off, q)
                line.append(q)
        attributions += quotations_join(line, doc.text) if quotations else line
    attributions.sort(key=lambda a: (a.sentence[0], a.content[0]))
    resolve_all(attributions, entities, doc.headline, doc.text, centering=centering,
                body_nouns=body_nouns, family_names=family_names, agreement=agreement)
    return Analysis(language=lang.code, language_confidence=lang.confidence,
                    sentences=sentences, entities=entities, attributions=attributions,
                    pipeline=info().label)
