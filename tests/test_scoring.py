"""Scorer: prediction = gold gives 1.0; small hand-computed cases give known numbers."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.evals.fixtures import load_fixture, load_fixtures
from extractor.evals.gold import to_extraction
from extractor.evals.normalize import norm_name
from extractor.evals.scoring import Counts, match, score_fixture
from extractor.evals.summary import bootstrap_f1, summarize
from extractor.grounding import align
from extractor.schema import Actor, Claim, DocumentMeta, Evidence, Extraction, Provenance, Threat

FIXTURES = Path(__file__).parent.parent / "evals" / "fixtures"

TEXT = (
    "Pyongyang warned on Friday. \"We will strike the enemies,\" No Kwang Chol said, "
    "according to KCNA. Seoul said the launch was a provocation. "
    "Washington said it was consulting allies."
)
FIXTURE_YAML = f"""
id: tiny
split: test
text: {TEXT!r}
actors:
  - {{name: No Kwang Chol, type: person, aliases: ['No']}}
  - {{name: North Korea, type: state, aliases: [Pyongyang]}}
  - {{name: South Korea, type: state, aliases: [Seoul]}}
  - {{name: Korean Central News Agency, type: media, aliases: [KCNA]}}
  - {{name: United States, type: state, aliases: [Washington]}}
threats:
  - speaker: No Kwang Chol
    reported_by: [KCNA]
    targets: [South Korea]
    category: military_force
    conditional: false
    quote: We will strike the enemies
claims:
  - claimant: Seoul
    type: accusation
    statement: The launch was a provocation.
    quote: Seoul said the launch was a provocation.
  - claimant: Washington
    type: intention
    statement: The United States is consulting its allies.
    quote: Washington said it was consulting allies.
