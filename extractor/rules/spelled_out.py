"""A body spelled out with its acronym in parentheses, "the Democratic Forces for the
Liberation of Rwanda (FDLR)", is named by that acronym wherever it appears: the text defines
the short form, whatever its letters (FDLR keeps French word order, so the initials of the
English name do not spell it). Where the parser took the bracket into the name ("National
Movement for the Liberation of Azawad (MNLA" or "... of Azawad ("), the name is cut before
it. An acronym that names a country ("Unilever (UK)") is left alone.

Writing convention, not wording: no list of acronyms; the model's types (or the parser's
label) say which entries are bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..gazetteer import state_of
from ..resolve.actors import Entry, norm
from ..resolve.draft import Draft
from .short_names import is_body

ACRONYM = re.compile(r"[A-Z][A-Z0-9&-]{1,9}")


def _mend(e: Entry) -> str | None:
    """Cut a bracket the parser took into `e`'s names ("... of Azawad (MNLA", "... of Azawad
    ("); the acronym it held, if any."""
    acronym = None
    for form in [f for f in e.forms if "(" in f]:
        head, _, tail = (part.strip(" )") for part in form.partition("("))
        if not head:
            continue
        e.forms[head] = e.forms.get(head, 0) + e.forms.pop(form)
        if ACRONYM.fullmatch(tail):
            acronym = tail
        if e.name == form:
            e.name = head
    return acronym


def _defined(text: str, e: Entry) -> set[str]:
    """Acronyms the text puts in brackets right after one of `e`'s forms."""
    found: set[str] = set()
    for form in e.forms:
        pattern = rf"(?<!\w){re.escape(form)}\s*\(({ACRONYM.pattern})(?=[),;:])"
        found.update(m[1] for m in re.finditer(pattern, text))
    return found


@dataclass(frozen=True)
class SpelledOut:
    name: str = "spelled_out"
    stage: str = "threats"

    def apply(self, draft: Draft) -> None:
        reg, text = draft.registry, draft.doc.text
        for e in list(reg.entries.values()):
            if e.key not in reg.entries or not is_body(e):
                continue
            forms = dict(e.forms)
            cut = _mend(e)
            changed = e.forms != forms
            acronyms = _defined(text, e) | ({cut} if cut else set())
            for acronym in sorted(a for a in acronyms if state_of(a) is None):
                other = reg.find(acronym)
                if other is None:
                    e.add(acronym)
                    changed = True
                elif other.key != e.key and norm(other.name) == norm(acronym):
                    reg.merge(e.key, other.key)
                    changed = True
            if changed:
                e.changed_by.append(f"rule:{self.name}")


RULE = SpelledOut()
