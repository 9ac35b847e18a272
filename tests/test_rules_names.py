"""Rules of extract@13/14 over the real parse with a scripted model: a family name the parser
labelled apart from the full name folds into it once the model types both as people
(typed_name_parts); a name that only stands in a line of capitals is no actor (crossheads);
a body's one-word short name folds into its full name, a country's never (short_names)."""

from __future__ import annotations

from rule_articles import extract_with_rules
from scripted_server import ScriptedServer

ARTICLE = """Baltic ministers agree on grid plan
Harbor Times
March 3, 2025

Finland's economy minister, Antti Lehtola, said the region's grids were "far better \
protected than they were two years ago."

ULTIMATUM AT THE WATER INTAKE

Lehtola said Finland and Sweden would present a joint plan before the end of the year.
The Baltic Energy Policy Institute said the agreement was concrete.
Lakeshore Health Partners said its grid contract was safe.
Lakeshore, which runs four hospitals in Ohio, said it would bid again.
Finland Energy Group, a utility, said prices would fall.
"""


def _type(name: str) -> str:
    return ("person" if "Lehtola" in name
            else "state" if name in ("Finland", "Sweden", "Lakeshore")
            else "organization")  # the 1.5B typed "Lakeshore" a state


def _actors(server: ScriptedServer, rules: tuple[str, ...]) -> dict[str, list[str]]:
    x = extract_with_rules(server, ARTICLE, "extract@13", rules, _type)
    return {a.name: a.changed_by for a in x.actors}


def test_the_parse_alone_keeps_the_family_name_and_the_crosshead(
        scripted: ScriptedServer) -> None:
    """The premise: en_core_web_sm labels "Antti Lehtola" and "Lehtola" apart, and reads the
    crosshead as an organization."""
    names = _actors(scripted, ())
    assert {"Antti Lehtola", "Lehtola", "ULTIMATUM"} <= set(names)


def test_typed_name_parts_folds_the_family_name(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ("typed_name_parts",))
    assert "Lehtola" not in names
    assert names["Antti Lehtola"] == ["rule:typed_name_parts"]
    assert "ULTIMATUM" in names


def test_crossheads_are_no_actors(scripted: ScriptedServer) -> None:
    names = _actors(scripted, ("crossheads",))
    assert "ULTIMATUM" not in names
    assert {"Antti Lehtola", "Lehtola", "Baltic Energy Policy Institute", "Finland"} <= set(names)


def test_short_names_fold_into_the_body_they_begin(scripted: ScriptedServer) -> None:
    before = _actors(scripted, ())
    assert {"Lakeshore", "Lakeshore Health Partners", "Finland"} <= set(before)
    names = _actors(scripted, ("short_names",))
    assert "Lakeshore" not in names
    assert names["Lakeshore Health Partners"] == ["rule:short_names"]
    assert "Finland" in names  # a country is never a body's short name
