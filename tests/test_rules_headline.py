"""Rule headline_only (extract@18) over the real parse with a scripted model: a name that
stands only in the headline is no actor; a name the body repeats stays."""

from __future__ import annotations

from typing import Any

from scripted_server import Action, ScriptedServer, answer

from extractor import Extractor
from extractor.llm import RetryPolicy

POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=10.0, reasks=1)
ARTICLE = """Hacker group threatens Czech railways; Prague answers
Harbor Times
March 3, 2025

The Czech government said on Monday it would not be intimidated.
Sever-Z, a pro-Russian group, said it would disable the rail network by Friday.
"""


def _reply(body: dict[str, Any]) -> Action:
    props = body["response_format"]["json_schema"]["schema"]["properties"]
    if "type" in props:
        return answer({"type": "armed_group"})
    if "label" in props:
        return answer({"label": "no"})
    return answer({"target": "none", "category": "other"})


def _actors(server: ScriptedServer, rules: tuple[str, ...]) -> set[str]:
    server.set_script(_reply)
    x = Extractor(model="compatible/test", prompt="extract@18", base_url=server.url,
                  api_key="sk-test", policy=POLICY, rules=rules).extract(ARTICLE)
    x.check_offsets(ARTICLE)
    return {a.name for a in x.actors}


def test_headline_only_names_are_set_aside(scripted: ScriptedServer) -> None:
    without = _actors(scripted, ("restated_lead",))  # the headline is no source
    headline_only = {n for n in without if n in ("Hacker", "Prague")}
    assert headline_only, f"premise: the parse keeps a headline-only name ({sorted(without)})"
    kept = _actors(scripted, ("restated_lead", "headline_only"))
    assert not kept & headline_only
    assert "Sever-Z" in kept  # named in the body: stays
