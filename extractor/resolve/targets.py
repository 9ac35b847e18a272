"""Who a threat is aimed at, from the parse: the actors the threatened content names, less
the side that would act.

The content span of an attribution is what the speaker said ("we will teach Imo State
lessons"); the actors named inside it are the participants of the threatened act. The
speaker, its affiliation, those relaying it and the content's active subject (who would act)
are the threatening side, never targets; a name that only locates the act ("at Owerri") or a
medium is no target either. A threat against several actors names them all, which one model
answer naming one actor cannot do.
"""

from __future__ import annotations

from .. import lexicon
from ..corpus.countries import identify
from ..gazetteer import country_name, state_of
from ..linguistics import Mention
from .actors import Entry, Registry
from .draft import Draft, Statement

NO_TARGET_TYPES = ("not_actor", "media")


def demonym_state(form: str) -> str | None:
    """"Croatian" (diplomats) -> Croatia: a demonym stands for its own state only."""
    if "-" in form:  # "Kyrgyz-Tajik" names two sides
        return None
    found = identify(form)
    return country_name(found[0]) if found and found[1] == "demonym" else None


def _state_entry(reg: Registry, state: str) -> Entry | None:
    """The registry's entry for `state`, added when the article never names it itself."""
    return reg.find(state) or reg.add(Mention(0, 0, state, "GPE"), origin="linguistics:targets")


def _locates(dep: str) -> bool:
    """The mention only says where something happens, not to whom ("at Owerri")."""
    kind, _, prep = dep.partition(":")
    return kind == "pobj" and prep in lexicon.PLACE_ONLY_PREPOSITIONS


def _entry(reg: Registry, m: Mention) -> Entry | None:
    """The actor a mention names; a demonym names its state, added when the article never
    names that state itself."""
    if m.label == "NORP" and (state := demonym_state(m.text)) is not None:
        found = reg.find(state)
        if found is None:
            found = reg.add(Mention(m.start, m.end, state, "GPE"), origin="linguistics:targets")
        return found
    return reg.find(m.text)


def _organ_state(name: str) -> str | None:
    """"Russian Foreign Ministry", "Tajik Defence Ministry": a body named by its state's
    demonym speaks for that state's side (an armed group so named is typed apart)."""
    first = name.split()[0] if " " in name else ""
    return demonym_state(first) if first else None


def _side(draft: Draft, st: Statement, organs: bool = False) -> set[str]:
    """Registry keys of the speaker's side: the speaker, its affiliation and their state,
    whoever relays the statement, and the content's own subject. With `organs`, also the
    state whose demonym names the speaker's or its affiliation's body (`_organ_state`)."""
    reg = draft.registry
    speaker = reg.live(st.speaker)
    side = {speaker.key}
    if speaker.affiliation:
        side.add(speaker.affiliation)
    names = [m.text for m in st.att.reported_by]
    if st.att.agent is not None:
        names.append(st.att.agent.text)
    for key in list(side):
        if key in reg.entries:
            entry = reg.entries[key]
            name = entry.name
            state = state_of(name) or demonym_state(name)
            if state is None and organs and entry.type not in ("armed_group", "not_actor"):
                state = _organ_state(name)
            if state:
                names.append(state)
    for name in names:
        if (e := reg.find(name)) is not None:
            side.add(reg.live(e).key)
    return side


def parse_targets(draft: Draft, st: Statement) -> list[Entry]:
    """The actors named in the statement's content that are not on the speaker's side, in
    the order the text names them."""
    reg = draft.registry
    lo, hi = st.att.content
    side = _side(draft, st)
    out: list[Entry] = []
    for m in draft.analysis.entities:
        if not (lo <= m.start and m.end <= hi) or _locates(m.dep):
            continue
        e = _entry(reg, m)
        if e is None:
            continue
        e = reg.live(e)
        if e.key in side or e.type in NO_TARGET_TYPES or e in out:
            continue
        out.append(e)
    return out


def _coordinated(draft: Draft, st: Statement, first: Entry) -> list[Entry]:
    """`first` and the actors coordinated with it in the statement's sentence ("Imo State
    and Nigeria", "the United States and South Korea"): one threat against each of them."""
    reg = draft.registry
    lo, hi = st.evidence
    mentions = [m for m in draft.analysis.entities if lo <= m.start and m.end <= hi]
    out = [first]
    for a, b in zip(mentions, mentions[1:], strict=False):
        ea, eb = reg.find(a.text), _entry(reg, b)
        if ea is None or eb is None or reg.live(ea) not in out or b.dep != "conj":
            continue
        gap = draft.text((a.end, b.start)).strip(" ,").lower()
        if gap in ("and", "or", "") and (e := reg.live(eb)) not in out:
            out.append(e)
    return out


def model_target(draft: Draft, st: Statement) -> list[Entry]:
    """The model's named target as an actor: a demonym as its state, nothing on the
    speaker's side."""
    if not st.target:
        return []
    reg = draft.registry
    state = demonym_state(st.target)
    e = _state_entry(reg, state) if state else reg.find(st.target)
    side = _side(draft, st)
    if e is None or reg.live(e).key in side:
        return []
    return [t for t in _coordinated(draft, st, reg.live(e)) if t.key not in side]


def _people_state(reg: Registry, e: Entry) -> Entry:
    """A people's name ("Rwandans"; "Tajik", which the tagger may call a person) stands for
    its state as a target: a demonym is no actor of its own (the labelling contract)."""
    state = demonym_state(e.name) or (demonym_state(e.name[:-1]) if e.name.endswith("s")
                                      else None)
    found = _state_entry(reg, state) if state is not None else None
    return e if found is None else reg.live(found)


def party_targets(draft: Draft, st: Statement) -> list[Entry]:
    """The parties the statement's grammar names (`linguistics.parties`): whoever would set
    the act off, is addressed, or is acted against; a pronoun among them stands for the
    first one named. Never the speaker's side or a medium (and the roles read never name
    a place that only locates)."""
    reg = draft.registry
    named = [m for m in st.att.parties if m.label != "PRON"]
    mentions = [named[0] if m.label == "PRON" else m for m in st.att.parties
                if named or m.label != "PRON"]
    found = [reg.live(e) for m in mentions if (e := _entry(reg, m)) is not None]
    return [e for e in sided(draft, st, found) if e.type not in NO_TARGET_TYPES]


def phrase_state(draft: Draft, st: Statement) -> list[Entry]:
    """The state whose demonym opens the model's target phrase ("Tajik diplomats", "any
    Kyrgyz drone" as "Kyrgyz drone"), when the phrase names no actor itself."""
    if not st.target or (state := _organ_state(st.target)) is None:
        return []
    reg = draft.registry
    found = _state_entry(reg, state)
    return [] if found is None else [reg.live(found)]


def sided(draft: Draft, st: Statement, found: list[Entry]) -> list[Entry]:
    """`found` without the speaker's side, its organs' states included; a people named
    stands for its state."""
    side = _side(draft, st, organs=True)
    out: list[Entry] = []
    for e in (_people_state(draft.registry, e) for e in found):
        if e.key not in side and e not in out:
            out.append(e)
    return out
