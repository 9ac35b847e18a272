"""One quotation, one statement: "“Rwandan authorities ... will act swiftly and decisively
to address such threats. The people of Rwanda deserve no less,” the minister warned." is one
thing the minister said, though the parser splits it in two sentences and only the second
holds the cue. The sentences before the cue that open the quotation join the cue's
statement, so the question about it reads the whole quotation with its cue ("warned"), and
its evidence spans it.

Punctuation, not wording: a sentence joins when it is a quotation-only sentence of the same
paragraph right before the cue's sentence, and no quotation mark closes between its start and
the cue's sentence.
"""

from __future__ import annotations

from dataclasses import replace

from .analysis import Attribution
from .attribution import QUOTES


def _joins(text: str, q: Attribution, a: Attribution) -> bool:
    """`q` opens a quotation that is still open where `a`'s sentence begins."""
    between = text[q.sentence[0]:a.sentence[0]]
    marks = [c for c in between if c in QUOTES]
    return (q.kind == "quote_only" and a.kind != "quote_only" and len(marks) == 1
            and between.lstrip()[:1] in QUOTES and not text[q.sentence[1]:a.sentence[0]].strip())


def join(line: list[Attribution], text: str) -> list[Attribution]:
    """`line` (one paragraph's attributions) with each open quotation's leading sentences
    folded into the attribution whose sentence closes it."""
    out = sorted(line, key=lambda x: (x.sentence[0], x.content[0]))
    i = len(out) - 1
    while i > 0:
        a, q = out[i], out[i - 1]
        if _joins(text, q, a):
            out[i - 1] = replace(
                a, sentence=(q.sentence[0], a.sentence[1]),
                content=(q.content[0], a.content[1]), future=a.future or q.future,
                condition=a.condition or q.condition, agent=a.agent or q.agent,
                agent_person=a.agent_person or q.agent_person,
                parties=a.parties or q.parties)
            del out[i]
        i -= 1
    return out
