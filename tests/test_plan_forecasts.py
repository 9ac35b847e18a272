"""extract@24's plan option `forecasts`: a forecast or an assessment of what others will do is
not asked about as a threat (a threat is the speaker's own side promising harm); one of the
speaker's own side still is. The scripted model says yes to every threat question, so only
the plan decides what comes back as a threat."""

from __future__ import annotations

from typing import Any

from scripted_server import Action, ScriptedServer, answer

from extractor import Extractor
from extractor.documents import parse
from extractor.linguistics import analyze
from extractor.llm import RetryPolicy
from extractor.plan import _forecast, _may_threaten
from extractor.resolve.actors import Entry
from extractor.resolve.draft import Statement

POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=10.0, reasks=1)
ARTICLE = """Candidate fears violence at the polls
Harbor Times
March 3, 2025

Opposition candidate Petr Oslo predicted that the ruling party would use violence against \
his supporters in the vote.
Admiral Lena Varga said her ships would blockade Marovia if its navy entered the strait.
"""
OWN = """General believes his side will strike
Harbor Times
March 3, 2025

General Tom Abel said he believed that we would strike the rebel camps within days.
"""


def _yes(body: dict[str, Any]) -> Action:
    props = body["response_format"]["json_schema"]["schema"]["properties"]
    if "type" in props:
        return answer({"type": "person"})
    if "label" in props:
        return answer({"label": "yes"})
    return answer({"target": "Marovia", "category": "military_force"})


def _run(server: ScriptedServer, prompt: str) -> tuple[list[str], list[tuple[str, str]], int]:
    server.set_script(_yes)
    before = len(server.chat_requests)
    x = Extractor(model="compatible/test", prompt=prompt, base_url=server.url,
                  api_key="sk-test", policy=POLICY).extract(ARTICLE)
    x.check_offsets(ARTICLE)
    names = {a.id: a.name for a in x.actors}
    asked = sum("label" in r.data["response_format"]["json_schema"]["schema"]["properties"]
                for r in server.chat_requests[before:])
    return ([names[t.speaker] for t in x.threats],
            [(names[c.claimant], c.type) for c in x.claims], asked)


def test_a_forecast_of_what_others_will_do_is_not_asked(scripted: ScriptedServer) -> None:
    before, _, asked_before = _run(scripted, "extract@23")
    assert "Petr Oslo" in before  # extract@23 asks, and a yes makes the forecast a threat
    after, claims, asked_after = _run(scripted, "extract@24")
    assert "Petr Oslo" not in after and ("Petr Oslo", "prediction") in claims
    assert asked_after == asked_before - 1
    assert "Lena Varga" in after  # her own ships: still asked, still a threat


def test_a_forecast_of_the_speakers_own_act_is_still_asked() -> None:
    """"he believed that we would strike": the speaker's own side would act."""
    atts = analyze(parse(OWN)).attributions
    by_cue = {a.cue: a for a in atts if a.source is not None}
    assert by_cue["believe"].agent_person == "first"
    speaker = Entry(key="abel", name="Tom Abel", label="PERSON")
    own = Statement(att=by_cue["believe"], speaker=speaker, evidence=by_cue["believe"].sentence)
    assert not _forecast(own) and _may_threaten(own, forecasts=True)
