"""Whom a statement's act is aimed at, read off the real parse (`Attribution.parties`): the
subject of an "if" clause, the one the cue verb addresses, the object of "against"; a clause
of being names no one who acts, and a pronoun is kept for `resolve.targets` to read."""

from __future__ import annotations

from extractor.documents import parse
from extractor.linguistics import Attribution, analyze

ARTICLE = """Ministries trade warnings
Harbor Times
March 3, 2025

Russia will retaliate if Britain imposes new sanctions, the Russian Foreign Ministry said.
China warned the United States of retaliation over the tariffs.
Acme Corp said it would take legal action against SaharaReporters.
General Tom Abel said troops would march on the capital if Ceesay is not back in office.
Kenya warned Somalia that its army would respond if they cross the border again.
"""


def _by_speaker() -> dict[str, Attribution]:
    atts = analyze(parse(ARTICLE)).attributions
    return {a.source.text: a for a in atts if a.source is not None}


def _parties(att: Attribution) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in att.parties]


def test_the_subject_of_a_condition_is_a_party() -> None:
    assert _parties(_by_speaker()["Russian Foreign Ministry"]) == [("Britain", "GPE")]


def test_the_one_the_cue_addresses_is_a_party() -> None:
    assert _parties(_by_speaker()["China"]) == [("United States", "GPE")]


def test_the_object_of_against_is_a_party() -> None:
    assert _parties(_by_speaker()["Acme Corp"]) == [("SaharaReporters", "ORG")]


def test_a_condition_of_being_names_no_party() -> None:
    """"if Ceesay is not back in office" is a state of affairs, not someone's doing."""
    att = _by_speaker()["General Tom Abel"]
    assert att.condition is not None and "Ceesay" in att.condition  # the clause was read
    assert _parties(att) == []


def test_a_pronoun_subject_is_kept_as_written_with_its_place() -> None:
    att = _by_speaker()["Kenya"]
    assert _parties(att) == [("they", "PRON"), ("Somalia", "GPE")]
    for m in att.parties:
        assert ARTICLE[m.start:m.end] == m.text
