"""Compact answers: a flat response model gets a GBNF grammar with no padding, sent in place
of the JSON schema to servers that take one (llama.cpp), and only when the version asks."""

from __future__ import annotations

import json
import re
from typing import Any

from scripted_server import Action, ScriptedServer, answer
from test_plan_scripted import ARTICLE, POLICY

from extractor import Extractor, grammar, passes


def test_flat_models_get_a_grammar_of_their_compact_json() -> None:
    g = grammar.compact(passes.response_model("is_threat"))
    assert g is not None
    assert g.startswith('root ::= "{\\"label\\":" f0 "}"')
    assert 'f0 ::= "\\"no\\"" | "\\"yes\\""' in g
    assert " " not in g.split("::=", 1)[1].split('"')[1]  # the literal holds no whitespace
    details = grammar.compact(passes.response_model("threat_details"))
    assert details is not None
    # the bounded name is a JSON string of 1..80 plain characters, then the enum field
    assert re.search(r'f0 ::= "\\"" f0-char\{1,80\} "\\""', details)
    assert '",\\"category\\":" f1' in details


def test_models_that_are_not_flat_get_none() -> None:
    from extractor.schema import Extraction

    assert grammar.compact(Extraction) is None


def _reply(body: dict[str, Any]) -> Action:
    """A llama.cpp stand-in: the grammar's fields say which pass asks."""
    g = body.get("grammar") or json.dumps(
        list(body["response_format"]["json_schema"]["schema"]["properties"]))
    if '\\"label\\"' in g or '"label"' in g:
        return answer('{"label":"yes"}' if "would close" in body["messages"][-1]["content"]
                      else '{"label":"no"}')
    if '\\"type\\"' in g or '"type"' in g:
        return answer('{"type":"person"}')
    return answer('{"target":"Marovia","category":"military_force"}')


def _run(server: ScriptedServer, model: str, prompt: str) -> list[dict[str, Any]]:
    server.set_script(_reply)
    seen = len(server.chat_requests)
    x = Extractor(model=model, prompt=prompt, base_url=server.url, api_key="sk-test",
                  policy=POLICY).extract(ARTICLE)
    assert len(x.threats) == 1 and x.threats[0].category == "military_force"
    return [r.data for r in server.chat_requests[seen:]]


def test_a_grammar_server_gets_the_grammar_and_no_response_format(
        scripted: ScriptedServer) -> None:
    """extract@13 lists is_threat and actor_types as compact; threat_details keeps its
    JSON schema."""
    bodies = _run(scripted, "llamacpp/test", "extract@13")
    compact = [b for b in bodies if "grammar" in b]
    assert compact and all("response_format" not in b for b in compact)
    assert {b["grammar"] for b in compact} == {
        grammar.compact(passes.response_model(p)) for p in ("is_threat", "actor_types")}
    schema = [b for b in bodies if "grammar" not in b]
    assert len(schema) == 1  # the one threat's details
    assert schema[0]["response_format"]["json_schema"]["name"] == "ThreatDetail"


def test_other_servers_and_versions_keep_the_json_schema(scripted: ScriptedServer) -> None:
    for model, prompt in (("compatible/test", "extract@13"), ("llamacpp/test", "extract@12")):
        bodies = _run(scripted, model, prompt)
        assert bodies and all("grammar" not in b and "response_format" in b for b in bodies)
