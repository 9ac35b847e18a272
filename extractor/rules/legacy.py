"""Post-validation rules a prompt version can switch on (its `rules:` parameter).

A small model lists narration as claims and any sentence as a threat, and names the state
where the article names the person who spoke. These deterministic checks carry what the
model cannot; each is named so a prompt version records exactly which ones shaped its result.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

RULES = ("threat_cues", "claim_attribution", "person_speaker", "claims_to_threats",
         "source_by_verb", "people_from_text", "claims_from_attribution",
         "threat_not_claim", "states_from_text", "orgs_from_text",
         "merge_restated", "body_only", "drop_unused")

_FUTURE = re.compile(
    r"\b(will|would|shall|won't|wo n't|going to|ready to|prepared to|vow\w*|pledg\w*|threat\w*|"
    r"warn\w*|unless|if|or else|otherwise|could|may|might|must|until|deadline|ultimatum|"
    r"no choice|intend\w*|plan\w* to|on the table|all options|not hesitate|rule out)\b"
    r"|'ll\b|’ll\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(attack\w*|strik\w*|target\w*|forc\w*|militar\w*|nuclear|weapon\w*|missile\w*|"
    r"respon\w*|retaliat\w*|consequence\w*|counter\w*|sanction\w*|tariff\w*|embargo\w*|"
    r"ban\w*|cut\w*|expel\w*|expuls\w*|sever\w*|withdraw\w*|walk\w* (out|off)|quit\w*|"
    r"suspend\w*|halt\w*|leak\w*|publish\w*|releas\w*|dump\w*|expos\w*|lawsuit\w*|sue\b|"
    r"su(ing|ed)\b|court\w*|proceeding\w*|prosecut\w*|legal|blockad\w*|seiz\w*|"
    r"board\w*|punish\w*|price|hit back|crush\w*|eliminat\w*|destroy\w*|wipe\w*|"
    r"war\b|fire\b|shell\w*|bomb\w*|kill\w*|burn\w*|hostage\w*|cyber\w*|hack\w*|"
    r"shut\w* down|disrupt\w*|block\w*|action\w*|measure\w*|step\w*|pay\b|ransom\w*|"
    r"offensive|violence|violent|revenge|avenge|close\w*|stop\w*|boycott\w*|"
    r"arrest\w*|detain\w*|crack\w*|confiscat\w*|freez\w*|terminat\w*|cancel\w*|"
    r"downgrad\w*|recall\w*|break\w*|broken|rupture\w*|isolat\w*|curb\w*|restrict\w*|"
    r"public\w*|sell\w*|auction\w*|harm\w*|damag\w*|danger\w*|hurt\w*|suffer\w*|regret\w*|"
    r"execut\w*|murder\w*|assassinat\w*|invad\w*|invasion|deploy\w*|interven\w*|troops)",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"\b(said|says|say|saying|told|tells|tell|according|stated|states|statement\w*|"
    r"claim\w*|accus\w*|den(y|ied|ies)|warn\w*|announc\w*|insist\w*|report\w*|quot\w*|"
    r"believ\w*|argu\w*|add(ed|s)|not(ed|es)|confirm\w*|alleg\w*|estimat\w*|predict\w*|"
    r"dismiss\w*|describ\w*|call(ed|s)|reject\w*|acknowledg\w*|admit\w*|maintain\w*|"
    r"wr(ote|ites)|post(ed|s)|tweet\w*|assess\w*|conclud\w*|downplay\w*|condemn\w*|"
    r"denounc\w*|declar\w*|vow\w*|pledg\w*|promis\w*|threat\w*|expect\w*|forecast\w*|"
    r"project\w*|put it|explain\w*|highlight\w*|stress\w*|emphasi[sz]\w*|"
    r"repl(y|ied|ies)|respond\w*|recall\w*|lament\w*|blam\w*|welcom\w*|prais\w*|"
    r"criticis\w*|criticiz\w*|complain\w*|rul(ed|es)|found|show(ed|s)|indicat\w*)\b"
    r"|[\"“”:]",
    re.IGNORECASE,
)


class Sentences:
    """Sentence spans of a text, to judge a quote by the whole sentence it stands in."""

    def __init__(self, spans: Sequence[tuple[int, int]], text: str) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.text = text

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The union of the sentences that overlap [start, end)."""
        i = max(bisect_right(self.starts, start) - 1, 0)
        lo, hi = start, end
        while i < len(self.spans) and self.spans[i][0] < max(end, start + 1):
            s, e = self.spans[i]
            if e > start or s >= start:
                lo, hi = min(lo, s), max(hi, e)
            i += 1
        return lo, hi

    def index(self, start: int) -> int | None:
        """Position of the sentence that begins at `start`, None if none does."""
        i = bisect_right(self.starts, start) - 1
        return i if i >= 0 and self.starts[i] == start else None

    def sentence(self, start: int, end: int) -> str:
        lo, hi = self.around(start, end)
        return self.text[lo:hi]

    def introduced(self, start: int, end: int) -> tuple[int, int] | None:
        """The sentence after [start, end) when that one only introduces it ("..., told a
        news conference:"): the statement itself is what follows the colon."""
        lo, hi = self.around(start, end)
        if not self.text[lo:hi].rstrip().rstrip("\"'“”‘’").endswith(":"):
            return None
        i = bisect_right(self.starts, hi - 1)
        return self.spans[i] if i < len(self.spans) else None


