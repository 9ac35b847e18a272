"""What the linguistic layer finds in a Document, in original offsets: plain data, no spaCy."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """A stretch of the text that names or points at a participant.

    label: spaCy's entity label (PERSON, ORG, GPE, NORP, ...), or PROPN for a proper noun the
    tagger saw but NER missed, PRON for a pronoun, NOUN for a description ("the ministry").
    """

    start: int
    end: int
    text: str
    label: str
    dep: str = ""  # how the mention's head attaches: "nsubj", "pobj:in", "compound", ...
    kind: str = ""  # a GROUP's noun ("rebel" for "rebel forces"): what the story calls it

    @property
    def named(self) -> bool:
        return self.label not in ("PRON", "NOUN")


@dataclass
class Attribution:
    """Someone said something: the speaker as written, whom it resolves to, the cue verb, and
    the content span, plus what the content's grammar says (an act to come, a condition, who
    would act)."""

    sentence: tuple[int, int]
    speaker: Mention
    content: tuple[int, int]
    cue: str  # lemma of the cue verb ("say", "warn", "accord" for "according to")
    kind: str  # reported | direct | according_to | speech_act | quote_only
    source: Mention | None = None  # the named mention the speaker resolves to
    reported_by: list[Mention] = field(default_factory=list)
    affiliation: Mention | None = None  # "North Korea's minister" -> North Korea
    future: bool = False  # the content states an act to come or a possible one
    condition: str | None = None  # the "if"/"unless" clause of the content, verbatim
    agent: Mention | None = None  # the content's active subject, when it names someone
    agent_person: str | None = None  # first | second | third: who the content says would act
    antecedent: Mention | None = None  # a pronoun speaker's governing subject (antecedents)
    parties: list[Mention] = field(default_factory=list)  # whom the act is aimed at (parties)


@dataclass
class Analysis:
    """Sentences, entity mentions and speech attribution of one Document."""

    language: str
    language_confidence: float
    sentences: list[tuple[int, int]]
    entities: list[Mention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    pipeline: str | None = None  # the parser's provenance label; None without a layer

    @property
    def has_layer(self) -> bool:
        return self.pipeline is not None

    def sentence_at(self, pos: int) -> tuple[int, int] | None:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return None
