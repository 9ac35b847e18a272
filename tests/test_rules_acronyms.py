"""Rule acronyms (extract@17) over the real parse with a scripted model: an all-capital name
whose letters are the initials of every word of one longer body name ("of" included) is that
body; without the rule the parse keeps the two apart."""

from __future__ import annotations

from rule_articles import extract_with_rules
from scripted_server import ScriptedServer

ARTICLE = """ECOWAS gives junta seven days
Harbor Times
March 3, 2025

The Economic Community of West African States said on Friday that it would hold a summit.
ECOWAS said the junta had until Friday to restore the president.
The African Union said the takeover was a violation of its charter.
"""


def _actors(server: ScriptedServer, rules: tuple[str, ...]) -> dict[str, list[str]]:
    x = extract_with_rules(server, ARTICLE, "extract@17", rules,
                           lambda name: "international_organization")
    return {a.name: a.aliases for a in x.actors}


def test_without_the_rule_the_acronym_stands_apart(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ())
    assert "ECOWAS" in names and "Economic Community of West African States" in names


def test_acronyms_fold_into_the_body_they_spell(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ("acronyms",))
    assert "ECOWAS" not in names
    assert "ECOWAS" in names["Economic Community of West African States"]
    assert "African Union" in names  # "AU" is not written here: nothing to fold