_CONDITION = re.compile(r"\b(if|unless|until|or else|otherwise|deadline|ultimatum)\b", re.I)


def has_threat_cues(sentence: str) -> bool:
    """A threat needs a future or conditional marker, and a harm or a condition, in its
    sentence: narration of past acts has neither."""
    if not _FUTURE.search(sentence):
        return False
    return bool(_HARM.search(sentence) or _CONDITION.search(sentence))


def has_attribution_verb(sentence: str) -> bool:
    """A reporting verb ("said", "told", "according to"), not just a quotation mark."""
    return bool(_REPORT_VERB.search(sentence))


def has_attribution(sentence: str) -> bool:
    """A claim needs a source marker (a reporting verb or quotation) in its sentence."""
    return bool(_ATTRIBUTION.search(sentence))


_THREAT_VERB = re.compile(r"\b(threat\w*|warn\w*|vow\w*|ultimatum|or face|or else)\b", re.I)
_CATEGORIES = (  # first match wins: the most specific harms first
    ("nuclear_or_wmd", r"nuclear|chemical weapon|biological|weapons? of mass|atomic"),
    ("data_leak", r"leak|publish\w* (the |their |patient |stolen )?(data|records|files|documents)"
                  r"|goes public|dump\w*"),
    ("cyber", r"cyber|hack\w*|ddos|malware|ransomware|take down (its |their )?(sites|systems)"),
    ("legal", r"court|lawsuit|\bsue\b|legal|prosecut\w*|proceedings|litigation|injunction"),
    ("economic", r"sanction\w*|tariff\w*|embargo\w*|strike\b|walk\w* off|boycott\w*|aid\b"
                 r"|trade|export\w*|import\w*|freez\w* (assets|funds)"),
    ("diplomatic", r"expel\w*|expulsion|ambassador|diplomat\w*|relations|ties|talks|embassy"
                   r"|withdraw from"),
    ("violence", r"kill\w*|execut\w*|burn\w*|hostage\w*|behead\w*|crackdown|repress\w*"),
    ("military_force", r"attack\w*|strike\w*|missile\w*|military|troops|forces?\b|target\w*"
                       r"|invad\w*|blockad\w*|seiz\w*|fire\b|shell\w*|bomb\w*|offensive"),
)


def threat_verb(sentence: str) -> bool:
    """Words that announce a threat outright: threaten, warn, vow, ultimatum, or else."""
    return bool(_THREAT_VERB.search(sentence))


def conditional(sentence: str) -> bool:
    return bool(_CONDITION.search(sentence))


def _first_match(table: Sequence[tuple[str, str]], sentence: str, default: str) -> str:
    """The name of the first (most specific) pattern the sentence matches."""
    return next((name for name, pattern in table
                 if re.search(pattern, sentence, re.IGNORECASE)), default)


