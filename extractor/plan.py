"""The linguistic plan: the parse finds actors and who said what; the model only labels.

Round 1 asks, together, for the type of every entity (actor_types) and, for every attributed
statement of an act to come, whether the speaker's side promises harm (is_threat); round 2,
only when round 1 found threats, for each threat's target and category (threat_details).
Statements that are not threats are claims, typed by rules from their cue and grammar. Every
request of a round is independent, so a driver may send them at once: an article costs two
dependent rounds on any server.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from . import lexicon
from .documents import Document
from .gazetteer import state_of
from .linguistics import Analysis
from .llm import CallRequest, CallResult
from .passes import actor_type
from .resolve.actors import Entry, Registry
from .resolve.draft import Draft, Statement
from .resolve.statements import collect
from .resolve.targets import (
    model_target,
    parse_targets,
    party_targets,
    phrase_state,
    sided,
)
from .rules import get_rules
from .schema import Usage

CONTEXT_CHARS = 60

Request = Callable[..., CallRequest]
Rounds = Generator[list[CallRequest], list[CallResult], Draft]


def _context(doc: Document, entry: Entry) -> str:
    text = doc.text
    form = max(entry.forms, key=len)
    i = text.find(form)
    if i < 0:
        return ""
    lo, hi = max(i - CONTEXT_CHARS, 0), min(i + len(form) + CONTEXT_CHARS, len(text))
    return " ".join(text[lo:hi].split())


ASKED_LABELS = ("PERSON", "ORG", "PROPN")  # ask_types "names": the labels spaCy gets wrong


def _needs_type(entry: Entry, speaking: set[str], ask: str = "speakers") -> bool:
    """Countries a gazetteer knows are typed without asking. With ask "speakers" the model
    types only the organizations that speak or relay (a news agency, a command, an armed
    group), people keep spaCy's PERSON and the rest the type their entity label gives. With
    "names" it also types the people and organizations that do not speak: the small English
    NER calls towns, roads, exercises and meetings people or organizations ("Suarez",
    "Toribio", "Freedom Flag"), and only a reading of the context tells."""
    if entry.label == "GPE" and state_of(entry.name) is not None:
        entry.type = "state"
    elif entry.label == "PERSON" and (ask == "speakers" or entry.key in speaking):
        entry.type = "person"  # one who speaks is a person however the question goes
    elif ask == "names" and entry.label in ASKED_LABELS:
        return True
    return entry.type is None and entry.key in speaking


def _may_threaten(st: Statement, forecasts: bool = False) -> bool:
    """Only a statement of an act to come can be a threat: a modal or "going to" in its
    content, or a cue that offers harm ("threatened", "warned", "vowed"). With `forecasts`,
    not a forecast or an assessment of what others will do (`_forecast`)."""
    if forecasts and _forecast(st):
        return False
    return st.att.future or st.att.cue in lexicon.THREAT_CUES


def _forecast(st: Statement) -> bool:
    """A cue that reports a forecast or an assessment ("predicted that the ruling party would
    use violence", "expects", "fears"), of an act the speaker's own side is not said to do.
    A threat is the speaker's own side promising harm, so the model is not asked; the
    claim_types rule types it by its cue ("we expect to strike" is still asked)."""
    kind = lexicon.CLAIM_TYPE_BY_CUE.get(st.att.cue)
    return kind in ("prediction", "assessment") and st.att.agent_person != "first"


class LinguisticPlan:
    """One article's rounds; `usage` sums what every answer cost."""

    def __init__(self, doc: Document, analysis: Analysis, request: Request,
                 rules: tuple[str, ...], thresholds: dict[str, float] | None = None,
                 targets: str = "model", ask_types: str = "speakers",
                 typing: str = "actor_types", statements: dict[str, bool] | None = None,
                 forecasts: bool = False) -> None:
        self.doc, self.analysis, self.request = doc, analysis, request
        self.targets = targets  # "model": threat_details names one; else resolve.targets
        self.ask_types = ask_types  # "speakers" or "names": whom the typing pass asks about
        self.typing = typing  # the pass that types entities: actor_types or actor_kinds
        self.statements = dict(statements or {})  # resolve.statements.collect's options
        self.forecasts = forecasts  # forecasts and assessments are not asked (_forecast)
        self.rules = get_rules(rules)
        self.thresholds = dict(thresholds or {})  # pass -> P("yes") that counts as yes
        self.usage = Usage()
        self.rounds = 0  # dependent rounds of requests: an article's latency on a server
        self.truncated: list[str] = []

    def _ask(self, pass_name: str, items: list[dict[str, Any]],
             **extra: Any) -> list[CallRequest]:
        return [self.request(pass_name, item=it, **extra) for it in items]

    def _apply(self, stage: str, draft: Draft) -> None:
        for rule in self.rules:
            if rule.stage == stage:
                rule.apply(draft)

    def run(self) -> Rounds:
        registry = Registry()
        for m in self.analysis.entities:
            registry.add(m)
        statements = collect(self.analysis, registry, **self.statements)
        registry.fold_initials()
        draft = Draft(self.doc, self.analysis, registry, statements)
        speaking = {registry.live(s.speaker).key for s in statements} | {
            e.key for s in statements for r in s.att.reported_by
            if (e := registry.find(r.text)) is not None}
        entries = [e for e in registry.context_names()
                   if _needs_type(e, speaking, self.ask_types)]
        reqs = self._ask(self.typing, [{"name": e.name, "context": _context(self.doc, e)}
                                         for e in entries])
        for s in statements:
            if s.att.cue in lexicon.THREAT_VERBS and s.evidence != self.doc.headline:
                s.label, s.origin = "threat", "linguistics:attribution"  # "threatened to"
        asked = [s for s in statements
                 if s.label != "threat" and _may_threaten(s, self.forecasts)]
        reqs += self._ask("is_threat", [self._item(draft, s) for s in asked])
        results = yield reqs
        self.rounds += 1
        self._note(results)
        for e, res in zip(entries, results[:len(entries)], strict=True):
            e.type = actor_type(res.value.type)  # type: ignore[attr-defined]
            e.typed_by = f"model:{self.typing}"
        for s, res in zip(asked, results[len(entries):], strict=True):
            if self._yes("is_threat", res):
                s.label, s.origin = "threat", "model:is_threat"
        self._apply("statements", draft)
        threats = draft.threats
        if threats:
            actors = [e.name for e in registry.context_names() if e.type != "not_actor"]
            results = yield self._ask("threat_details", [self._item(draft, s) for s in threats],
                                      actors=actors)
            self.rounds += 1
            self._note(results)
            for s, res in zip(threats, results, strict=True):
                detail = res.value
                s.target = None if detail.target.lower() == "none" else detail.target  # type: ignore[attr-defined]
                s.category = detail.category  # type: ignore[attr-defined]
                if self.targets == "parse":
                    found = model_target(draft, s) or parse_targets(draft, s)
                    s.targets = [e.name for e in found] or None
                elif self.targets == "parties":  # none found is none, not the model's name
                    found = party_targets(draft, s) or sided(draft, s, model_target(
                        draft, s) or phrase_state(draft, s) or parse_targets(draft, s))
                    s.targets = [e.name for e in found]
        self._apply("threats", draft)
        return draft

    def _yes(self, pass_name: str, res: CallResult) -> bool:
        """The model's yes: P("yes") at or above the version's threshold for the pass when
        the answer carries logprobs, else the label it wrote."""
        limit = self.thresholds.get(pass_name)
        if limit is not None and res.probs is not None and "yes" in res.probs:
            return res.probs["yes"] >= limit
        return bool(res.value.label == "yes")  # type: ignore[attr-defined]

    def _item(self, draft: Draft, st: Statement) -> dict[str, Any]:
        return {"speaker": st.speaker.name, "text": " ".join(draft.text(st.evidence).split())}

    def _note(self, results: list[CallResult]) -> None:
        for r in results:
            self.usage = self.usage.add(r.usage)
            if r.truncated:
                self.truncated.append("item")
