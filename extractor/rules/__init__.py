"""Post-validation rules: named objects, each with one job, run in the order a prompt
version's YAML lists them.

A rule is a module in this package holding one `Rule` instance: its `name`, the `stage` it
runs at, and `apply(draft)`, which changes the draft and records its name on what it changed.
Adding a rule is adding one file and naming it in a prompt version. The rules of extract@1-10
(word-list rules inside the old resolver) live on in `legacy` for those released versions.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING, Protocol

from ..errors import ConfigError
from .legacy import (
    RULES,
    Sentences,
    conditional,
    definite_source,
    guess_category,
    guess_claim_type,
    has_attribution,
    has_attribution_verb,
    has_threat_cues,
    is_appeal,
    is_media_name,
    looks_like_person,
    named_source,
    organizations,
    pronoun_source,
    quoted_title,
    short_source,
    source_position,
    speaking_for,
    strip_titles,
    threat_verb,
    titled_people,
)

if TYPE_CHECKING:
    from ..resolve.draft import Draft

__all__ = [
    "RULES", "Rule", "Sentences", "conditional", "definite_source", "get_rules",
    "guess_category", "guess_claim_type", "has_attribution", "has_attribution_verb",
    "has_threat_cues", "is_appeal", "is_media_name", "looks_like_person", "named_source",
    "organizations", "pronoun_source", "quoted_title", "short_source", "source_position",
    "speaking_for", "strip_titles", "threat_verb", "titled_people",
]


class Rule(Protocol):
    name: str
    stage: str  # "statements" (after labelling), "threats" (after threats are built)

    def apply(self, draft: Draft) -> None: ...


@cache
def available() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for mod in pkgutil.iter_modules(__path__):
        if mod.name == "legacy":
            continue
        rule = getattr(importlib.import_module(f"{__name__}.{mod.name}"), "RULE", None)
        if rule is not None:
            out[rule.name] = rule
    return out


def get_rules(names: tuple[str, ...] | list[str]) -> list[Rule]:
    """The named rules, in the given order; an unknown name is a ConfigError up front."""
    known = available()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]