def guess_category(sentence: str) -> str:
    """A threat category from the harm a sentence names; 'unspecified' when none does."""
    return _first_match(_CATEGORIES, sentence, "unspecified")


_REPORT_VERB = re.compile(
    r"\b(said|says|told|tells|warned|warns|added|announced|stated|insisted|denied|denies|"
    r"claimed|claims|accused|accuses|wrote|declared|vowed|threatened|threatens|confirmed|"
    r"estimated|predicted|argued|noted|stressed|maintained|rejected|dismissed|acknowledged|"
    r"according to|quoted|quoting|in a statement)\b", re.IGNORECASE)
_QUOTED_AS = re.compile(r"\bquot(?:ed|ing)\s+(.{1,80}?)\s+as\s+say", re.IGNORECASE | re.S)
_ORG_WORDS = re.compile(
    r"\b(ministry|agency|council|office|group|party|army|forces?|union|association|bank|"
    r"company|corp\w*|inc|ltd|institute|commission|committee|front|movement|court|"
    r"department|government|police|navy|command|organi[sz]ation|news|press|tv|radio|times|"
    r"post|guard|brigade|battalion|embassy|university|foundation|network|federation)\b",
    re.IGNORECASE)


def looks_like_person(name: str) -> bool:
    """Two to four capitalised words and no organisation word: a person's name."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and \
        not _ORG_WORDS.search(name)


_PREPOSITION = re.compile(r"\b(in|at|to|of|from|with|against|into|on|for|over|near)\s+"
                          r"((the|a|an)\s+)?$", re.IGNORECASE)


def source_position(sentence: str, mentions: list[tuple[int, int, bool]]) -> int | None:
    """Index (into `mentions`: start, end, is_person, relative to the sentence) of the one
    that a reporting verb attributes the sentence to: "X said", "said X", "according to X",
    "quoted X as saying"; persons win ties. None when no verb ties a mention."""
    if m := _QUOTED_AS.search(sentence):
        inside = [i for i, (s, e, _) in enumerate(mentions) if m.start(1) <= s and e <= m.end(1)]
        if inside:
            return inside[0]
    best: tuple[int, int, int] | None = None
    for v in _REPORT_VERB.finditer(sentence):
        for i, (s, e, person) in enumerate(mentions):
            if e <= v.start():
                if _PREPOSITION.search(sentence[:s]):
                    continue  # "a port in South Korea and warned": an object, not the subject
                between = sentence[e:v.start()]
                gap = len(between)
                # "X, head of ... at Y, said": an appositive between commas may run long
                if gap > 60 and not (between.startswith(",") and gap <= 160
                                     and between.rstrip().endswith(",")):
                    continue
            elif s >= v.end():
                gap = len(sentence[v.end():s])
                if gap > 40 or v.group(1).lower() in ("quoted", "quoting", "told", "tells"):
                    continue
                # "..., said Obi." names the source; "said Obi had ..." names a subject
                if sentence[e:].strip()[:1] not in ("", ",", ".", ";", ":", "\"", "”", "’"):
                    continue
            else:
                continue
            key = (gap, 0 if person else 1, i)
            if best is None or key < best:
                best = key
    ordered = sorted(mentions)
    if ordered and re.match(r"['’]s\b", sentence[ordered[0][1]:]) and len(ordered) > 1:
        ordered = ordered[1:]  # "North Korea's defense minister, No Kwang Chol, ... warned"
    if best is None and ordered and (first := ordered[0]) and \
            not re.sub(r"^[\"“‘' ]*|[A-Za-z' ]*['’]s\s+\w+(\s+\w+)?,?\s*$", "",
                       sentence[:first[0]]) and _REPORT_VERB.search(sentence, first[1]):
        return mentions.index(first)  # the sentence's subject, however long its clause
    return best[2] if best else None


_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_NAME_SPAN = re.compile(rf"{_CAP}(?:\s+(?:de|del|da|van|von|bin|al|la|le)?\s*{_CAP}){{1,5}}")
_TITLE = re.compile(
    r"^((Defen[cs]e|Foreign|Interior|Finance|Economy|Energy|Trade|Justice|Health|Prime|Deputy|"
    r"Vice|Acting|Former|Chief|Minister|President|General|Brigadier|Major|Captain|Colonel|"
    r"Lieutenant|Admiral|Commander|Spokes(man|woman|person)|Secretary|Mayor|Governor|Senator|"
    r"Judge|Director|Ambassador|Dr|Mr|Mrs|Ms|Sir|Gen|Col|Capt|Lt|Adm|King|Queen|Sheikh|"
    r"Chancellor|Premier|Envoy|Officer|Executive|Attorney)\.?\s+)+")


def strip_titles(name: str) -> str:
    """"Defence Minister Oscar Mejía Rendón" -> "Oscar Mejía Rendón"."""
    stripped = _TITLE.sub("", name)
    return stripped if len(stripped.split()) >= 2 else name
_NOT_NAME = re.compile(r"^(The|On|In|At|But|And|A|An|It|He|She|They|We|This|That|Last|"
                       r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                       r"January|February|March|April|May|June|July|August|September|"
                       r"October|November|December)\b")


def named_source(sentence: str) -> tuple[int, int] | None:
    """Span of a capitalised name that a reporting verb attributes the sentence to, for
    a speaker the actor pass missed ("Defence Minister Oscar Mejía Rendón said")."""
    spans = []
    for m in _NAME_SPAN.finditer(sentence):
        s, e = m.span()
        words = m.group().split()
        while words and _NOT_NAME.match(words[0]):
            s += len(words[0]) + 1
            words = words[1:]
        if len(words) >= 2:
            spans.append((s, e, looks_like_person(" ".join(words))))
    pos = source_position(sentence, spans)
    return (spans[pos][0], spans[pos][1]) if pos is not None else None


_TITLE_WORD = (r"(?i:minister|president|commander|spokes(?:man|woman|person)|chief|secretary|"
               r"leader|general|director|head|officer|ambassador|governor|mayor|envoy|"
               r"advis[eo]r|chancellor|premier|colonel|admiral|captain|commissioner|counsel)")
_PERSON = rf"{_CAP}(?:\s+{_CAP}){{1,3}}"
_TITLED = re.compile(
    rf"(?P<title>{_TITLE_WORD}(?:\s+of\s+{_CAP})?)\s*,?\s+(?P<name>{_PERSON})(?=\s*[,.;:]|\s+[a-z])")
_SHORT_SOURCE = re.compile(
    rf"\bquot(?:ed|ing)\s+(?P<a>{_CAP})\s+as\s+say|(?P<b>{_CAP})\s+(?:said|says|told|added|"
    rf"warned)\b")


def titled_people(text: str) -> list[tuple[str, str]]:
    """(name, title) of people the text introduces by title: "North Korea's defense
    minister, No Kwang Chol," or "US Secretary of War Pete Hegseth"."""
    found = []
    for m in _TITLED.finditer(text):
        name = strip_titles(m.group("name"))
        if looks_like_person(name):
            found.append((name, m.group("title")))
    return found


