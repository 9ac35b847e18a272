"""Rule places_as_modifiers (extract@16) over the real parse with a scripted model: a place
named only as a modifier of another word ("a Vilnius-based think tank", spaCy's npadvmod) is
no actor, while places_only_locate, which released versions list, keeps it."""

from __future__ import annotations

from rule_articles import extract_with_rules
from scripted_server import ScriptedServer

ARTICLE = """Baltic ministers agree on grid plan
Harbor Times
March 3, 2025

Finland's economy minister, Antti Lehtola, said the grids were safe.
The Baltic Energy Policy Institute, a Vilnius-based think tank, said the agreement was concrete.
"""


def _actors(server: ScriptedServer, rules: tuple[str, ...]) -> dict[str, list[str]]:
    x = extract_with_rules(server, ARTICLE, "extract@16", rules, lambda name: "organization")
    return {a.name: a.changed_by for a in x.actors}


def test_released_rule_keeps_a_place_that_only_modifies(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ("places_only_locate",))
    assert "Vilnius" in names
    assert "Baltic Energy Policy Institute" in names


def test_places_as_modifiers_drops_it_and_keeps_the_body(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ("places_as_modifiers",))
    assert "Vilnius" not in names
    assert "Baltic Energy Policy Institute" in names
    assert "Finland" in names  # a possessor acts: never set aside


def test_extract16_lists_the_new_rule_in_place_of_the_old() -> None:
    from extractor.prompts import get_prompt

    rules = get_prompt("extract@16").rules
    assert "places_as_modifiers" in rules and "places_only_locate" not in rules
    assert get_prompt("extract@15").rules[0] == "places_only_locate"
