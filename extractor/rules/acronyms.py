"""An acronym is the body it abbreviates when the initials of every word of one longer body
name spell it, small words included: "ECOWAS" is the Economic Community of West African
States, even where the headline uses it before the body is spelled out. The registry's own
fold reads only capitalised words' initials ("DPRK"), which miss the "O" of "of".

Naming convention, not wording: no list of acronyms; the model's types (or the parser's
label) say which entries are bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..resolve.actors import Entry
from ..resolve.draft import Draft
from .short_names import fold_into_sole_body

MIN, MAX = 3, 8  # letters of an acronym


def _all_initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[\w'’]+", name)).upper()


def _spells(e: Entry, o: Entry) -> bool:
    """`e` is the initials of every word of `o`'s longer name."""
    return len(o.name.split()) > 1 and _all_initials(o.name) == e.name


@dataclass(frozen=True)
class Acronyms:
    name: str = "acronyms"
    stage: str = "threats"

    def apply(self, draft: Draft) -> None:
        reg = draft.registry
        for e in list(reg.entries.values()):
            if e.key not in reg.entries or not (e.name.isupper() and MIN <= len(e.name) <= MAX):
                continue
            fold_into_sole_body(draft, e, _spells, self.name)


RULE = Acronyms()
