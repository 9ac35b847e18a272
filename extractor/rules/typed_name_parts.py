"""A family name the parser gave another label than the full name ("Lehtola" a place,
"Antti Lehtola" an organization) is still that person once the model has typed both as
people: fold the one word into the one longer person name that holds it.

The small English parser's labels are noisy on unfamiliar names; the model's `actor_types`
answer is the better judge of what a name is, so the fold waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve.actors import norm
from ..resolve.draft import Draft


@dataclass(frozen=True)
class TypedNameParts:
    name: str = "typed_name_parts"
    stage: str = "threats"

    def apply(self, draft: Draft) -> None:
        reg = draft.registry
        people = [e for e in reg.entries.values() if e.type == "person"]
        for e in people:
            word = norm(e.name).split()
            if e.key not in reg.entries or len(word) != 1:
                continue
            whole = [o for o in people if o.key in reg.entries and o is not e
                     and len(norm(o.name).split()) > 1 and word[0] in norm(o.name).split()]
            if len(whole) == 1:
                reg.merge(whole[0].key, e.key)
                whole[0].changed_by.append(f"rule:{self.name}")


RULE = TypedNameParts()
