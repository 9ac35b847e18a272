"""Resolver and rules: names to ids, grounding, dedupe and post-validation, without a model."""

from extractor.documents import parse
from extractor.resolver import Raw, Resolver, norm_name
from extractor.rules import has_attribution, has_threat_cues
from extractor.schema import ActorItem, ClaimItem, ThreatItem

TEXT = (
    "Union threatens strike\n"
    "Wire\n"
    "The Allied Transport Workers' Union (ATWU) will walk off the job from September 22 "
    "unless Norvane Freight improves its offer, national secretary Dana Kowalczyk said. "
    "Norvane chief executive Martin Osei said the claim was \"fantasy economics\". "
    "The union held a rally in Melbourne last week.\n"
)


def actor(name: str, type_: str = "organization", aliases: list[str] | None = None) -> ActorItem:
    return ActorItem(name=name, type=type_, aliases=aliases or [], role=None,  # type: ignore[arg-type]
                     affiliation=None, country=None)


def threat(quote: str, speaker: str, **kw: object) -> ThreatItem:
    base = dict(targets=[], reported_by=[], action="strike", category="economic",
                conditional=False, condition=None)
    base.update(kw)
    return ThreatItem(quote=quote, speaker=speaker, **base)  # type: ignore[arg-type]


def claim(quote: str, claimant: str) -> ClaimItem:
    return ClaimItem(quote=quote, claimant=claimant, statement="s", type="assessment",
                     reported_by=[], about=[])


ACTORS = [
    actor("Allied Transport Workers' Union", aliases=["ATWU"]),
    actor("Norvane Freight", aliases=["Norvane"]),
    actor("Dana Kowalczyk", "person"),
    actor("Martin Osei", "person"),
    actor("Atlantis", "state"),  # not in the text
]


