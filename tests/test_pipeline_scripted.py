"""Extractor end to end over a scripted OpenAI-compatible server: hand-written answers for a
short article, so grounding, provenance, usage and warnings are checked without a model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scripted_server import Action, ScriptedServer, answer, status

from extractor import SCHEMA_VERSION, Extraction, Extractor, InputError
from extractor.llm import RetryPolicy
from extractor.prompts import get_prompt

KEY = "sk-planted-SECRET-123"
POLICY = RetryPolicy(attempts=3, backoff=0.01, timeout=5.0, reasks=1)
PROMPT_FILE = Path(__file__).resolve().parent.parent / "prompts" / "extract" / "v1.yaml"

ARTICLE = """Navy chief threatens to close the Kessel Strait
Harbor Times
March 3, 2025

Admiral Lena Varga, commander of the Eastern Fleet, said on Monday that her ships "will close \
the strait to all traffic" if Marovia deploys missiles on the Tarn islands.
Marovia's foreign ministry rejected the warning. "We have every right to defend our \
territory," spokesman Petr Oslo told reporters in Dalen.
The United Nations urged both sides to show restraint.

Related articles:
Strait tensions rise as fleets gather
Subscribe now
"""

THREAT_QUOTE = ('her ships "will close the strait to all traffic" if Marovia deploys missiles '
                "on the Tarn islands")
FABRICATED_THREAT = "We will sink every Marovian ship that enters the strait"
PROMPT_QUOTE = "Copy every quote exactly, word for word, from the article."  # system prompt
FURNITURE_QUOTE = "Strait tensions rise as fleets gather"  # a related-articles link
CLAIM_REWRITTEN = "'We have every right to defend our territory' spokesman Petr Oslo told reporters"
CLAIM_EXACT = "Marovia's foreign ministry rejected the warning."
FABRICATED_CLAIM = "Our navy will defeat any invader within hours."
UNGROUNDED = {FABRICATED_THREAT, PROMPT_QUOTE, FURNITURE_QUOTE, FABRICATED_CLAIM}


def actor(name: str, type_: str, role: str | None = None,
          affiliation: str | None = None) -> dict[str, Any]:
    return {"name": name, "type": type_, "aliases": [], "role": role,
            "affiliation": affiliation, "country": None}


def threat(quote: str, speaker: str) -> dict[str, Any]:
    return {"quote": quote, "speaker": speaker, "targets": ["Marovia"], "reported_by": [],
            "action": "close the strait", "category": "military_force", "conditional": True,
            "condition": "Marovia deploys missiles on the Tarn islands"}


def claim(quote: str, claimant: str, type_: str = "assessment") -> dict[str, Any]:
    return {"quote": quote, "claimant": claimant, "statement": "Marovia may defend itself.",
            "type": type_, "reported_by": [], "about": ["Marovia"]}


ANSWERS: dict[str, dict[str, Any]] = {
    "actors": {"actors": [
        actor("Lena Varga", "person", "commander of the Eastern Fleet", "Eastern Fleet"),
        actor("Eastern Fleet", "military"),
        actor("Marovia", "state"),
        actor("Petr Oslo", "person", "spokesman", "Marovia"),
        actor("United Nations", "international_organization"),
        actor("Harbor Times", "media"),  # the publisher: never an actor
        actor("General Ivo Brand", "person"),  # not in the article
    ]},
    "threats": {"threats": [
        threat(THREAT_QUOTE, "Lena Varga"),
        threat(FABRICATED_THREAT, "Lena Varga"),
        threat(PROMPT_QUOTE, "Lena Varga"),
        threat(FURNITURE_QUOTE, "Lena Varga"),
        threat("will close the strait to all traffic", "Colonel Mark Dunn"),  # unknown speaker
    ]},
    "claims": {"claims": [
        claim(CLAIM_REWRITTEN, "Petr Oslo"),
        claim(CLAIM_EXACT, "Marovia", "denial"),
        claim(FABRICATED_CLAIM, "Petr Oslo"),
        claim("The United Nations urged both sides to show restraint.", "Secretary Ann Wu"),
    ]},
}
TOKENS = {"actors": (101, 21), "threats": (202, 42), "claims": (303, 63)}
SCHEMAS = {"ActorsResponse": "actors", "ThreatsResponse": "threats", "ClaimsResponse": "claims"}
TASKS = {"actors": "TASK: list the actors", "threats": "TASK: list the THREAT STATEMENTS",
         "claims": "TASK: list the CLAIMS"}


def script(fail_first: bool = True) -> Callable[[dict[str, Any]], Action]:
    """Answer each pass by its response schema; the first request gets a 503."""
    state = {"calls": 0}

    def respond(body: dict[str, Any]) -> Action:
        state["calls"] += 1
        if fail_first and state["calls"] == 1:
            return status(503, "warming up")
        name = SCHEMAS.get(body.get("response_format", {}).get("json_schema", {}).get("name"))
        user = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
        if name is None or not re.search(re.escape(TASKS[name]) + r"[\s\S]*\Z", user):
            return status(400, f"unrecognised pass {name!r}")
        prompt_tokens, completion_tokens = TOKENS[name]
        return answer(ANSWERS[name], prompt_tokens=prompt_tokens,
                      completion_tokens=completion_tokens)

    return respond


def make(server: ScriptedServer, **kwargs: Any) -> Extractor:
    # extract@1 explicitly: the answers below are scripted for its pass wording and rules
    return Extractor(model="compatible/test", prompt="extract@1", base_url=server.url,
                     api_key=KEY, policy=POLICY, **kwargs)


def stable(x: Extraction) -> dict[str, Any]:
    return x.model_dump(mode="json", exclude={"provenance": {"duration_s": True, "created_at": True,
                                                             "usage": {"model_seconds"}}})


def codes(x: Extraction) -> list[str]:
    return sorted(w.code for w in x.warnings)


def evidence(x: Extraction) -> list[Any]:
    return [t.evidence for t in x.threats] + [c.evidence for c in x.claims]


async def test_extraction_is_grounded_with_provenance(scripted: ScriptedServer) -> None:
    scripted.set_script(script())
    x = make(scripted).extract(ARTICLE, source="kessel.txt")
    assert isinstance(x, Extraction)
    Extraction.model_validate(x.model_dump())  # references resolve, spans are consistent
    x.check_offsets(ARTICLE)
    for e in evidence(x):
        assert ARTICLE[e.start : e.end] == e.text and e.alignment != "unaligned"
    for a in x.actors:
        assert a.mentions and all(ARTICLE[m.start : m.end] == m.text for m in a.mentions)

    assert x.document.title == "Navy chief threatens to close the Kessel Strait"
    assert x.document.publisher == "Harbor Times" and x.document.source == "kessel.txt"
    names = [a.name for a in x.actors]
    assert names == ["Lena Varga", "Eastern Fleet", "Marovia", "Petr Oslo", "United Nations"]
    ids = {a.name: a.id for a in x.actors}

    [t] = x.threats
    assert t.speaker == ids["Lena Varga"] and t.targets == [ids["Marovia"]]
    assert t.evidence.alignment == "exact" and t.evidence.text == THREAT_QUOTE
    assert t.cameo == "138" and t.conditional
    rewritten, exact = x.claims
    assert rewritten.claimant == ids["Petr Oslo"] and rewritten.evidence.alignment == "normalized"
    assert rewritten.evidence.text.startswith("We have every right")
    assert rewritten.evidence.quote == CLAIM_REWRITTEN
    assert exact.claimant == ids["Marovia"] and exact.evidence.alignment == "exact"

    assert PROMPT_QUOTE in get_prompt("extract@1").system and PROMPT_QUOTE not in ARTICLE
    # the fabricated, prompt-sourced and furniture quotes and the unknown speakers are gone,
    # each reported
    assert not UNGROUNDED & {e.quote for e in evidence(x)}
    assert codes(x) == ["actor_not_in_text"] + ["unaligned_dropped"] * 4 + ["unknown_actor"] * 2
    text = " ".join(w.message for w in x.warnings)
    for gone in ("General Ivo Brand", "Colonel Mark Dunn", "Secretary Ann Wu"):
        assert gone in text and gone not in x.model_dump_json(exclude={"warnings"})

    p = x.provenance
    prompt = get_prompt("extract@1")
    assert (p.prompt_id, p.prompt_version) == ("extract", 1)
    assert p.prompt_hash == hashlib.sha256(PROMPT_FILE.read_bytes()).hexdigest() == prompt.sha256
    assert p.schema_version == x.schema_version == SCHEMA_VERSION
    assert (p.model, p.provider, p.chunks) == ("compatible/test", "compatible", 1)
    assert p.parameters.get("temperature") == 0.0
    # usage: every request counted, the failed first one included, tokens as the server reported
    assert p.usage.requests == len(scripted.chat_requests) == 4
    assert p.usage.prompt_tokens == scripted.served_usage["prompt_tokens"] == 606
    assert p.usage.completion_tokens == scripted.served_usage["completion_tokens"] == 126
    assert p.usage.total_tokens == 732 and p.usage.cached_calls == 0


async def test_requests_carry_the_prompt_and_known_actors(scripted: ScriptedServer) -> None:
    scripted.set_script(script(fail_first=False))
    make(scripted).extract(ARTICLE)
    prompt = get_prompt("extract@1")
    sent = scripted.chat_requests
    assert [SCHEMAS[r.data["response_format"]["json_schema"]["name"]] for r in sent] == list(
        prompt.passes)
    for r, name in zip(sent, prompt.passes, strict=True):
        assert r.headers["authorization"] == f"Bearer {KEY}"
        assert r.data["model"] == "test"
        for k, v in prompt.params_for(name).items():
            assert r.data[k] == v
        found = re.search(r"<article>\n(.*)\n</article>", r.messages[-1]["content"], re.S)
        assert found is not None
        article = found.group(1)
        assert "Admiral Lena Varga" in article
        assert "Subscribe now" not in article and "Related" not in article  # furniture left out
        assert "Harbor Times" not in article  # header meta left out
    assert "Lena Varga" in sent[1].messages[-1]["content"]  # the actors pass feeds the threats


async def test_keep_unaligned_keeps_ungrounded_quotes_marked(scripted: ScriptedServer) -> None:
    scripted.set_script(script())
    x = make(scripted, keep_unaligned=True).extract(ARTICLE)
    x.check_offsets(ARTICLE)
    kept = [e for e in evidence(x) if e.alignment == "unaligned"]
    assert {e.quote for e in kept} == UNGROUNDED
    assert all((e.start, e.end, e.text, e.score) == (0, 0, "", 0) for e in kept)
    grounded = [e for e in evidence(x) if e.alignment != "unaligned"]
    assert {e.quote for e in grounded} == {THREAT_QUOTE, CLAIM_REWRITTEN, CLAIM_EXACT}
    assert codes(x).count("unaligned_kept") == 4 and "unaligned_dropped" not in codes(x)
    # a speaker who is not in the article cannot be kept: there is no actor to point at
    assert codes(x).count("unknown_actor") == 2
    assert (len(x.threats), len(x.claims)) == (4, 3)


async def test_sync_and_async_give_the_same_result(scripted: ScriptedServer) -> None:
    extractor = make(scripted)
    scripted.set_script(script())
    sync = extractor.extract(ARTICLE)
    scripted.set_script(script())
    asynchronous = await extractor.aextract(ARTICLE)
    assert stable(sync) == stable(asynchronous)
    assert len(scripted.chat_requests) == 8


async def test_cached_extractor_makes_no_second_request(scripted: ScriptedServer,
                                                        tmp_path: Path) -> None:
    scripted.set_script(script(fail_first=False))
    first = make(scripted, cache=tmp_path / "c.sqlite").extract(ARTICLE)
    second = await make(scripted, cache=tmp_path / "c.sqlite").aextract(ARTICLE)
    assert len(scripted.chat_requests) == 3
    assert second.provenance.usage.requests == 0 and second.provenance.usage.cached_calls == 3
    assert stable(first)["claims"] == stable(second)["claims"]
    assert KEY.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("c.sqlite*"))


BAD_INPUTS: dict[str, str | bytes] = {
    "empty": "",
    "whitespace": " \n\t \r\n ",
    "nul-bytes": b"Rebels threatened the airport.\x00\x00\x01",
    "nul-in-str": "Rebels threatened\x00 the airport.",
    "invalid-utf8": b"Rebels threatened the airport \xff\xfe\xfd.",
    "raw-html": "<html><body><p>Rebels threatened to shell the airport.</p></body></html>",
    "only-furniture": "Subscribe now\nAdvertisement\nShare this article\nFollow us on X\n",
    "not-text": 12345,  # type: ignore[dict-item]
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
async def test_bad_input_raises_before_any_request(scripted: ScriptedServer, kind: str) -> None:
    scripted.set_script(script(fail_first=False))
    extractor = make(scripted)
    with pytest.raises(InputError):
        extractor.extract(BAD_INPUTS[kind])
    with pytest.raises(InputError):
        await extractor.aextract(BAD_INPUTS[kind])
    assert scripted.requests == []


async def test_valid_bytes_are_accepted(scripted: ScriptedServer) -> None:
    scripted.set_script(script(fail_first=False))
    x = make(scripted).extract(ARTICLE.encode("utf-8"))
    x.check_offsets(ARTICLE)
    assert len(x.threats) == 1 and len(scripted.chat_requests) == 3


def sentence_script(kinds: dict[str, str]) -> Callable[[dict[str, Any]], Action]:
    """extract@7/@9 passes: actors and claims as above, a yes for every candidate sentence,
    and for the second look the kind named by a word of the sentence."""

    def respond(body: dict[str, Any]) -> Action:
        name = body.get("response_format", {}).get("json_schema", {}).get("name")
        user = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
        if name == "ActorsResponse":
            return answer(ANSWERS["actors"])
        if name == "ClaimsResponse":
            return answer({"claims": []})
        sentence = user.split("<sentence>")[-1]
        if name == "ThreatVerdict":
            words = sentence.split()[:4]  # an action of its own, so no two merge
            return answer({"speaker": "Lena Varga", "targets": ["Marovia"],
                           "action": " ".join(words), "category": "military_force",
                           "conditional": True, "is_threat": True})
        if name == "ThreatKind":
            kind = next((k for word, k in kinds.items() if word in sentence), "threat")
            return answer({"who_would_act": "Eastern Fleet", "harmed": "Marovia", "kind": kind})
        return status(400, f"unrecognised pass {name!r}")

    return respond


@pytest.mark.parametrize("prompt", ["extract@7", "extract@9", "extract@10"])
def test_sentence_checks_and_second_look(scripted: ScriptedServer, prompt: str) -> None:
    """Every cue sentence gets one verdict call; extract@9 and @10 ask a second question of each
    sentence the verdict kept and drops those it calls something else than a threat."""
    article = ARTICLE.replace("The United Nations urged both sides to show restraint.",
                              "Analysts said the fleet would be at risk if the talks failed.")
    scripted.set_script(sentence_script({"Analysts": "risk_assessment"}))
    ex = Extractor(model="compatible/test", prompt=prompt, base_url=scripted.url,
                   api_key=KEY, policy=POLICY)
    x = ex.extract(article)
    x.check_offsets(article)
    sent = [r.data for r in scripted.chat_requests]
    verdicts = [b for b in sent if b["response_format"]["json_schema"]["name"] == "ThreatVerdict"]
    kinds = [b for b in sent if b["response_format"]["json_schema"]["name"] == "ThreatKind"]
    assert len(verdicts) == 2  # Varga's warning and the analysts' sentence; not the headline
    quotes = [t.evidence.text for t in x.threats]
    assert any(q.startswith("Admiral Lena Varga") for q in quotes)
    if prompt == "extract@7":
        assert kinds == [] and len(quotes) == 2
    else:
        assert len(kinds) == 2 and len(quotes) == 1  # the assessment is not a threat
    assert x.provenance.usage.requests == 2 + len(verdicts) + len(kinds)
