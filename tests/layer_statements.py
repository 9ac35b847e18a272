"""The statements `resolve.statements.collect` makes of an analysis, as (speaker, cue) pairs:
shared by the tests of the layer's and the statements' options."""

from __future__ import annotations

from typing import Any

from extractor.linguistics import Analysis
from extractor.resolve.actors import Registry
from extractor.resolve.statements import collect


def statements_of(analysis: Analysis, **options: Any) -> list[tuple[str, str]]:
    registry = Registry()
    for m in analysis.entities:
        registry.add(m)
    return [(s.speaker.name, s.att.cue) for s in collect(analysis, registry, **options)]