"""


def _ev(quote: str) -> Evidence:
    ev = align(quote, TEXT)
    assert ev is not None
    return ev


def _prov() -> Provenance:
    return Provenance(prompt_id="p", prompt_version=1, prompt_hash="h", model="m",
                      provider="p", extractor_version="0", created_at=dt.datetime.now(dt.UTC))


@pytest.fixture()
def tiny(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "tiny.yaml"
    path.write_text(FIXTURE_YAML)
    return load_fixture(path)


def test_prediction_equal_to_gold_scores_one_everywhere_on_the_suite() -> None:
    fixtures = load_fixtures(FIXTURES, None)  # every split, held-out and translated too
    assert len(fixtures) >= 14
    summary = summarize([score_fixture(f, to_extraction(f)) for f in fixtures])
    for kind in ("actors", "threats", "claims"):
        assert summary[kind]["f1"] == 1.0 and summary[kind]["f1_ci95"] == [1.0, 1.0]
    assert all(v == 1.0 for v in summary["accuracy"].values())
    assert summary["grounded"] == 1.0 and summary["schema_valid"] == 1.0


def test_hand_computed_case(tiny) -> None:  # type: ignore[no-untyped-def]
    pred = Extraction(
        document=DocumentMeta(), provenance=_prov(),
        actors=[
            Actor(id="a1", name="No Kwang Chol", type="person"),
            Actor(id="a2", name="Pyongyang", type="state"),  # alias match
            Actor(id="a3", name="Seoul", type="organization"),  # match, wrong type
            Actor(id="a4", name="the allies", type="other"),  # spurious
        ],
        threats=[
            # speaker by family name only would be a different actor here: use a1
            Threat(id="t1", speaker="a1", targets=["a3"], action="strike",
                   category="military_force", conditional=True,
                   evidence=_ev("We will strike the enemies")),
            Threat(id="t2", speaker="a2", action="x", evidence=_ev("Pyongyang warned on Friday")),
        ],
        claims=[
            Claim(id="c1", claimant="a3", statement="It was a provocation", type="assessment",
                  evidence=_ev("the launch was a provocation")),
        ],
    )
    s = score_fixture(tiny, pred)
    # actors: gold 5, predicted 4, matched 3 -> P 3/4, R 3/5
    assert (s.counts["actors"].tp, s.counts["actors"].fp, s.counts["actors"].fn) == (3, 1, 2)
    assert s.counts["actors"].precision == 0.75 and s.counts["actors"].recall == 0.6
    assert round(s.counts["actors"].f1, 4) == round(2 * 0.75 * 0.6 / 1.35, 4)
    # threats: t1 matches, t2 spurious -> P 1/2, R 1/1
    assert (s.counts["threats"].tp, s.counts["threats"].fp, s.counts["threats"].fn) == (1, 1, 0)
    # claims: c1 matches Seoul's claim by evidence overlap, Washington's missed
    assert (s.counts["claims"].tp, s.counts["claims"].fp, s.counts["claims"].fn) == (1, 0, 1)
    # attributes on matched pairs
    assert s.attrs["actor_type"].count(True) == 2 and s.attrs["actor_type"].count(False) == 1
    assert s.attrs["threat_category"] == [True]
    assert s.attrs["threat_conditional"] == [False]
    assert s.attrs["threat_targets"] == [True]
    assert s.attrs["claim_type"] == [False]
    assert s.items["claims"]["missed"] == ["The United States is consulting its allies."]


def test_wrong_speaker_does_not_match_even_with_the_right_quote(tiny) -> None:  # type: ignore[no-untyped-def]
    pred = Extraction(document=DocumentMeta(), provenance=_prov(),
                      actors=[Actor(id="a1", name="KCNA", type="media")],
                      threats=[Threat(id="t1", speaker="a1", action="x",
                                      evidence=_ev("We will strike the enemies"))])
    s = score_fixture(tiny, pred)
    assert s.counts["threats"].tp == 0 and s.counts["threats"].fp == 1


def test_family_name_alone_means_the_person(tiny) -> None:  # type: ignore[no-untyped-def]
    pred = Extraction(document=DocumentMeta(), provenance=_prov(),
                      actors=[Actor(id="a1", name="Chol", type="person")])
    assert score_fixture(tiny, pred).counts["actors"].tp == 1


def test_failed_extraction_counts_all_missed(tiny) -> None:  # type: ignore[no-untyped-def]
    s = score_fixture(tiny, None, error="ProviderError: down")
    assert not s.ok and s.counts["threats"].fn == 1 and s.counts["claims"].fn == 2
    summary = summarize([s])
    assert summary["schema_valid"] == 0.0
    assert summary["failed"] == [{"fixture": "tiny", "error": "ProviderError: down"}]
    assert summary["threats"]["f1"] == 0.0


def test_matching_is_one_to_one_and_maximal() -> None:
    # gold 0 can take pred 0 or 1, gold 1 only pred 0: the maximum matching uses both
    pairs = match(2, 2, lambda g, p: (g, p) in {(0, 0), (0, 1), (1, 0)})
    assert pairs == [(0, 1), (1, 0)]
    # among equally large matchings, each gold item takes its preferred candidate
    everything = match(2, 2, lambda g, p: True)
    assert match(2, 2, lambda g, p: True, prefer=lambda g, p: float(g != p)) == [(0, 1), (1, 0)]
    assert match(2, 2, lambda g, p: True, prefer=lambda g, p: float(g == p)) == [(0, 0), (1, 1)]
    assert len(everything) == 2


def test_counts_edge_cases_and_bootstrap_bounds() -> None:
    assert Counts().f1 == 1.0 and Counts(fp=2).f1 == 0.0  # nothing to find, nothing found
    assert Counts(tp=1, fp=1, fn=1).f1 == 0.5
    fixtures = load_fixtures(FIXTURES)
    scores = [score_fixture(f, to_extraction(f) if i % 2 else None)
              for i, f in enumerate(fixtures)]
    lo, hi = bootstrap_f1(scores, "actors", n=200)
    point = summarize(scores)["actors"]["f1"]
    assert 0.0 <= lo <= point <= hi <= 1.0 and lo < hi


def test_the_evals_never_import_the_resolver() -> None:
    code = ("import sys, json, extractor.evals.scoring, extractor.evals.summary, "
            "extractor.evals.gold, extractor.evals.report, extractor.evals.runner, "
            "extractor.evals.baseline; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('extractor'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = json.loads(out.stdout)
    assert "extractor.evals.scoring" in loaded and "extractor.evals.normalize" in loaded
    assert "extractor.resolver" not in loaded


@pytest.mark.parametrize(("a", "b"), [
    ("The Kremlin", "kremlin"),
    ("Hamas's", "HAMAS"),
    ("Hamas’s", "hamas"),
    ("U.S.", "U S"),
    ("  the   Islamic-State ", "islamic state"),
    ("Ministère des Armées", "Ministère des Armées"),  # decomposed accents
])
def test_names_the_contract_calls_equal_normalize_equal(a: str, b: str) -> None:
    assert norm_name(a) == norm_name(b) and norm_name(a)


@pytest.mark.parametrize(("a", "b"), [
    ("Theresa May", "resa May"),  # only a whole leading word "the"
    ("Ministère", "Ministere"),  # accents are not ignored by the contract
    ("North Korea", "Korea"),
])
def test_other_names_stay_apart(a: str, b: str) -> None:
    assert norm_name(a) != norm_name(b)


def test_items_are_counted_by_origin_and_changing_rule(tiny) -> None:  # type: ignore[no-untyped-def]
    pred = Extraction(
        document=DocumentMeta(), provenance=_prov(),
        actors=[
            Actor(id="a1", name="No Kwang Chol", type="person", origin="linguistics:entities"),
            Actor(id="a2", name="Seoul", type="state", origin="model:actors"),
            Actor(id="a3", name="the allies", type="other", origin="model:actors"),
        ],
        threats=[
            Threat(id="t1", speaker="a1", action="strike", origin="model:threat_verdict",
                   changed_by=["rule:merge_restated", "rule:merge_restated"],
                   evidence=_ev("We will strike the enemies")),
            Threat(id="t2", speaker="a2", action="x", origin="model:threat_verdict",
                   changed_by=["rule:merge_restated"],
                   evidence=_ev("Seoul said the launch was a provocation")),
        ],
        claims=[Claim(id="c1", claimant="a2", statement="The launch was a provocation.",
                      origin="rule:claims_from_attribution",
                      evidence=_ev("Seoul said the launch was a provocation."))],
    )
    s = score_fixture(tiny, pred)
    assert s.origins["actors"] == {"linguistics:entities": {"matched": 1, "spurious": 0},
                                   "model:actors": {"matched": 1, "spurious": 1}}
    # a rule listed twice changed the item once
    assert s.changed_by["threats"] == {"rule:merge_restated": {"matched": 1, "spurious": 1}}
    assert s.items["threats"]["spurious_origins"] == ["model:threat_verdict > rule:merge_restated"]
    assert s.items["claims"]["matched_origins"] == ["rule:claims_from_attribution"]
    summary = summarize([s, s])
    assert summary["origins"]["actors"]["model:actors"] == {"matched": 2, "spurious": 2,
                                                             "precision": 0.5}
    # matched items over both copies: actors 2+2, threats 2, claims 2 -> model 4 of 8
    assert summary["origin_shares"]["matched"] == {"model": 0.5, "linguistics": 0.25,
                                                   "rule": 0.25}
    assert summary["alignment"]["threats"]["n"] == 4
    assert summary["alignment"]["all"]["exact"] == 1.0


def test_alignment_shares_are_kept_apart(tiny) -> None:  # type: ignore[no-untyped-def]
    fuzzy = _ev("We will strike the enemies").model_copy(update={"alignment": "fuzzy"})
    norm = _ev("Seoul said the launch was a provocation.").model_copy(
        update={"alignment": "normalized"})
    pred = Extraction(
        document=DocumentMeta(), provenance=_prov(),
        actors=[Actor(id="a1", name="No Kwang Chol"), Actor(id="a2", name="Seoul")],
        threats=[Threat(id="t1", speaker="a1", action="x", evidence=fuzzy)],
        claims=[Claim(id="c1", claimant="a2", statement="s", evidence=norm),
                Claim(id="c2", claimant="a2", statement="s",
                      evidence=_ev("Washington said it was consulting allies."))])
    al = summarize([score_fixture(tiny, pred)])["alignment"]
    assert al["threats"] == {"n": 1, "exact": 0.0, "normalized": 0.0, "fuzzy": 1.0,
                             "unaligned": 0.0}
    assert al["claims"]["normalized"] == 0.5 and al["claims"]["exact"] == 0.5
    assert al["all"]["n"] == 3 and al["all"]["fuzzy"] == round(1 / 3, 4)
