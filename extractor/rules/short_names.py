"""A body's one-word short name ("Lakeshore" for "Lakeshore Health Partners", "FreshWay"
for "FreshWay Supermarkets") is the same actor: news name a company or group in full once,
then by its first word. Fold the one word into the one longer body name it begins, unless
the word names a country or its people ("China" of "China Daily", "Kyrgyz" of "Kyrgyz
Border Service" stay apart).

Naming convention, not wording: the model's types (or the parser's label, for a name the
model was not asked about) say which entries are bodies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..gazetteer import state_of
from ..resolve.actors import Entry, norm
from ..resolve.draft import Draft
from ..resolve.targets import demonym_state

BODIES = ("organization", "armed_group", "media", "military", "international_organization")


def is_body(e: Entry) -> bool:
    """Typed as a body by the model, or an organization the model was not asked about."""
    return e.type in BODIES or (e.type is None and e.label == "ORG")


def fold_into_sole_body(draft: Draft, e: Entry, fits: Callable[[Entry, Entry], bool],
                        rule: str) -> None:
    """Fold `e` into the one other body `o` with `fits(e, o)`; with none or several, leave it."""
    reg = draft.registry
    bodies = [o for o in reg.entries.values() if o is not e and is_body(o) and fits(e, o)]
    if len(bodies) == 1:
        reg.merge(bodies[0].key, e.key)
        bodies[0].changed_by.append(f"rule:{rule}")


def _begins(e: Entry, o: Entry) -> bool:
    """`e`'s one word begins `o`'s longer name."""
    other = norm(o.name).split()
    return len(other) > 1 and other[0] == norm(e.name).split()[0]


@dataclass(frozen=True)
class ShortNames:
    name: str = "short_names"
    stage: str = "threats"

    def apply(self, draft: Draft) -> None:
        reg = draft.registry
        for e in list(reg.entries.values()):
            words = norm(e.name).split()
            if (e.key not in reg.entries or len(words) != 1 or e.label == "PERSON"
                    or e.type == "person" or state_of(e.name) or demonym_state(e.name)):
                continue
            fold_into_sole_body(draft, e, _begins, self.name)


RULE = ShortNames()
