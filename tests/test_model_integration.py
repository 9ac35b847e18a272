"""Real calls to an embedded local model through the openai SDK and instructor over loopback.

CI uses the fast 0.5B model (EXTRACTOR_TEST_MODEL overrides it). These tests share one
llama.cpp server per process; never run them in parallel.
"""

import asyncio
import os
from pathlib import Path

import pytest

from extractor import Extraction, Extractor
from extractor.llm import RetryPolicy

pytestmark = pytest.mark.model
MODEL = os.environ.get("EXTRACTOR_TEST_MODEL", "local/qwen2.5-coder-0.5b")
SEED = (Path(__file__).parent.parent / "examples" / "seed-article.txt").read_text()
SHORT = (
    "Rebels threaten to shell the airport\n\n"
    'The Northern Front rebel group said on Monday it would shell Kavala airport "if a '
    'single government plane lands there", its commander Amir Dusan told Radio Kavala.\n'
    "The interior ministry said the airport remained open and denied that flights had stopped.\n"
)


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> Extractor:
    cache = tmp_path_factory.mktemp("cache") / "responses.sqlite"
    return Extractor(MODEL, "extract@1", cache=cache, policy=RetryPolicy(timeout=900))


def assert_grounded(result: Extraction, text: str) -> None:
    Extraction.model_validate_json(result.model_dump_json())  # references resolve
    result.check_offsets(text)
    for item in [*result.threats, *result.claims]:
        assert item.evidence.alignment != "unaligned"
        assert text[item.evidence.start : item.evidence.end] == item.evidence.text
        assert item.evidence.text.strip()
    p = result.provenance
    assert (p.prompt_id, p.prompt_version) == ("extract", 1)
    assert len(p.prompt_hash) == 64 and p.schema_version == "1.0" and p.model == MODEL
    assert p.usage.requests >= 3 and p.usage.completion_tokens > 0 and p.usage.prompt_tokens > 0


def test_short_article_gives_a_grounded_extraction(extractor: Extractor) -> None:
    result = extractor.extract(SHORT)
    assert_grounded(result, SHORT)
    names = " ".join(a.name + " " + " ".join(a.aliases) for a in result.actors)
    assert "Northern Front" in names or "Amir Dusan" in names
    assert result.provenance.usage.cached_calls == 0


def test_seed_article_gives_a_grounded_extraction_and_keeps_furniture_out(
    extractor: Extractor,
) -> None:
    result = extractor.extract(SEED.encode(), source="seed")
    assert_grounded(result, SEED)
    assert result.document.publisher == "Iran Press TV"
    assert str(result.document.published_at) == "2025-11-08"
    furniture_start = SEED.index("NEWSLETTER")
    for item in [*result.threats, *result.claims]:
        assert item.evidence.end <= furniture_start
    assert result.actors, "the seed names a dozen actors"


def test_async_twin_and_cache_replay_without_model_calls(extractor: Extractor) -> None:
    again = asyncio.run(extractor.aextract(SHORT))
    assert again.provenance.usage.requests == 0
    assert again.provenance.usage.cached_calls == 3
    first = extractor.extract(SHORT)
    assert [t.evidence for t in again.threats] == [t.evidence for t in first.threats]
    assert [a.name for a in again.actors] == [a.name for a in first.actors]


def test_candidate_sentences_are_checked_one_call_each(tmp_path: Path) -> None:
    """extract@10: one call for actors, one per cue sentence (and a second look at each one
    kept), one for claims; every threat quotes its whole candidate sentence."""
    from extractor.candidates import threat_candidates
    from extractor.documents import parse

    ex = Extractor(MODEL, "extract@10", cache=tmp_path / "r.sqlite",
                   policy=RetryPolicy(timeout=900))
    result = ex.extract(SHORT)
    result.check_offsets(SHORT)
    doc = parse(SHORT)
    cands = {(c.start, c.end) for c in threat_candidates(doc, doc.chunks()[0], set())}
    assert len(cands) == 1  # the rebels' sentence; the ministry's denial has no cue
    p = result.provenance
    assert (p.prompt_id, p.prompt_version) == ("extract", 10)
    assert 2 + len(cands) <= p.usage.requests <= 2 + 2 * len(cands)
    for t in result.threats:
        assert (t.evidence.start, t.evidence.end) in cands
    assert "Northern Front" in {a.name for a in result.actors}  # orgs_from_text, model or not


def test_compact_answers_cost_fewer_tokens_on_the_embedded_model(tmp_path: Path) -> None:
    """extract@13 sends the compact grammar for is_threat: the real llama.cpp server takes
    the GBNF and the answer is `{"label":"yes"}` or `{"label":"no"}`, 8 tokens or fewer;
    extract@12's JSON-schema answer to the same question takes more on the 1.5B, which pads
    it with newlines and indentation (the 0.5B writes it compactly either way)."""
    item = {"speaker": "Amir Dusan", "text": " ".join(SHORT.splitlines()[2].split())}
    used = {}
    for prompt in ("extract@12", "extract@13"):
        ex = Extractor("local", prompt, policy=RetryPolicy(timeout=900))
        req = ex._request("is_threat", item=item)
        assert ("grammar" in req.params) == (prompt == "extract@13")
        res = ex.llm.call(req)
        assert res.value.label in ("yes", "no")  # type: ignore[attr-defined]
        used[prompt] = res.usage.completion_tokens
    assert used["extract@13"] <= 9 and used["extract@13"] < used["extract@12"]
