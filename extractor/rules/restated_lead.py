"""One threat per threatened action per speaker: a headline or lead that restates a threat
the body quotes is the same threat, kept once, with the body's (more direct) quote; and a
headline is never the source of an item (it restates the story in other words).

News structure, not wording: the first two content lines summarise what the body reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve.draft import Draft

LEAD_LINES = 2


@dataclass(frozen=True)
class RestatedLead:
    name: str = "restated_lead"
    stage: str = "threats"

    def apply(self, draft: Draft) -> None:
        lead_end = draft.doc.content[min(LEAD_LINES, len(draft.doc.content)) - 1][1]
        head = draft.doc.headline
        for st in draft.statements:  # a headline restates what the story reports, unsourced
            if head and head[0] <= st.evidence[0] < head[1] and st.label != "restated":
                st.relabel("restated", self.name)
        threats = draft.threats
        for st in threats:
            if st.evidence[0] >= lead_end:
                continue
            later = [o for o in threats if o is not st and o.evidence[0] >= lead_end
                     and draft.registry.live(st.speaker).key in (
                         draft.registry.live(o.speaker).key, o.speaker.affiliation)
                     and o.label == "threat"
                     and (o.category == st.category or st.category in (None, "unspecified"))]
            if later:
                st.relabel("restated", self.name)


RULE = RestatedLead()
