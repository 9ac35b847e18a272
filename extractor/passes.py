"""What each pass is, in one place: its response model and what it reads.

Article passes (`actors`, `threats`, `claims`, `all`) read the whole chunk; sentence passes
(`threat_check`, `threat_verdict`, `threat_kind`) one candidate sentence; item passes
(`actor_types`, `is_threat`, `threat_details`) one item the linguistic layer found, answered
with a short, grammar-constrained label, so the model writes a few tokens per item instead of
copying names and quotes. Item requests share their instructions as a prefix (llama.cpp
reuses it) and are independent, so a round of them can go out at once. Asked as one numbered
list, the 1.5B model gave every item the first item's label (seed: 20 of 20 "person"); asked
for one of nine statement labels per sentence it said "threat" for 3 of 5 non-threats, and
asked yes/no whether the speaker's side will harm someone, it was right on 6 of 6.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .schema import ACTOR_TYPES, RESPONSE_MODELS, THREAT_CATEGORIES, Name

LIST = {"actor_types": 1, "is_threat": 1, "threat_details": 2}  # pass -> its round

ACTOR_LABELS = (*[t for t in ACTOR_TYPES if t != "other"], "not_actor")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ThreatDetail(_Closed):
    target: Name = Field(description="who is threatened: one actor name, or 'none'")
    category: Literal[THREAT_CATEGORIES]  # type: ignore[valid-type]


class ActorType(_Closed):
    type: Literal[ACTOR_LABELS]  # type: ignore[valid-type]


class IsThreat(_Closed):
    label: Literal["no", "yes"]


ITEM_MODELS: dict[str, type[BaseModel]] = {
    "actor_types": ActorType, "is_threat": IsThreat, "threat_details": ThreatDetail}


def response_model(pass_name: str) -> type[BaseModel]:
    if pass_name in ITEM_MODELS:
        return ITEM_MODELS[pass_name]
    return RESPONSE_MODELS[pass_name]
