"""extract@21's parse repairs, each shown against its premise on the parse without it: the
small English parser reads a second speech act as an adjective, a wire dateline in title
case with a colon as the sentence's root, a pronoun as the nearest name rather than its
clause's subject, and an agency that relays a statement as its author."""

from __future__ import annotations

from layer_statements import statements_of

from extractor.documents import parse
from extractor.linguistics import analyze

ROW = """Minister rejects claims
Coastal Herald
June 4, 2024

Port Vella: Minister of state for fisheries, K.R. Ostrander, who is at the centre of a row \
over licences granted to Dana Whitby, on Monday stood firm as he rejected the charges and \
threatened legal action against the two newspapers that printed them.

“Chile deeply regrets this, and will be forced to take necessary countermeasures if the \
other side puts the duties into effect,” a statement by the Chilean government said, \
according to Tidewire.
"""


def _cues(analysis):
    return {(a.cue, a.source.text if a.source else None) for a in analysis.attributions}


def test_repairs_read_a_threat_the_parser_took_for_an_adjective() -> None:
    doc = parse(ROW)
    assert not any(a.cue == "threaten" for a in analyze(doc).attributions)
    fixed = [a for a in analyze(doc, repairs=True).attributions if a.cue == "threaten"]
    assert len(fixed) == 1
    assert doc.text[slice(*fixed[0].content)].startswith("threatened legal action against")
    assert fixed[0].source is not None and fixed[0].source.text == "K.R. Ostrander"


def test_antecedents_bind_a_pronoun_to_its_governing_subject() -> None:
    """"he rejected" hangs on "Minister ..., K.R. Ostrander ... stood firm": the person named
    in between (Dana Whitby) is the nearest name, not the speaker."""
    doc = parse(ROW)
    assert ("reject", "Dana Whitby") in _cues(analyze(doc, repairs=True))
    bound = analyze(doc, repairs=True, antecedents=True)
    assert ("reject", "K.R. Ostrander") in _cues(bound)
    assert not any(src == "Dana Whitby" for _, src in _cues(bound))


def test_a_statement_by_a_government_is_its_own_and_the_agency_relays_it() -> None:
    doc = parse(ROW)
    plain = analyze(doc)
    assert ("accord", "Tidewire") in _cues(plain)  # the agency as the speaker
    said = [a for a in analyze(doc, repairs=True).attributions if a.cue == "say"]
    assert len(said) == 1 and said[0].source is not None and said[0].source.text == "Chilean"
    assert [r.text for r in said[0].reported_by] == ["Tidewire"]
    assert not any(a.cue == "accord" for a in analyze(doc, repairs=True).attributions)



def test_threat_acts_keep_a_threat_beside_a_denial_and_a_demonym_speaks_for_its_state() -> None:
    analysis = analyze(parse(ROW), repairs=True, antecedents=True)
    plain = statements_of(analysis)
    assert ("K.R. Ostrander", "threaten") not in plain and ("Chilean", "say") in plain
    kept = statements_of(analysis, threat_acts=True, demonym_speakers=True)
    assert ("K.R. Ostrander", "reject") in kept and ("K.R. Ostrander", "threaten") in kept
    assert ("Chile", "say") in kept and ("Chilean", "say") not in kept


def test_a_colon_dateline_opens_only_a_lead_paragraph() -> None:
    from extractor.linguistics.dateline import dateline_end

    lead = ROW.splitlines()[4]
    assert dateline_end(lead) == 0 and lead[dateline_end(lead, colon=True):].startswith("Minister")
    assert dateline_end("Chile: we will respond to the duties", colon=True) == 0  # a headline


# A sentence of real wire copy (Tasnim, in real-dev): invented ones of the same shape parse
# with "said" as the root, this one as a parataxis of the quotation.
INTRODUCED = """Iran warns of retaliation
Tasnim
October 15, 2022

Pointing to the recent unrest in some Iranian cities, Amirabdollahian said, “We are a \
country confronting terrorist groups such as al-Qaeda, Jaish ul-Adl and Daesh (ISIL or ISIS) \
in the west and the east. Moreover, we have seen the smuggling of weapons into the country \
from the western and eastern borders in recent weeks.”
"""


def test_a_quotation_introduced_by_said_is_the_content() -> None:
    """The premise: the parser makes the quotation the root and "said" its parataxis, so
    the sentence holds no attribution and its quotation none either."""
    doc = parse(INTRODUCED)
    body = doc.text.index("Pointing")

    def in_body(analysis):
        return [a for a in analysis.attributions if a.sentence[0] >= body]

    assert in_body(analyze(doc)) == []
    atts = in_body(analyze(doc, repairs=True))
    assert [a.kind for a in atts] == ["direct", "quote_only"]
    assert doc.text[slice(*atts[0].content)].startswith("We are a country")
    assert all(a.source is not None and a.source.text == "Amirabdollahian" for a in atts)
