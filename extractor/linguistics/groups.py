"""Unnamed groups that speak ("the rebels", "militants"): the body the story introduces by
the group's noun, when it names one. Read by `coref.resolve_speaker` (layer option
subjects); the group mention itself comes from `mentions._group`."""

from __future__ import annotations

import re

from .analysis import Mention


def introductions(text: str, pool: list[Mention]) -> dict[tuple[int, int], frozenset[str]]:
    """The words just before each body's name in its clause ("the rebel New Forces"): how
    the story introduces it, without what follows the name."""
    out = {}
    for m in pool:
        if m.label == "ORG":
            lead = re.split(r"[,.;:\"“”()]", text[max(m.start - 40, 0):m.start])[-1]
            out[(m.start, m.end)] = frozenset(w.lower() for w in lead.split()[-3:])
    return out


def introduced(group: Mention, pool: list[Mention],
               leads: dict[tuple[int, int], frozenset[str]]) -> Mention | None:
    """The one body the story introduces by the group's noun ("the rebel New Forces" for
    "the rebels", before or after): an unnamed group's name when the story gives it."""
    named = {m.text: m for m in pool if m.label == "ORG"
             and group.kind in leads.get((m.start, m.end), ())}
    if len(named) != 1:
        return None
    return min((m for m in pool if m.label == "ORG" and m.text in named),
               key=lambda m: abs(m.start - group.start))
