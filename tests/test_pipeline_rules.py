"""The extract@7 levers without a model: candidate sentences, text-found actors, claims from
reporting verbs, speakers through pronouns and quotes, and restated threats merged."""

from test_resolver import actor, threat

from extractor.candidates import threat_candidates, threat_from_check
from extractor.documents import parse
from extractor.gazetteer import states_in
from extractor.resolver import Raw, Resolver
from extractor.rules import organizations, pronoun_source, source_position
from extractor.schema import ClaimItem, ThreatVerdict

ARTICLE = (
    "Union sets strike date\n"
    "MELBOURNE (Wire) - The Allied Transport Workers' Union (ATWU) said on Wednesday its members "
    "would walk off the job unless Norvane Freight raised its offer. "
    "Norvane chief executive Martin Osei said the company could not pay more. "
    "\"We have made our best offer. "
    "There is nothing more on the table,\" Osei told reporters. "
    "He said the depots in Geelong had been losing money for two years. "
    "The Fair Work Commission urged both sides to keep talking. "
    "Australia and Britain have similar disputes, according to Canberra.\n"
)


def names(res, ids):  # type: ignore[no-untyped-def]
    by_id = {a.id: a.name for a in res.actors}
    return [by_id[i] for i in ids]


def test_candidates_are_cue_sentences_once_across_overlapping_chunks() -> None:
    doc = parse(ARTICLE)
    seen: set[tuple[int, int]] = set()
    chunks = doc.chunks(200, 1)
    assert len(chunks) > 1
    found = [c for ch in chunks for c in threat_candidates(doc, ch, seen)]
    texts = [c.sentence for c in found]
    assert any("walk off the job unless" in t for t in texts)
    assert not any("urged both sides" in t for t in texts)  # no future harm, no condition
    assert len(texts) == len(set(texts))  # the overlap sentence is not checked twice
    for c in found:
        assert ARTICLE[c.start : c.end] == c.sentence
    second = next(c for c in found if "could not pay" in c.sentence)
    assert "walk off the job" in second.context  # the sentence before, for "he" and "it"


def test_a_verdict_becomes_a_threat_quoting_its_sentence() -> None:
    doc = parse(ARTICLE)
    cand = threat_candidates(doc, doc.chunks()[0], set())[0]
    yes = ThreatVerdict(speaker="ATWU", targets=["Norvane Freight"], action="strike",
                        category="economic", conditional=True, is_threat=True)
    item = threat_from_check(yes, cand)
    assert item is not None and item.quote == cand.sentence
    assert item.condition is not None and item.condition.startswith("unless Norvane")
    assert threat_from_check(yes.model_copy(update={"is_threat": False}), cand) is None


def test_states_and_organizations_are_found_in_text() -> None:
    states = states_in("Britain and the US warned Banjul. Tallinn said Estonia agreed.")
    assert states["United Kingdom"] == ["Britain"]
    assert states["Estonia"] == ["Estonia", "Tallinn"]
    assert "Gambia" not in states  # a capital alone may only place a meeting
    orgs = organizations("The Campesino Association of Northern Cauca (ACANOC) said. "
                         "ECOWAS Commission President Aminata Diallo-Sow spoke. "
                         "The Korean Central News Agency on Saturday quoted him.")
    assert orgs == {"Campesino Association of Northern Cauca": ["ACANOC"],
                    "ECOWAS Commission": [], "Korean Central News Agency": []}


def test_source_position_skips_objects_and_subjects_of_reported_clauses() -> None:
    s = "No condemned the carrier's arrival at a port in South Korea and warned of action."
    mentions = [(0, 2, True), (s.index("South"), s.index("South") + 11, False)]
    assert source_position(s, mentions) == 0  # "in South Korea" is not who warned
    s = "Priya Natarajan, head of intelligence at a firm that watches leak sites, said " \
        "Black Lantern had a record of following through."
    mentions = [(0, 15, True), (s.index("Black"), s.index("Black") + 13, False)]
    assert source_position(s, mentions) == 0
    assert pronoun_source("He also said the depots had been losing money.")
    assert not pronoun_source("The union said he was wrong.")


