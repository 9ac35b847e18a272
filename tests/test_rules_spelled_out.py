"""Rule spelled_out (extract@19) over the real parse with a scripted model: a body written out
once with its acronym in brackets is named by the acronym elsewhere, whatever its letters;
a bracket the parser took into a name is cut off it. Without the rule the parse keeps them
apart."""

from __future__ import annotations

from rule_articles import extract_with_rules
from scripted_server import ScriptedServer

ARTICLE = """Rwanda arrests rebel suspects
Kigali Daily
May 2, 2014

Police arrested 14 people suspected of recruiting for the Democratic Forces for the \
Liberation of Rwanda (FDLR), a militia based in Congo.
Foreign Minister Ana Kayitesi said the government would pursue every FDLR cell until the \
group disarmed.
The FDLR denied recruiting in Rwanda, its spokesman Jean Habimana said.
Kayitesi ruled out any talks with the National Movement for the Liberation of Azawad (MNLA, \
which controls Kidal.
"""
FDLR = "Democratic Forces for the Liberation of Rwanda"
MNLA = "National Movement for the Liberation of Azawad"


def _type(name: str) -> str:
    return "person" if name in ("Ana Kayitesi", "Jean Habimana") else "armed_group"


def _actors(server: ScriptedServer, rules: tuple[str, ...]) -> dict[str, list[str]]:
    x = extract_with_rules(server, ARTICLE, "extract@19", rules, _type)
    return {a.name: a.aliases for a in x.actors}


def test_without_the_rule_acronyms_and_names_stand_apart(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ())
    assert "FDLR" in names and FDLR in names  # FDLR is not the initials of the English name
    assert any(n.startswith(MNLA + " (") for n in names)  # the parser kept the bracket


def test_spelled_out_folds_the_acronym_and_cuts_the_bracket(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ("spelled_out",))
    assert "FDLR" not in names and "FDLR" in names[FDLR]
    assert MNLA in names and not any("(" in n for n in names)
    assert "MNLA" not in names and "MNLA" in names[MNLA]
    assert "Ana Kayitesi" in names and "Rwanda" in names  # the others stay as they were
