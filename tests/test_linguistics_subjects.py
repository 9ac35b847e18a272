"""extract@22's options, each against its premise without it: an unnamed group that speaks
("the rebels", "militants", "rebel forces who have threatened ...") is its own actor, not the
nearest state; "she" passes over a man; a done act is no act to come; a condemnation is a
speech act; and a speaker's assertion in a sentence no longer hides their act to come."""

from __future__ import annotations

from layer_statements import statements_of

from extractor.documents import parse
from extractor.linguistics import analyze

REBELS = """Army dismisses rebel warnings
Lakeside Tribune
March 2, 2025

The army of Vantoria has dismissed recent warnings from rebel forces who have threatened \
to attack civilians in the northern province.

The rebels, in a statement sent to the Lakeside Tribune, warned civilians in Port Ambel to \
leave their homes.

"Our forces are coming anytime from now," it added.
"""

AFFAIRS = """Governor warns protesters
Lakeside Tribune
March 2, 2025

Governor Ana Ruiz, who accuses the association of acting on the rebels' orders, said riot \
police would clear the highway by force if the blockade was not lifted.
"""


def _sources(analysis):
    return [(a.cue, a.source.text if a.source else None) for a in analysis.attributions]


def test_groups_make_an_unnamed_group_its_own_speaker() -> None:
    doc = parse(REBELS)
    plain = _sources(analyze(doc, repairs=True, antecedents=True))
    assert ("threaten", None) in plain  # "who": no speaker without the option
    assert all(src != "rebels" for _, src in plain)  # "the rebels" fall to a name nearby
    grouped = _sources(analyze(doc, repairs=True, antecedents=True, subjects=True))
    assert ("threaten", "rebel forces") in grouped
    assert ("warn", "rebels") in grouped
    assert ("add", "rebels") in grouped  # "it added" continues the group that spoke


def test_groups_read_which_only_for_a_name() -> None:
    doc = parse("Storm warning\nLakeside Tribune\nMarch 2, 2025\n\nThe report named a "
                "drought, which threatens the harvest across the province.\n")
    assert all(a.source is None for a in analyze(doc, subjects=True).attributions
               if a.cue == "threaten")



def test_acts_apart_keep_an_act_to_come_beside_an_assertion() -> None:
    analysis = analyze(parse(AFFAIRS), repairs=True, antecedents=True, subjects=True)
    cues = {a.cue for a in analysis.attributions}
    assert {"accuse", "say"} <= cues  # the premise: two attributions, one speaker
    plain = statements_of(analysis)
    assert len([s for s in plain if s[0] == "Governor Ana Ruiz"]) == 1
    apart = statements_of(analysis, acts_apart=True)
    assert ("Governor Ana Ruiz", "accuse") in apart and ("Governor Ana Ruiz", "say") in apart


SKETCH = """Ministers trade warnings
Lakeside Tribune
March 2, 2025

Prime Minister Ilse Moran met the cabinet on Monday, after Col Tomas Varga and his son were \
flown to Port Ambel. She vowed sanctions if there was no credible answer.
"""


def test_agreement_passes_over_a_person_the_text_makes_a_man() -> None:
    from extractor.linguistics.agreement import genders

    doc = parse(SKETCH)
    plain = analyze(doc, repairs=True, antecedents=True)
    assert genders(doc.text, plain.entities).get("varga") == "m"
    assert [a.source.text for a in plain.attributions if a.cue == "vow" and a.source] == [
        "Col Tomas Varga"]  # the premise: the nearest person, whatever the pronoun
    vow = [a for a in analyze(doc, repairs=True, antecedents=True, agreement=True).attributions
           if a.cue == "vow"]
    assert len(vow) == 1 and vow[0].source is not None
    assert "Varga" not in vow[0].source.text


DONE = """Ministry hits back
Lakeside Tribune
March 2, 2025

Vantoria's foreign ministry announced it imposed sanctions on 40 members of Ambel's \
parliament. Minister Ana Ruiz denounced the foreign acts of interference in the elections.
"""


def test_tense_and_criticism_read_a_done_act_and_a_condemnation() -> None:
    doc = parse(DONE)
    plain = {a.cue: a for a in analyze(doc, repairs=True).attributions}
    assert plain["announce"].future and "denounce" not in plain  # the premises
    read = {a.cue: a for a in analyze(doc, repairs=True, tense=True,
                                      criticism=True).attributions}
    assert not read["announce"].future  # done, not to come: never asked as a threat
    assert doc.text[slice(*read["denounce"].content)].startswith("denounced the foreign acts")
    assert read["denounce"].source is not None and "Ana Ruiz" in read["denounce"].source.text