def test_claims_from_reporting_verbs_pronouns_and_quotes() -> None:
    doc = parse(ARTICLE)
    raw = Raw(actors=[actor("Allied Transport Workers' Union", aliases=["ATWU"]),
                      actor("Martin Osei", "person"), actor("Norvane Freight")])
    rules = ("claims_from_attribution", "source_by_verb")
    res = Resolver(doc, rules=rules).resolve(raw)
    by_text = {c.evidence.text[:30]: names(res, [c.claimant])[0] for c in res.claims}
    assert by_text["Norvane chief executive Martin"] == "Martin Osei"
    assert by_text["\"We have made our best offer."] == "Martin Osei"  # closed by "Osei told"
    assert by_text["He said the depots in Geelong "] == "Martin Osei"  # "he" after Osei
    assert not any(t.startswith("The Fair Work") for t in by_text)  # an appeal
    for c in res.claims:
        assert ARTICLE[c.evidence.start : c.evidence.end] == c.evidence.text
    without = Resolver(doc, rules=("source_by_verb",)).resolve(raw)
    assert without.claims == []


def test_threat_sentence_is_not_also_a_claim_and_text_actors_are_added() -> None:
    doc = parse(ARTICLE)
    lede = "its members would walk off the job unless Norvane Freight raised its offer"
    raw = Raw(actors=[actor("Allied Transport Workers' Union", aliases=["ATWU"])],
              threats=[threat(lede, "ATWU", action="walk off the job")],
              claims=[ClaimItem(quote=lede, claimant="ATWU", statement="s", type="intention",
                                reported_by=[], about=[])])
    kept = Resolver(doc).resolve(raw)
    assert len(kept.claims) == 1
    res = Resolver(doc, rules=("threat_not_claim", "states_from_text", "orgs_from_text")
                   ).resolve(raw)
    assert res.claims == [] and len(res.threats) == 1
    both = Resolver(doc, rules=("threat_not_claim", "claims_from_attribution")).resolve(raw)
    ids = [c.id for c in both.claims]
    assert ids == [f"c{n}" for n in range(1, len(ids) + 1)]  # no gap, no clash after drops
    found = {a.name: a for a in res.actors}
    assert found["Australia"].type == "state" and "Canberra" in found["Australia"].aliases
    assert "Britain" in found and "Fair Work Commission" in found


def test_restated_threat_is_merged_and_keeps_the_person() -> None:
    text = ("Allied Union threatens strike\n"
            "The union will strike on Monday, its secretary Dana Kowalczyk said. "
            "\"We will strike on Monday if nothing changes,\" Kowalczyk told a rally. "
            "Kowalczyk also said the union would sue the company.\n")
    doc = parse(text)
    raw = Raw(actors=[actor("Allied Union", aliases=["union"]), actor("Dana Kowalczyk", "person")],
              threats=[threat("Allied Union threatens strike", "Allied Union",
                              action="strike on Monday"),
                       threat("We will strike on Monday if nothing changes", "Dana Kowalczyk",
                              action="strike on Monday"),
                       threat("the union would sue the company", "Dana Kowalczyk",
                              action="sue the company", category="legal")])
    res = Resolver(doc, rules=("merge_restated",)).resolve(raw)
    assert len(res.threats) == 2
    assert names(res, [t.speaker for t in res.threats]) == ["Dana Kowalczyk"] * 2
    assert res.threats[0].evidence.text.startswith("We will strike")  # the direct quote
    assert len(Resolver(doc).resolve(raw).threats) == 3
    rules = ("merge_restated", "claims_from_attribution", "source_by_verb")
    res = Resolver(doc, rules=rules).resolve(raw)
    # the merged passages stay the threat's: no claim is made of them
    assert [c.evidence.text[:9] for c in res.claims] == ["The union"]


def test_the_union_said_and_appositive_names_resolve() -> None:
    text = ("Strike looms\n"
            "The Allied Transport Workers' Union met on Monday. "
            "The union said its members would strike unless pay rose. "
            "North Korea's defense minister, No Kwang Chol, spoke on Tuesday.\n")
    doc = parse(text)
    raw = Raw(actors=[actor("Allied Transport Workers' Union"), actor("No Kwang Chol", "person"),
                      actor("North Korea", "state")],
              threats=[threat("its members would strike unless pay rose", "members")])
    res = Resolver(doc, rules=("source_by_verb",)).resolve(raw)
    assert names(res, [res.threats[0].speaker]) == ["Allied Transport Workers' Union"]
    r = Resolver(doc)
    r.resolve(Raw(actors=raw.actors))
    assert r.lookup("North Korea's defense minister, No Kwang Chol") == r.lookup("No Kwang Chol")
    assert r.lookup("No") == r.lookup("No Kwang Chol")  # a family name written first
