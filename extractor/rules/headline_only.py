"""A name found only in the headline is no actor: a headline restates the story in few words
("Hacker group threatens ...", "US gov't threatens ...") and the story names its actors
again in the body, where the contract's evidence comes from. The headline is already no
source of a threat or claim (restated_lead); this sets aside the names it alone gives.

News structure, not wording: a statement that still needs the name (a target in the body)
keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve.draft import Draft


@dataclass(frozen=True)
class HeadlineOnly:
    name: str = "headline_only"
    stage: str = "threats"

    def apply(self, draft: Draft) -> None:
        head = draft.doc.headline
        if not head:
            return
        text = draft.doc.text
        for e in draft.registry.entries.values():
            if e.type != "not_actor" and not any(text.find(f, head[1]) >= 0 for f in e.forms):
                e.type = "not_actor"
                e.changed_by.append(f"rule:{self.name}")


RULE = HeadlineOnly()
