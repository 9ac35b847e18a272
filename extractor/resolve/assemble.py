"""A finished Draft -> the result's actors, threats and claims, with ids and origins.

An entity the model called not_actor is left out unless a statement needs it (a speaker, a
target, a relay): the text, not the model, has the last word on who spoke.
"""

from __future__ import annotations

from ..grounding import Aligner
from ..schema import Actor, Claim, Threat
from .actors import Entry
from .draft import Draft
from .statements import build

_DEFAULT_TYPE = {"PERSON": "person", "GPE": "state", "ORG": "organization"}
# Organizations the model was not asked about are actors when talked about: the contract's
# "acts, speaks, is threatened or is talked about"; one that only locates something is set
# aside by the places_only_locate rule.
TALKED_ABOUT = ("ORG",)


def _needed(draft: Draft) -> set[str]:
    keys: set[str] = set()
    for st in draft.statements:
        if st.label in ("other", "appeal", "restated"):
            continue
        keys.add(draft.registry.live(st.speaker).key)
        for name in [*st.target_names, *(r.text for r in st.att.reported_by)]:
            if (e := draft.registry.find(name)) is not None:
                keys.add(e.key)
    return keys


def _type(e: Entry) -> str:
    if e.type and e.type != "not_actor":
        return e.type
    return _DEFAULT_TYPE.get(e.label, "other")


def assemble(draft: Draft) -> tuple[list[Actor], list[Threat], list[Claim]]:
    needed = _needed(draft)
    kept = [e for e in draft.registry.entries.values()
            if e.key in needed or (e.type not in (None, "not_actor") and e.label != "NORP")
            or (e.type is None and e.label in TALKED_ABOUT)]
    ids = {e.key: f"a{i + 1}" for i, e in enumerate(kept)}
    aligner = Aligner(draft.doc.text, exclude=draft.doc.furniture)
    by_key = {e.key: e for e in kept}
    actors = []
    for e in kept:
        forms = sorted(e.forms, key=lambda f: -e.forms[f])
        aff = by_key.get(e.affiliation or "")
        actors.append(Actor(
            id=ids[e.key], name=e.name, type=_type(e),  # type: ignore[arg-type]
            aliases=[f for f in forms if f != e.name][:12], role=e.role,
            affiliation=aff.name if aff is not None else None,
            mentions=aligner.mentions(forms),
            origin=e.origin if e.typed_by is None else f"{e.origin}+{e.typed_by}",
            changed_by=list(e.changed_by)))
    threats, claims = build(draft, ids)
    return actors, threats, claims
