"""Threat targets from the parse (extract@13 `targets: parse`): the actors the threatened
content names, less the speaker's side; coordinated names are all targets; a demonym stands
for its state. The scripted model only labels; the parse is real spaCy."""

from __future__ import annotations

from typing import Any

from scripted_server import Action, ScriptedServer, answer

from extractor import Extractor
from extractor.llm import RetryPolicy
from extractor.resolve.targets import demonym_state

POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=10.0, reasks=1)
ARTICLE = """Navy chief threatens Marovia and Velland
Harbor Times
March 3, 2025

Admiral Lena Varga, commander of the Eastern Fleet, said her ships would blockade Marovia \
and Velland if their navies enter the Tarn strait.
Marovia's foreign ministry rejected the warning, spokesman Petr Oslo said.
The United Nations urged both sides to show restraint.
"""
DEMONYM = """Admiral warns Croatian ships
Harbor Times
March 3, 2025

Admiral Lena Varga, commander of the Eastern Fleet, said her ships would sink any Croatian \
vessel that enters the Tarn strait.
"""

CONDITION = """Navy chief warns Marovia
Harbor Times
March 3, 2025

Admiral Lena Varga, commander of the Eastern Fleet, said her ships would escort Velland's \
tankers and open fire if Marovia sends warships into the Tarn strait.
"""
NO_ONE = """Navy chief vows force
Harbor Times
March 3, 2025

Admiral Lena Varga, commander of the Eastern Fleet, said Marovia would respond with force.
"""


def test_a_demonym_names_its_own_state_only() -> None:
    assert demonym_state("Croatian") == "Croatia"
    assert demonym_state("Russian") == "Russia"
    assert demonym_state("Croatia") is None  # a name, not a demonym
    assert demonym_state("Kyrgyz-Tajik") is None  # names two sides


def _model(target: str, threat_word: str) -> Any:
    def reply(body: dict[str, Any]) -> Action:
        props = body["response_format"]["json_schema"]["schema"]["properties"]
        text = str(body["messages"][-1]["content"])
        if "type" in props:
            return answer({"type": "person" if "Varga" in text or "Oslo" in text
                           else "international_organization" if "Nations" in text
                           else "state"})
        if "label" in props:
            return answer({"label": "yes" if threat_word in text else "no"})
        return answer({"target": target, "category": "military_force"})
    return reply


def _targets(server: ScriptedServer, prompt: str, target: str, article: str = ARTICLE,
             word: str = "blockade") -> tuple[list[list[str]], dict[str, str]]:
    server.set_script(_model(target, word))
    x = Extractor(model="compatible/test", prompt=prompt, base_url=server.url,
                  api_key="sk-test", policy=POLICY).extract(article)
    x.check_offsets(article)
    names = {a.id: a.name for a in x.actors}
    assert [names[t.speaker] for t in x.threats] == ["Lena Varga"]
    return [[names[i] for i in t.targets] for t in x.threats], {
        a.name: a.origin for a in x.actors}


def test_coordinated_names_are_all_targets(scripted: ScriptedServer) -> None:
    assert _targets(scripted, "extract@13", "Marovia")[0] == [["Marovia", "Velland"]]
    # the released extract@12 keeps the model's one name
    assert _targets(scripted, "extract@12", "Marovia")[0] == [["Marovia"]]


def test_the_speakers_side_is_never_a_target(scripted: ScriptedServer) -> None:
    """The model names the speaker: the parse's targets stand in."""
    assert _targets(scripted, "extract@13", "Lena Varga")[0] == [["Marovia", "Velland"]]
    assert _targets(scripted, "extract@12", "Lena Varga")[0] == [[]]


def test_a_demonym_target_becomes_its_state(scripted: ScriptedServer) -> None:
    targets, origins = _targets(scripted, "extract@13", "Croatian", DEMONYM, "sink")
    assert targets == [["Croatia"]]
    assert origins["Croatia"] == "linguistics:targets"


def test_the_one_whose_doing_sets_it_off_is_the_target(scripted: ScriptedServer) -> None:
    """extract@23 (targets: parties): the subject of the "if" clause, over the model's pick."""
    assert _targets(scripted, "extract@23", "Velland", CONDITION, "open fire")[0] == [
        ["Marovia"]]
    assert _targets(scripted, "extract@22", "Velland", CONDITION, "open fire")[0] == [
        ["Velland"]]


def test_no_target_found_is_none_not_the_models_name(scripted: ScriptedServer) -> None:
    """The model names the side that would act (the content's subject) and the content names
    no one else: extract@22 let the model's raw name back in; extract@23 reports none."""
    assert _targets(scripted, "extract@23", "Marovia", NO_ONE, "force")[0] == [[]]
    assert _targets(scripted, "extract@22", "Marovia", NO_ONE, "force")[0] == [["Marovia"]]


def test_a_demonym_phrase_from_the_model_is_its_state(scripted: ScriptedServer) -> None:
    targets, origins = _targets(scripted, "extract@23", "Croatian vessel", DEMONYM, "sink")
    assert targets == [["Croatia"]]
    assert origins["Croatia"] == "linguistics:targets"
