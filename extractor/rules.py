"""Post-validation rules a prompt version can switch on (its `rules:` parameter).

A small model lists narration as claims and any sentence as a threat, and names the state
where the article names the person who spoke. These deterministic checks carry what the
model cannot; each is named so a prompt version records exactly which ones shaped its result.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

RULES = ("threat_cues", "claim_attribution", "person_speaker")

_FUTURE = re.compile(
    r"\b(will|would|shall|won't|wo n't|going to|ready to|prepared to|vow\w*|pledg\w*|threat\w*|"
    r"warn\w*|unless|if|or else|otherwise|could|may|might|must|until|deadline|ultimatum|"
    r"no choice|intend\w*|plan\w* to)\b|'ll\b|’ll\b",
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
    r"public\w*|sell\w*|auction\w*|harm\w*|damag\w*|danger\w*|hurt\w*|suffer\w*|regret\w*)",
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

    def sentence(self, start: int, end: int) -> str:
        lo, hi = self.around(start, end)
        return self.text[lo:hi]


_CONDITION = re.compile(r"\b(if|unless|until|or else|otherwise|deadline|ultimatum)\b", re.I)


def has_threat_cues(sentence: str) -> bool:
    """A threat needs a future or conditional marker, and a harm or a condition, in its
    sentence: narration of past acts has neither."""
    if not _FUTURE.search(sentence):
        return False
    return bool(_HARM.search(sentence) or _CONDITION.search(sentence))


def has_attribution(sentence: str) -> bool:
    """A claim needs a source marker (a reporting verb or quotation) in its sentence."""
    return bool(_ATTRIBUTION.search(sentence))
