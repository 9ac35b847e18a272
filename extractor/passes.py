"""What each pass is, in one place: its response model and what it reads.

Article passes (`actors`, `threats`, `claims`, `all`) read the whole chunk; sentence passes
(`threat_check`, `threat_verdict`, `threat_kind`) one candidate sentence; item passes
(`actor_types` or `actor_kinds`, `is_threat`, `threat_details`) one item the linguistic layer
found, answered with a short, grammar-constrained label, so the model writes a few tokens per
item instead of copying names and quotes. Item requests share their instructions as a prefix
(llama.cpp reuses it) and are independent, so a round of them can go out at once. Asked as one
numbered list, the 1.5B model gave every item the first item's label (seed: 20 of 20
"person"); asked for one of nine statement labels per sentence it said "threat" for 3 of 5
non-threats, and asked yes/no whether the speaker's side will harm someone, it was right on 6
of 6.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .schema import ACTOR_TYPES, RESPONSE_MODELS, THREAT_CATEGORIES, Name

LIST = {"actor_types": 1, "actor_kinds": 1, "is_threat": 1, "threat_details": 2}  # -> round
TYPING_PASSES = ("actor_kinds", "actor_types")  # a version lists one: it types the entities

ACTOR_LABELS = (*[t for t in ACTOR_TYPES if t != "other"], "not_actor")
# actor_kinds asks what kind of thing a name is. Asked actor_types about every name, the 1.5B
# typed towns "state" and roads and exercises "organization", never the abstract "not_actor"
# (dev: spurious actors 14 -> 14); the non-actors get concrete kinds, OntoNotes' non-actor
# labels in plain words, each read as not_actor.
NOT_ACTOR_KINDS = ("town_or_region", "site", "event", "thing")
KIND_LABELS = (*[t for t in ACTOR_TYPES if t != "other"], *NOT_ACTOR_KINDS)


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ThreatDetail(_Closed):
    target: Name = Field(description="who is threatened: one actor name, or 'none'")
    category: Literal[THREAT_CATEGORIES]  # type: ignore[valid-type]


class ActorType(_Closed):
    type: Literal[ACTOR_LABELS]  # type: ignore[valid-type]


class ActorKind(_Closed):
    type: Literal[KIND_LABELS]  # type: ignore[valid-type]


def actor_type(label: str) -> str:
    """An actor_types or actor_kinds answer as an actor type, or "not_actor"."""
    return "not_actor" if label in NOT_ACTOR_KINDS else label


def typing_pass(listed: tuple[str, ...] | list[str]) -> str:
    """The pass a version types its entities with."""
    return next((p for p in TYPING_PASSES if p in listed), "actor_types")


class IsThreat(_Closed):
    label: Literal["no", "yes"]


ITEM_MODELS: dict[str, type[BaseModel]] = {
    "actor_types": ActorType, "actor_kinds": ActorKind, "is_threat": IsThreat,
    "threat_details": ThreatDetail}


def response_model(pass_name: str) -> type[BaseModel]:
    if pass_name in ITEM_MODELS:
        return ITEM_MODELS[pass_name]
    return RESPONSE_MODELS[pass_name]