def short_source(sentence: str) -> str | None:
    """A one-word source: "quoted No as saying", "No said" (a family or given name)."""
    m = _SHORT_SOURCE.search(sentence)
    return (m.group("a") or m.group("b")) if m else None


_MEDIA = re.compile(r"\b(news|agency|tv|television|radio|times|press|channel|broadcast\w*|"
                    r"post|journal|gazette|herald|tribune|wire|newspaper|daily)\b", re.IGNORECASE)


_UNNAMED = re.compile(r"\s+(spokes(?:man|woman|person)|officials?|sources?|statement|"
                      r"representatives?)$", re.IGNORECASE)


def speaking_for(name: str) -> str | None:
    """"Fair Work Commission spokesperson" -> "Fair Work Commission": an unnamed individual
    stands for the group they speak for."""
    stripped = _UNNAMED.sub("", name.strip())
    return stripped if stripped != name.strip() and stripped else None


def is_media_name(name: str) -> bool:
    return bool(_MEDIA.search(name))


def quoted_title(sentence: str) -> str | None:
    """The title in "quoted the North Korean Defense Minister as saying" ('minister')."""
    m = _QUOTED_AS.search(sentence)
    if not m:
        return None
    t = re.search(_TITLE_WORD, m.group(1))
    return t.group(0).lower() if t else None


