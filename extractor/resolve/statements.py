"""Attributions -> the statements the model labels, and labelled statements -> threats and
claims with actor ids, evidence and origin."""

from __future__ import annotations

from .. import lexicon
from ..linguistics import Analysis, Mention
from ..schema import CAMEO_BY_CATEGORY, Claim, Evidence, Threat
from .actors import Entry, Registry
from .draft import Draft, Statement
from .targets import demonym_state

ACTION_MAX = 200


def _as_state(m: Mention) -> Mention:
    """"a statement by the Chinese government", "Russian officials said": a demonym that
    speaks stands for its state."""
    state = demonym_state(m.text) if m.label == "NORP" else None
    return Mention(m.start, m.end, state, "GPE", m.dep) if state else m


def collect(analysis: Analysis, registry: Registry, threat_acts: bool = False,
            demonym_speakers: bool = False, acts_apart: bool = False) -> list[Statement]:
    """One statement per sentence and speaker; speakers join the registry (a speaker the NER
    missed is still an actor), and a speaker's noun phrase gives its affiliation. With
    `threat_acts`, an explicit threat ("rejected the charges and threatened legal action")
    is a statement of its own beside the speaker's other act in the sentence; with
    `demonym_speakers`, a demonym speaker is its state (`_as_state`); with `acts_apart`, a
    speaker's act to come and their assertion in one sentence are two statements ("Ospina,
    who accuses the association ..., said riot police would ..."): the first one found no
    longer hides the other."""
    out: dict[tuple[tuple[int, int], str, bool, bool], Statement] = {}
    for att in analysis.attributions:
        if att.source is None:
            continue  # "analysts said": no identifiable source, neither claim nor threat
        source = _as_state(att.source) if demonym_speakers else att.source
        entry = registry.add(source, origin="linguistics:attribution")
        if entry is None:
            continue
        if att.affiliation is not None and entry.label == "PERSON" and not entry.affiliation:
            aff = registry.add(att.affiliation)
            entry.affiliation = aff.key if aff is not None and aff is not entry else None
        for rb in att.reported_by:
            registry.add(rb, origin="linguistics:attribution")
        key = (att.sentence, entry.key, threat_acts and att.cue in lexicon.THREAT_VERBS,
               acts_apart and att.future)
        if key not in out:
            out[key] = Statement(att=att, speaker=entry, evidence=att.sentence)
    return sorted(out.values(), key=lambda s: s.evidence[0])


def _evidence(draft: Draft, span: tuple[int, int]) -> Evidence:
    text = draft.text(span)
    return Evidence(start=span[0], end=span[1], text=text, alignment="exact", score=100.0,
                    quote=text)


def _action(draft: Draft, st: Statement) -> str:
    return " ".join(draft.text(st.att.content).split())[:ACTION_MAX]


def build(draft: Draft, ids: dict[str, str]) -> tuple[list[Threat], list[Claim]]:
    """`ids`: registry key -> actor id of the actors kept."""
    threats: list[Threat] = []
    claims: list[Claim] = []
    reg = draft.registry

    def aid(entry: Entry | None) -> str | None:
        return ids.get(reg.live(entry).key) if entry is not None else None

    for st in draft.statements:
        speaker = aid(st.speaker)
        if speaker is None:
            continue
        reported = [i for r in st.att.reported_by if (i := aid(reg.find(r.text)))
                    and i != speaker]
        if st.label == "threat":
            targets = list(dict.fromkeys(
                t for name in st.target_names if (t := aid(reg.find(name))) and t != speaker))
            category = st.category or "unspecified"
            threats.append(Threat(
                id=f"t{len(threats) + 1}", speaker=speaker,
                targets=targets,
                reported_by=reported, action=_action(draft, st), category=category,  # type: ignore[arg-type]
                cameo=CAMEO_BY_CATEGORY.get(category), conditional=st.att.condition is not None,
                condition=st.att.condition[:200] if st.att.condition else None,
                evidence=_evidence(draft, st.evidence), origin=st.origin,
                changed_by=list(st.changed_by)))
        elif st.label in CLAIM_TYPES_KEPT:
            claims.append(Claim(
                id=f"c{len(claims) + 1}", claimant=speaker, statement=_action(draft, st),
                type="factual" if st.label == "claim" else st.label,  # type: ignore[arg-type]
                reported_by=reported,
                evidence=_evidence(draft, st.evidence), origin=st.origin,
                changed_by=list(st.changed_by)))
    return threats, claims


# "claim" is a statement no rule typed (rules=()): a claim of unknown kind.
CLAIM_TYPES_KEPT = ("claim", "prediction", "assessment", "accusation", "denial", "intention",
                    "factual", "other")
