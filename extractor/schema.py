"""Result models users get, and the smaller response models the model fills.

The response models hold only what a model can know from the text (names, quotes, labels);
ids, offsets and provenance are ours and are added after grounding.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SCHEMA_VERSION = "1.0"

ActorType = Literal[
    "person",
    "state",
    "organization",
    "armed_group",
    "military",
    "media",
    "international_organization",
    "other",
]
ThreatCategory = Literal[
    "military_force",
    "nuclear_or_wmd",
    "cyber",
    "economic",
    "diplomatic",
    "legal",
    "violence",
    "data_leak",
    "unspecified",
    "other",
]
ClaimType = Literal[
    "factual", "accusation", "assessment", "intention", "denial", "prediction", "other"
]
Alignment = Literal["exact", "normalized", "fuzzy", "unaligned"]

ACTOR_TYPES: tuple[str, ...] = ActorType.__args__  # type: ignore[attr-defined]
THREAT_CATEGORIES: tuple[str, ...] = ThreatCategory.__args__  # type: ignore[attr-defined]
CLAIM_TYPES: tuple[str, ...] = ClaimType.__args__  # type: ignore[attr-defined]

# CAMEO THREATEN (13) codes that plainly follow from a category; see DESIGN.md.
CAMEO_BY_CATEGORY: dict[str, str] = {
    "military_force": "138",
    "nuclear_or_wmd": "1385",
    "economic": "1312",
    "diplomatic": "1313",
    "unspecified": "130",
    "violence": "1383",
    "cyber": "130",
    "legal": "132",
    "data_leak": "130",
    "other": "130",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- result models


class Span(_Strict):
    """A character range of the original text; `text[start:end]` is what it covers."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start or len(self.text) != self.end - self.start:
            raise ValueError("span end must be >= start and text must be end-start long")
        return self


class Evidence(Span):
    """Where an item stands in the source, found by our own alignment, never by the model."""

    alignment: Alignment
    score: float = Field(ge=0, le=100, description="similarity of the model's quote, 0-100")
    quote: str = Field(description="the quote as the model wrote it")


class DocumentMeta(_Strict):
    title: str | None = None
    publisher: str | None = None
    published_at: dt.date | None = None
    byline: str | None = None
    source: str | None = Field(default=None, description="file name or id the text came from")
    content_type: Literal["text", "html"] = Field(
        default="text", description="what was given; for 'html' every offset refers to the "
        "extracted main text (Extraction.text), not to the markup")


class Withheld(Span):
    """A span of the text the model never read (page furniture, comments, a suspected
    injection), listed so that nothing is left out in silence."""

    reason: str = Field(description="e.g. 'furniture:newsletter', 'comments', 'related_list', "
                        "'byline', 'caption', 'injection'")


class _Traced(_Strict):
    """Where an item came from: the model pass or the stage that created it (`origin`), and
    the stages or rules that changed it after (`changed_by`), in order."""

    origin: str = Field(default="model", description="e.g. 'model:actors', "
                        "'linguistics:entities', 'rule:merge_restated'")
    changed_by: list[str] = Field(default_factory=list)


class Actor(_Traced):
    id: str
    name: str
    type: ActorType = "other"
    aliases: list[str] = Field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    mentions: list[Span] = Field(default_factory=list)


class Threat(_Traced):
    id: str
    speaker: str = Field(description="actor id")
    targets: list[str] = Field(default_factory=list, description="actor ids")
    reported_by: list[str] = Field(default_factory=list, description="actor ids, speaker outwards")
    action: str
    category: ThreatCategory = "unspecified"
    cameo: str | None = None
    conditional: bool = False
    condition: str | None = None
    evidence: Evidence


class Claim(_Traced):
    id: str
    claimant: str = Field(description="actor id")
    statement: str
    type: ClaimType = "other"
    about: list[str] = Field(default_factory=list, description="actor ids")
    reported_by: list[str] = Field(default_factory=list, description="actor ids")
    evidence: Evidence


class Usage(_Strict):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    requests: int = Field(default=0, description="HTTP requests sent, every attempt counted")
    cached_calls: int = Field(default=0, description="calls answered from the response cache")
    model_seconds: float = Field(default=0.0, description="seconds the model spent producing "
                                 "these answers, also when they were replayed from the cache")

    def add(self, other: Usage) -> Usage:
        return Usage(**{k: getattr(self, k) + getattr(other, k) for k in Usage.model_fields})

    def replayed(self) -> Usage:
        """What a cache hit of this answer costs: no tokens or requests, the same model time."""
        return Usage(cached_calls=1, model_seconds=self.model_seconds)


class Provenance(_Strict):
    prompt_id: str
    prompt_version: int
    prompt_hash: str
    schema_version: str = SCHEMA_VERSION
    model: str
    provider: str
    extractor_version: str
    parameters: dict[str, float | int | str | None] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    chunks: int = 1
    duration_s: float = 0.0
    created_at: dt.datetime


class Notice(_Strict):
    """Something the user should know about this result: a dropped item, a repaired reference."""

    code: str
    message: str


