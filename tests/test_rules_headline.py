"""Rule headline_only (extract@18) over the real parse with a scripted model: a name that
stands only in the headline is no actor; a name the body repeats stays."""

from __future__ import annotations

from rule_articles import extract_with_rules
from scripted_server import ScriptedServer

ARTICLE = """Hacker group threatens Czech railways; Prague answers
Harbor Times
March 3, 2025

The Czech government said on Monday it would not be intimidated.
Sever-Z, a pro-Russian group, said it would disable the rail network by Friday.
"""


def _actors(server: ScriptedServer, rules: tuple[str, ...]) -> set[str]:
    x = extract_with_rules(server, ARTICLE, "extract@18", rules, lambda name: "armed_group")
    return {a.name for a in x.actors}


def test_headline_only_names_are_set_aside(scripted: ScriptedServer) -> None:
    without = _actors(scripted, ("restated_lead",))  # the headline is no source
    headline_only = {n for n in without if n in ("Hacker", "Prague")}
    assert headline_only, f"premise: the parse keeps a headline-only name ({sorted(without)})"
    kept = _actors(scripted, ("restated_lead", "headline_only"))
    assert not kept & headline_only
    assert "Sever-Z" in kept  # named in the body: stays
