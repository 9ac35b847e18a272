""""..., a statement by the government said, according to Xinhua": the agency that reports a
statement relays it; it does not make it. An "according to" in a sentence that has another
attribution by someone else is folded into that one's reported_by."""

from __future__ import annotations

from .analysis import Attribution


def fold(atts: list[Attribution]) -> list[Attribution]:
    """`atts` of one sentence or paragraph, each sentence's "according to" folded into the other
    attributions of the same sentence."""
    out = []
    for a in atts:
        if a.kind == "according_to":
            others = [b for b in atts if b is not a and b.sentence == a.sentence
                      and b.kind != "according_to"]
            if others:
                for b in others:
                    if b.speaker.text != a.speaker.text:
                        b.reported_by.append(a.speaker)
                continue
        out.append(a)
    return out
