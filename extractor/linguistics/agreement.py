"""Gender agreement between "he"/"she" and the person they stand for, from the article's
own words: an honorific before a name ("Mr Putin", "Mrs May") or the first personal pronoun
after it in its sentence, before anyone else is named ("Col Sergei Skripal and his
daughter"). A person the text gives no sign for agrees with either pronoun; no list of first
names is used."""

from __future__ import annotations

import re

from .. import lexicon
from .analysis import Mention

AFTER_CHARS = 80  # how far after a name its own pronoun is looked for
_WORD = re.compile(r"[A-Za-z]+")


def _family(m: Mention) -> str:
    words = m.text.lower().replace("’", "'").split()
    return words[-1] if words else ""


def _sign(word: str) -> str | None:
    w = word.lower()
    if w in lexicon.MALE_WORDS:
        return "m"
    if w in lexicon.FEMALE_WORDS:
        return "f"
    return None


def genders(text: str, pool: list[Mention]) -> dict[str, str]:
    """Family name -> "m" or "f", where the text says and never says both."""
    people = [m for m in pool if m.label == "PERSON"]
    seen: dict[str, set[str]] = {}
    for i, m in enumerate(people):
        before = _WORD.findall(text[max(m.start - 6, 0):m.start])
        first = m.text.split()[0].rstrip(".").lower() if m.text.split() else ""
        signs = [s for w in ([before[-1]] if before else []) + [first]
                 if (s := lexicon.HONORIFIC_SEX.get(w.lower().rstrip("."))) is not None]
        nxt = people[i + 1].start if i + 1 < len(people) else len(text)
        after = re.split(r"[.!?\n]", text[m.end:min(m.end + AFTER_CHARS, nxt)])[0]
        signs += [s for w in _WORD.findall(after)[:8] if (s := _sign(w)) is not None][:1]
        if signs:
            seen.setdefault(_family(m), set()).update(signs)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def agreeing(pronoun: str, mentions: list[Mention], sexes: dict[str, str]) -> list[Mention]:
    """The mentions "he"/"she" may stand for: people the text gives the other sex are out."""
    want = _sign(pronoun)
    if want is None:
        return mentions
    return [m for m in mentions if m.label != "PERSON" or sexes.get(_family(m), want) == want]
