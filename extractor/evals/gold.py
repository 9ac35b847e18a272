"""A fixture's gold as an Extraction: for scorer self-checks and few-shot examples."""

from __future__ import annotations

import datetime as dt

from ..grounding import Aligner
from ..schema import Actor, Claim, DocumentMeta, Evidence, Extraction, Provenance, Threat
from .fixtures import Fixture
from .normalize import norm_name

ORIGIN = "gold:fixture"  # what gold items say they came from, so reports never credit a stage


def to_extraction(fixture: Fixture) -> Extraction:
    ids = {}
    actors = []
    for i, a in enumerate(fixture.actors, 1):
        actors.append(Actor(id=f"a{i}", name=a.name, type=a.type,  # type: ignore[arg-type]
                            aliases=a.aliases, role=a.role, affiliation=a.affiliation,
                            country=a.country, origin=ORIGIN))
        for f in a.forms:
            ids[norm_name(f)] = f"a{i}"
    aligner = Aligner(fixture.text)

    def ev(quote: str) -> Evidence:
        found = aligner.align(quote)
        assert found is not None, quote
        return found

    def ref(name: str) -> str:
        return ids[norm_name(name)]

    threats = [Threat(id=f"t{i}", speaker=ref(t.speaker), targets=[ref(x) for x in t.targets],
                      reported_by=[ref(x) for x in t.reported_by], action="",
                      category=t.category or "unspecified",  # type: ignore[arg-type]
                      cameo=t.cameo, conditional=bool(t.conditional), condition=t.condition,
                      evidence=ev(t.quotes[0]), origin=ORIGIN)
               for i, t in enumerate(fixture.threats, 1)]
    claims = [Claim(id=f"c{i}", claimant=ref(c.claimant), statement=c.statement,
                    type=c.type or "other",  # type: ignore[arg-type]
                    reported_by=[ref(x) for x in c.reported_by],
                    evidence=ev(c.quotes[0]) if c.quotes else Evidence(
                        start=0, end=0, text="", alignment="unaligned", score=0, quote=""),
                    origin=ORIGIN)
              for i, c in enumerate(fixture.claims, 1)]
    prov = Provenance(prompt_id="gold", prompt_version=0, prompt_hash="", model="gold",
                      provider="gold", extractor_version="", created_at=dt.datetime.now(dt.UTC))
    return Extraction(document=DocumentMeta(), actors=actors, threats=threats, claims=claims,
                      provenance=prov)
