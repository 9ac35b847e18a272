"""What the rules tests share: an article run through the linguistic plan against the scripted
server, whose model types each name it is asked about by `type_of`, answers "no" to every
threat question and names no target. Each test then states only its article, its rules and
what it expects of the actors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scripted_server import Action, ScriptedServer, answer

from extractor import Extractor
from extractor.llm import RetryPolicy
from extractor.schema import Extraction

POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=10.0, reasks=1)


def _script(type_of: Callable[[str], str]) -> Callable[[dict[str, Any]], Action]:
    def reply(body: dict[str, Any]) -> Action:
        props = body["response_format"]["json_schema"]["schema"]["properties"]
        if "type" in props:
            text = str(body["messages"][-1]["content"])
            return answer({"type": type_of(text.rsplit('What is "', 1)[1].split('"')[0])})
        if "label" in props:
            return answer({"label": "no"})
        return answer({"target": "none", "category": "other"})
    return reply


def extract_with_rules(server: ScriptedServer, article: str, prompt: str,
                       rules: tuple[str, ...], type_of: Callable[[str], str]) -> Extraction:
    server.set_script(_script(type_of))
    x = Extractor(model="compatible/test", prompt=prompt, base_url=server.url,
                  api_key="sk-test", policy=POLICY, rules=rules).extract(article)
    x.check_offsets(article)
    return x
