"""A quotation that runs on over several sentences is one statement: when a sentence that is
all quotation, with no cue of its own, continues the quote of the sentence before it in the
same paragraph by the same speaker, and either of them is a threat, they are one threat
whose evidence covers both ("It wrote: 'Our ceasefire ends soon, then we start full
operations. The state will be shocked at what we do next.'").

Quotation structure, not wording: it reads the attribution kinds the parse gave.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve.draft import Draft, Statement


def _same_line(draft: Draft, a: Statement, b: Statement) -> bool:
    return any(s <= a.evidence[0] and b.evidence[1] <= e for s, e in draft.doc.content)


@dataclass(frozen=True)
class QuoteContinues:
    name: str = "quote_continues"
    stage: str = "statements"

    def apply(self, draft: Draft) -> None:
        reg = draft.registry
        prev: Statement | None = None
        for st in draft.statements:
            if (prev is not None and st.att.kind == "quote_only"
                    and "threat" in (st.label, prev.label)
                    and reg.live(st.speaker).key == reg.live(prev.speaker).key
                    and _same_line(draft, prev, st)
                    and not draft.text((prev.evidence[1], st.evidence[0])).strip()):
                keep, drop = (prev, st) if prev.label == "threat" else (st, prev)
                keep.evidence = (prev.evidence[0], st.evidence[1])
                keep.changed_by.append(f"rule:{self.name}")
                drop.relabel("restated", self.name)
                prev = keep
                continue
            prev = st


RULE = QuoteContinues()
