"""A name that only ever stands in a line written wholly in capitals ("ULTIMATUM AT THE
WATER INTAKE", "WORKPLACE WIRE", "NEWSLETTER") is a crosshead, a section label or a page's
furniture, not an actor: the small parser reads such lines as organization names.

Layout, not wording: a line in capitals is a heading on any news page.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve.draft import Draft


def _capital_line(text: str, start: int, end: int) -> bool:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    line = text[lo:hi if hi >= 0 else len(text)]
    return any(c.isalpha() for c in line) and line.upper() == line


@dataclass(frozen=True)
class Crossheads:
    name: str = "crossheads"
    stage: str = "threats"

    def apply(self, draft: Draft) -> None:
        reg, text = draft.registry, draft.doc.text
        speakers = {reg.live(st.speaker).key for st in draft.statements}
        seen: dict[str, bool] = {}  # entry key -> every mention in a capital line
        for m in draft.analysis.entities:
            if (e := reg.find(m.text)) is not None:
                key = reg.live(e).key
                seen[key] = seen.get(key, True) and _capital_line(text, m.start, m.end)
        for key, only in seen.items():
            e = reg.entries[key]
            if only and key not in speakers and e.type != "not_actor":
                e.type = "not_actor"
                e.changed_by.append(f"rule:{self.name}")


RULE = Crossheads()