_APPEAL = re.compile(r"\b(urg\w*|call(ed|s|ing)? (on|for)|appeal\w*|recommend\w*|ask(ed|s)?|"
                     r"request\w*|invit\w*)\b", re.IGNORECASE)
_PRONOUN_SAID = re.compile(r"(^|[,;:“”\"]\s*)(he|she)\s+(?:also\s+|later\s+|further\s+)?"
                           r"(said|says|told|added|warned|argued|"
                           r"noted|insisted|stressed|claimed|denied|estimated)\b", re.IGNORECASE)
_CLAIM_TYPES = (
    ("denial", r"\b(den(y|ied|ies)|reject\w*|dismiss\w*|no plans?|never|not)\b"),
    ("accusation", r"\b(accus\w*|blam\w*|condemn\w*|alleg\w*|responsible for|behind)\b"),
    ("prediction", r"\b(predict\w*|expect\w*|forecast\w*|likely|will|would)\b"),
    ("assessment", r"\b(estimat\w*|assess\w*|believ\w*|think\w*|risk\w*|could|may|might)\b"),
)


def is_appeal(sentence: str) -> bool:
    """Appeals and recommendations ("urged", "called for") are not claims."""
    return bool(_APPEAL.search(sentence)) or sentence.rstrip(" \"'”’").endswith("?")


_DEFINITE_SAID = re.compile(
    r"(?:^|[,;:“”\"]\s*)the\s+([a-z]+)\s+(?:also\s+|later\s+)?(?:said|says|told|added|warned|"
    r"threatened|announced|stated|insisted|denied|claimed|confirmed)\b", re.IGNORECASE)


def definite_source(sentence: str) -> str | None:
    """The head noun of "the union said", "..., the ministry warned": who "the X" is comes
    from the actors named before."""
    m = _DEFINITE_SAID.search(sentence)
    return m.group(1).lower() if m else None


def pronoun_source(sentence: str) -> bool:
    """"..., he said." : the source is the person the sentences before were about."""
    return bool(_PRONOUN_SAID.search(sentence))


def guess_claim_type(sentence: str) -> str:
    return _first_match(_CLAIM_TYPES, sentence, "factual")


_ORG_HEAD = (r"(Ministry|Agency|Council|Office|Commission|Committee|Union|Association|Institute|"
             r"Organi[sz]ation|Party|Front|Movement|Brigade|Battalion|Army|Navy|Forces?|Guard|"
             r"Command|Bank|Observatory|Federation|Alliance|Coalition|Authority|"
             r"Department|Police|Parliament|Assembly|Service|Corporation|Company)")
_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"  # no full stop: a name does not run across sentences
_ORG_NAME = re.compile(
    rf"(?:{_WORD}\s+(?:(?:of|for|on)\s+)?)*?{_ORG_HEAD}\b"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_WORD}(?:\s+{_WORD})*)?")
_LEADING = re.compile(r"^((The|A|An|In|On|At|But|And|Its|Their|His|Her|Our|By|For|From|"
                      r"With|After|Before|When|While|Meanwhile|Last|Both|Some|[A-Z][a-z]+day)\s+)+")


def organizations(text: str) -> dict[str, list[str]]:
    """Proper names of organizations, capitalised words around an organization word
    ("Regional Indigenous Council of Cauca", "US Indo-Pacific Command"), with the acronym
    that follows in brackets as an alias."""
    found: dict[str, list[str]] = {}
    for m in _ORG_NAME.finditer(text):
        name = _TITLE.sub("", _LEADING.sub("", m.group(0))).strip()
        if len(name.split()) < 2:
            continue
        aliases = found.setdefault(name, [])
        if (acronym := _ACRONYM.match(text, m.end())) and acronym.group(1) not in aliases:
            aliases.append(acronym.group(1))
    return found


_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")


def check_legacy_rules(names: tuple[str, ...]) -> None:
    """An unknown rule name is a ConfigError when the Extractor is made, before any call."""
    from ..errors import ConfigError

    unknown = sorted(set(names) - set(RULES))
    if unknown:
        raise ConfigError(f"unknown rules {unknown}; known {list(RULES)}")
