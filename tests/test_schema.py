"""Result schema: references resolve, offsets check, response schemas stay bounded."""

import datetime as dt

import pytest
from pydantic import ValidationError

from extractor.schema import (
    RESPONSE_MODELS,
    Actor,
    DocumentMeta,
    Evidence,
    Extraction,
    Provenance,
    Span,
    Threat,
)

TEXT = "Pyongyang warned Seoul it would respond."


def _prov() -> Provenance:
    return Provenance(prompt_id="extract", prompt_version=1, prompt_hash="h", model="m",
                      provider="p", extractor_version="0", created_at=dt.datetime.now(dt.UTC))


def _threat(speaker: str, targets: list[str]) -> Threat:
    ev = Evidence(start=0, end=9, text="Pyongyang", alignment="exact", score=100, quote="x")
    return Threat(id="t1", speaker=speaker, targets=targets, action="respond",
                  evidence=ev)


def test_valid_extraction_round_trips_and_checks_offsets() -> None:
    ex = Extraction(document=DocumentMeta(), provenance=_prov(),
                    actors=[Actor(id="a1", name="North Korea", type="state"),
                            Actor(id="a2", name="South Korea", type="state")],
                    threats=[_threat("a1", ["a2"])])
    again = Extraction.model_validate_json(ex.model_dump_json())
    assert again == ex
    again.check_offsets(TEXT)
    with pytest.raises(ValueError, match="does not slice"):
        again.check_offsets("x" + TEXT)


def test_dangling_actor_reference_is_rejected() -> None:
    with pytest.raises(ValidationError, match="unknown actor ids: t1->a9"):
        Extraction(document=DocumentMeta(), provenance=_prov(),
                   actors=[Actor(id="a1", name="North Korea")],
                   threats=[_threat("a1", ["a9"])])


def test_duplicate_actor_ids_are_rejected() -> None:
    with pytest.raises(ValidationError, match="unique"):
        Extraction(document=DocumentMeta(), provenance=_prov(),
                   actors=[Actor(id="a1", name="A"), Actor(id="a1", name="B")])


def test_span_text_must_match_its_length() -> None:
    with pytest.raises(ValidationError):
        Span(start=0, end=5, text="abc")
    with pytest.raises(ValidationError):
        Span(start=5, end=2, text="")


def test_response_schemas_are_bounded_and_carry_no_ids_or_offsets() -> None:
    def unbounded(node: object) -> list[str]:
        """Arrays without maxItems and free strings (no maxLength, no enum) anywhere."""
        if isinstance(node, list):
            return [x for n in node for x in unbounded(n)]
        if not isinstance(node, dict):
            return []
        found = [x for v in node.values() for x in unbounded(v)]
        if node.get("type") == "array" and "maxItems" not in node:
            found.append(str(node))
        if node.get("type") == "string" and not ({"maxLength", "enum", "const"} & set(node)):
            found.append(str(node))
        return found

    for name, model in RESPONSE_MODELS.items():
        schema = model.model_json_schema()
        text = str(schema)
        assert unbounded(schema) == [], name
        for forbidden in ("'start'", "'end'", "'id'", "default"):
            assert forbidden not in text, (name, forbidden)
