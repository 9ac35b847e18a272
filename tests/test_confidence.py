"""P(choice) read from the logprobs of a grammar-constrained one-word answer."""

from __future__ import annotations

import math
from typing import Any

from extractor.confidence import choice_probs
from extractor.passes import ActorType, IsThreat, ThreatDetail


def _completion(tokens: list[tuple[str, dict[str, float]]]) -> dict[str, Any]:
    return {"choices": [{"logprobs": {"content": [
        {"token": t, "logprob": 0.0,
         "top_logprobs": [{"token": k, "logprob": math.log(v)} for k, v in alts.items()]}
        for t, alts in tokens]}}]}


def test_yes_and_no_mass_is_summed_over_case_and_normalised() -> None:
    data = _completion([('{"', {}), ("label", {}), ('":"', {}),
                        ("no", {"no": 0.4, "No": 0.1, "yes": 0.2, "Yes": 0.1, "Maybe": 0.2}),
                        ('"}', {})])
    probs = choice_probs(data, IsThreat)
    assert probs is not None
    assert math.isclose(probs["yes"], 0.3 / 0.8, abs_tol=1e-3)
    assert math.isclose(probs["no"], 0.5 / 0.8, abs_tol=1e-3)


def test_no_logprobs_or_no_closed_field_gives_none() -> None:
    assert choice_probs({"choices": [{"logprobs": None}]}, IsThreat) is None
    data = _completion([('{"', {}), ("target", {}), ('": "', {}), ("X", {"X": 1.0})])
    assert choice_probs(data, ThreatDetail) is None  # the first closed field is not in it


def test_a_longer_choice_takes_the_mass_of_its_first_token() -> None:
    data = _completion([('{"', {}), ("type", {}), ('": "', {}),
                        ("person", {"person": 0.6, "state": 0.3, "pers": 0.1})])
    probs = choice_probs(data, ActorType)
    assert probs is not None and probs["person"] > probs["state"] > 0
    assert probs["military"] == 0.0
