"""Candidate-sentence pre-selection: the sentences a threat could stand in, each checked by
the model on its own.

A small model asked to list every threat in an article lists two or three; asked about one
sentence at a time it answers well. Cue words (a future or conditional marker plus a harm or a
condition) keep about a third of the sentences and, on the dev fixtures, 20 of 21 gold threats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Chunk, Document
from .rules import has_threat_cues
from .schema import ThreatCheck, ThreatItem, ThreatKind, ThreatVerdict

CHECK_PASSES = ("threat_check", "threat_verdict")
VERIFY_PASS = "threat_kind"  # a second look at each sentence the check kept

_CONDITION = re.compile(r"\b(if|unless|until|should|or else|otherwise)\b[^,;.:“”\"]*",
                        re.IGNORECASE)
QUOTE_MAX = 400  # ThreatItem.quote's bound; a longer sentence is cut, still verbatim


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    sentence: str
    context: str  # the sentences before it, for "he", "the ministry", "it"


def threat_candidates(doc: Document, chunk: Chunk, seen: set[tuple[int, int]],
                      context_sentences: int = 2) -> list[Candidate]:
    """Cue sentences of `chunk` not checked before (chunks overlap); marks them seen."""
    sents = doc.sentences()
    head = doc.headline
    out = []
    for i, (s, e) in enumerate(sents):
        if not (chunk.start <= s < chunk.end) or (s, e) in seen:
            continue
        if head and head[0] <= s < head[1]:
            continue  # a headline restates a threat the body quotes, without its speaker
        sentence = doc.text[s:e]
        if not has_threat_cues(sentence):
            continue
        seen.add((s, e))
        before = sents[max(i - context_sentences, 0):i]
        out.append(Candidate(s, e, sentence, " ".join(doc.text[a:b] for a, b in before)))
    return out


def threat_from_check(check: ThreatCheck | ThreatVerdict, cand: Candidate) -> ThreatItem | None:
    """A checked candidate as the threats pass would have answered it; None for a no."""
    if not check.is_threat:
        return None
    m = _CONDITION.search(cand.sentence) if check.conditional else None
    return ThreatItem(
        quote=cand.sentence[:QUOTE_MAX].strip(),
        speaker=check.speaker,
        targets=check.targets,
        reported_by=[],
        action=check.action,
        category=check.category,
        conditional=check.conditional,
        condition=m.group(0).strip()[:200] if m else None,
    )


def confirmed(kind: ThreatKind) -> bool:
    """The second look agrees: the sentence is a threat, not one of the look-alikes."""
    return kind.kind == "threat"
