"""A name the article only uses to say where something happened ("at a port in Busan", "the
DMZ border area") is not an actor: every mention of it is the object of a locative
preposition or a modifier of another noun, and no statement needs it."""

from __future__ import annotations

from dataclasses import dataclass

from .. import lexicon
from ..resolve.draft import Draft

_LABELS = ("GPE", "LOC", "FAC", "ORG")


MODIFIERS = ("compound", "nmod", "amod")


def _locates(dep: str, modifiers: tuple[str, ...]) -> bool:
    kind, _, prep = dep.partition(":")
    return (kind == "pobj" and prep in lexicon.LOCATIVE_PREPOSITIONS) or kind in modifiers


@dataclass(frozen=True)
class PlacesOnlyLocate:
    name: str = "places_only_locate"
    stage: str = "statements"
    modifiers: tuple[str, ...] = ()  # dependency labels read as locating, beyond MODIFIERS

    def apply(self, draft: Draft) -> None:
        speakers = {draft.registry.live(st.speaker).key for st in draft.statements}
        modifiers = MODIFIERS + self.modifiers
        for e in draft.registry.entries.values():
            if e.key in speakers or e.label not in _LABELS or not e.deps:
                continue
            if all(_locates(d, modifiers) for d in e.deps) and e.type != "not_actor":
                e.type = "not_actor"
                e.changed_by.append(f"rule:{self.name}")


RULE = PlacesOnlyLocate()