def resolve(raw: Raw, rules: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    doc = parse(TEXT)
    return Resolver(doc, rules=rules).resolve(raw), doc


def test_norm_name_ignores_case_punctuation_the_and_possessive() -> None:
    assert norm_name("The ATWU's") == norm_name("atwu") == "atwu"


def test_actors_are_grounded_merged_and_get_mentions() -> None:
    res, doc = resolve(Raw(actors=[*ACTORS, actor("ATWU")]))
    names = [a.name for a in res.actors]
    assert "Atlantis" not in names and names.count("Allied Transport Workers' Union") == 1
    assert any(w.code == "actor_not_in_text" for w in res.warnings)
    union = res.actors[0]
    assert [m.text for m in union.mentions] == ["Allied Transport Workers' Union", "ATWU"]
    for a in res.actors:
        for m in a.mentions:
            assert doc.text[m.start : m.end] == m.text


def test_names_with_titles_and_family_names_resolve_to_the_actor() -> None:
    raw = Raw(actors=ACTORS, claims=[
        claim('the claim was "fantasy economics"', "Norvane chief executive Martin Osei"),
    ], threats=[threat("will walk off the job from September 22", "Kowalczyk")])
    res, _ = resolve(raw)
    ids = {a.id: a.name for a in res.actors}
    assert ids[res.claims[0].claimant] == "Martin Osei"
    assert ids[res.threats[0].speaker] == "Dana Kowalczyk"


def test_ungrounded_quote_and_unknown_speaker_are_dropped_with_warnings() -> None:
    raw = Raw(actors=ACTORS, threats=[
        threat("We will burn every depot to the ground tonight", "Dana Kowalczyk"),
        threat("will walk off the job from September 22", "Zorg the Destroyer"),
    ])
    res, _ = resolve(raw)
    assert res.threats == []
    codes = [w.code for w in res.warnings]
    assert "unaligned_dropped" in codes and "unknown_actor" in codes


def test_publisher_is_never_an_actor() -> None:
    res, doc = resolve(Raw(actors=[actor("Wire", "media")], claims=[
        claim("The union held a rally in Melbourne last week", "Wire")]))
    assert doc.meta.publisher == "Wire"
    assert res.actors == [] and res.claims == []


def test_secondary_references_never_add_actors() -> None:
    res, _ = resolve(Raw(actors=ACTORS, threats=[threat(
        "will walk off the job from September 22", "Dana Kowalczyk",
        targets=["Norvane", "Melbourne", "last week"])]))
    ids = {a.id: a.name for a in res.actors}
    assert [ids[t] for t in res.threats[0].targets] == ["Norvane Freight"]
    assert "Melbourne" not in ids.values()


def test_duplicates_of_one_threat_collapse() -> None:
    q = "will walk off the job from September 22 unless Norvane Freight improves its offer"
    res, _ = resolve(Raw(actors=ACTORS, threats=[threat(q, "Dana Kowalczyk"),
                                                 threat(q[:40], "Dana Kowalczyk")]))
    assert len(res.threats) == 1 and res.threats[0].cameo == "1312"


def test_rules_drop_narration_and_non_threats_and_prefer_the_person() -> None:
    raw = Raw(actors=ACTORS, threats=[
        threat("will walk off the job from September 22", "Allied Transport Workers' Union"),
        threat("The union held a rally in Melbourne last week", "ATWU"),
    ], claims=[
        claim("The union held a rally in Melbourne last week", "ATWU"),
        claim('the claim was "fantasy economics"', "Martin Osei"),
    ])
    without, _ = resolve(raw)
    assert len(without.threats) == 2 and len(without.claims) == 2
    res, _ = resolve(raw, ("threat_cues", "claim_attribution", "person_speaker"))
    ids = {a.id: a.name for a in res.actors}
    assert [ids[t.speaker] for t in res.threats] == ["Dana Kowalczyk"]
    assert [ids[c.claimant] for c in res.claims] == ["Martin Osei"]
    codes = [w.code for w in res.warnings]
    assert "rule_threat_cues" in codes and "rule_claim_attribution" in codes


def test_cue_detectors() -> None:
    assert has_threat_cues("We will impose sanctions if they refuse.")
    assert has_threat_cues("the hackers said they would publish the records unless paid")
    assert not has_threat_cues("North Korea launched a missile on Friday.")
    assert not has_threat_cues("Seoul hosted the annual meeting.")
    assert has_attribution("Osei said the claim was wrong.")
    assert has_attribution("According to the ministry, 40 people died.")
    assert not has_attribution("The union held a rally in Melbourne last week.")


def test_actor_names_are_cleaned_of_titles_initials_and_descriptors() -> None:
    from extractor.resolver import _proper_name, _split_forms

    assert _split_forms("The International Energy Agency (IEA)") == [
        "International Energy Agency", "IEA"]
    assert _split_forms("Vilnius-based Baltic Energy Policy Institute")[0] == (
        "Baltic Energy Policy Institute")
    assert _proper_name("Finland's economy minister, Antti Lehtola",
                        ["Finland's economy minister, Antti Lehtola"]) == "Antti Lehtola"
    assert _proper_name("Estonian Prime Minister Liisa Kask",
                        ["Estonian Prime Minister Liisa Kask", "Liisa Kask"]) == "Liisa Kask"
    assert _proper_name("No Kwang Chol", ["No Kwang Chol", "Kwang Chol"]) == "No Kwang Chol"


def test_reporting_verbs_name_the_source() -> None:
    from extractor.rules import named_source, source_position, strip_titles

    s = '"We will show more," the Korean Central News Agency on Saturday quoted No as saying.'
    kcna, no = s.index("Korean"), s.index(" No ") + 1
    mentions = [(kcna, kcna + 26, False), (no, no + 2, True)]
    assert source_position(s, mentions) == 1  # quoted X as saying: X spoke, KCNA relayed
    s = "Defence Minister Oscar Mejía Rendón said 1,200 troops would be deployed."
    span = named_source(s)
    assert span is not None and strip_titles(s[span[0] : span[1]]) == "Oscar Mejía Rendón"
    assert named_source("On Friday the ministry said it would respond.") is None


def test_source_by_verb_rule_fixes_a_wrong_claimant() -> None:
    raw = Raw(actors=ACTORS, claims=[claim('the claim was "fantasy economics"', "Norvane")])
    res, _ = resolve(raw)
    ids = {a.id: a.name for a in res.actors}
    assert ids[res.claims[0].claimant] == "Norvane Freight"
    res, _ = resolve(raw, ("source_by_verb",))
    ids = {a.id: a.name for a in res.actors}
    assert ids[res.claims[0].claimant] == "Martin Osei"


def test_a_threat_introduced_by_a_colon_takes_the_statement_that_follows() -> None:
    text = ("Border chief warns\n"
            "General Aziz Karim told a briefing on Tuesday:\n"
            "\"We will restore the border by force if the troops stay.\"\n")
    doc = parse(text)
    raw = Raw(actors=[actor("Aziz Karim", "person")],
              threats=[threat("General Aziz Karim told a briefing on Tuesday", "Aziz Karim")])
    res = Resolver(doc, rules=("threat_cues",)).resolve(raw)
    assert len(res.threats) == 1
    ev = res.threats[0].evidence
    assert ev.text.endswith('if the troops stay."') and text[ev.start : ev.end] == ev.text