class Extraction(_Strict):
    schema_version: str = SCHEMA_VERSION
    document: DocumentMeta
    actors: list[Actor] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    provenance: Provenance
    warnings: list[Notice] = Field(default_factory=list)
    withheld: list[Withheld] = Field(default_factory=list, description="spans of the text the "
                                     "model never read, each with its reason")
    text: str | None = Field(default=None, description="the text every offset refers to, when "
                             "it is not what was given (the main text extracted from HTML)")

    @model_validator(mode="after")
    def _references_resolve(self) -> Extraction:
        ids = [a.id for a in self.actors]
        if len(set(ids)) != len(ids):
            raise ValueError("actor ids must be unique")
        known = set(ids)
        refs: list[tuple[str, str]] = []
        for t in self.threats:
            refs += [(t.id, t.speaker)] + [(t.id, r) for r in t.targets + t.reported_by]
        for c in self.claims:
            refs += [(c.id, c.claimant)] + [(c.id, r) for r in c.about + c.reported_by]
        dangling = [f"{item}->{ref}" for item, ref in refs if ref not in known]
        if dangling:
            raise ValueError(f"references to unknown actor ids: {', '.join(dangling)}")
        return self

    def check_offsets(self, text: str) -> None:
        """Raise ValueError unless every span slices `text` to its own text."""
        spans: list[Span] = [t.evidence for t in self.threats]
        spans += [c.evidence for c in self.claims]
        spans += [m for a in self.actors for m in a.mentions]
        spans += self.withheld
        for s in spans:
            if text[s.start : s.end] != s.text:
                raise ValueError(f"span {s.start}:{s.end} does not slice to {s.text!r}")

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)


# -------------------------------------------------------------- response models
# Bounded lists and strings keep a small model from looping until max_tokens: llama.cpp turns
# maxItems/maxLength into its decoding grammar. No defaults: strict JSON-schema modes reject
# them, so every field is required (nullable where it may be empty).

Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Quote = Annotated[str, StringConstraints(min_length=1, max_length=400)]
Short = Annotated[str, StringConstraints(max_length=200)]


class ActorItem(BaseModel):
    name: Name = Field(description="fullest proper name used in the article")
    type: ActorType
    aliases: list[Name] = Field(max_length=6)
    role: Short | None
    affiliation: Name | None
    country: Annotated[str, StringConstraints(max_length=3)] | None


class ActorsResponse(BaseModel):
    actors: list[ActorItem] = Field(max_length=25)


class ThreatItem(BaseModel):
    quote: Quote = Field(description="the threatening words, copied exactly from the article")
    speaker: Name = Field(description="who made the threat (an actor name)")
    targets: list[Name] = Field(max_length=5)
    reported_by: list[Name] = Field(max_length=4)
    action: Short = Field(description="the harm threatened, in a few words")
    category: ThreatCategory
    conditional: bool
    condition: Short | None


class ThreatsResponse(BaseModel):
    threats: list[ThreatItem] = Field(max_length=10)


class ClaimItem(BaseModel):
    quote: Quote = Field(description="the sentence or words that report the claim, copied exactly")
    claimant: Name = Field(description="whose claim it is (an actor name)")
    statement: Short = Field(description="the claim as one plain, self-contained sentence")
    type: ClaimType
    reported_by: list[Name] = Field(max_length=4)
    about: list[Name] = Field(max_length=5)


class ClaimsResponse(BaseModel):
    claims: list[ClaimItem] = Field(max_length=15)


class AllResponse(BaseModel):
    """One call for everything: the naive baseline's response."""

    actors: list[ActorItem] = Field(max_length=25)
    threats: list[ThreatItem] = Field(max_length=10)
    claims: list[ClaimItem] = Field(max_length=15)


class ThreatCheck(BaseModel):
    """One candidate sentence judged on its own: a yes/no a small model can answer, with the
    fields that need reading (who, against whom); the quote is the sentence itself."""

    is_threat: bool
    speaker: Name = Field(description="who made the threat (an actor name)")
    targets: list[Name] = Field(max_length=3)
    action: Name = Field(description="the harm threatened, in a few words")
    category: ThreatCategory
    conditional: bool


class ThreatVerdict(BaseModel):
    """ThreatCheck with the verdict last: the model first says who threatens whom with
    what, then judges; a verdict written first came out "no" for clear threats."""

    speaker: Name = Field(description="who made the threat (an actor name)")
    targets: list[Name] = Field(max_length=3)
    action: Name = Field(description="the harm threatened, in a few words")
    category: ThreatCategory
    conditional: bool
    is_threat: bool


class ThreatKind(BaseModel):
    """A second look at a sentence the check called a threat, as a choice among the things
    that look like threats: a yes/no alone lets risk assessments and plans through."""

    who_would_act: Name = Field(description="who would cause the harm")
    harmed: Name = Field(description="who would be harmed")
    kind: Literal["threat", "past_event", "risk_assessment", "plan_or_decision", "denial",
                  "appeal", "consequence"]


RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    "actors": ActorsResponse,
    "threat_check": ThreatCheck,
    "threat_verdict": ThreatVerdict,
    "threat_kind": ThreatKind,
    "threats": ThreatsResponse,
    "claims": ClaimsResponse,
    "all": AllResponse,
}
