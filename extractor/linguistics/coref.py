"""Speakers written as pronouns, titles, descriptions or family names -> the named mention
they stand for: the speaker who spoke last, else the nearest compatible one before them.

"he"/"the minister" want a person ("the general" first the one introduced as a general);
"it"/"the company"/"the group" an organization that spoke last, never a government (with
body nouns, extract@13 on: "the group" first the one introduced as a group, "the union" a
later "... Union"); a
family name the person who bears it. An unnamed individual ("a Hamas spokesman") stands for
the group inside their noun phrase; a lead's description with no one named before it for
the one the next sentences name; a document for its signer. With centering (extract@15 on),
"he" right after a sentence whose subject is a person named since the last speaker is that
subject; with family names (extract@17 on), also a subject the tagger mislabelled that is a
named person's family name.
"""

from __future__ import annotations

import re

from .. import lexicon
from .agreement import agreeing, genders
from .analysis import Attribution, Mention
from .groups import introduced, introductions

_PERSON = ("PERSON",)
_GROUP = ("ORG", "GPE", "NORP")
_STATE = ("GPE", "NORP")
_SUBJECT = ("nsubj", "nsubjpass")
FORWARD_CHARS = 400  # how far a description with nothing named before it looks ahead
CENTRE_CHARS = 300  # how far back a pronoun looks for the subject it continues


def _head_word(m: Mention) -> str:
    words = m.text.lower().replace("’", "'").split()
    return words[-1] if words else ""


def _nearest(before: int, labels: tuple[str, ...], pool: list[Mention]) -> Mention | None:
    best: Mention | None = None
    for m in pool:
        if m.start >= before:
            break
        if m.label in labels:
            best = m
    return best


def _last_speaker(recent: list[Mention] | None, labels: tuple[str, ...]) -> Mention | None:
    """The latest of the last three speakers with a fitting label."""
    for m in reversed((recent or [])[-3:]):
        if m.label in labels:
            return m
    return None


def _family(word: str, pool: list[Mention], before: int) -> Mention | None:
    """The person, named before, whose first or last name `word` is."""
    w = word.lower()
    best = None
    for m in pool:
        if m.start >= before:
            break
        parts = m.text.lower().split()
        if m.label == "PERSON" and len(parts) > 1 and w in (parts[0], parts[-1]):
            best = m
    return best


def _following(after: int, labels: tuple[str, ...], pool: list[Mention],
               deps: tuple[str, ...] = ()) -> Mention | None:
    """The first fitting mention within the next sentence or two: a news lead describes the
    one it names next ("An Ontario cabinet minister is threatening ... Michael Chan says")."""
    for m in pool:
        if m.start <= after or m.label not in labels or deps and m.dep not in deps:
            continue
        return m if m.start - after <= FORWARD_CHARS else None
    return None


def titles(text: str, pool: list[Mention]) -> dict[tuple[int, int], frozenset[str]]:
    """The words that give each person's or body's role where they are named: those before
    the name in its clause ("Brigadier General Modou Sanneh"; a body's last three: "a
    ransomware group calling itself Black Lantern") and an appositive after the name ("Anna
    Kell, the foreign minister,")."""
    out: dict[tuple[int, int], frozenset[str]] = {}
    for m in pool:
        if m.label not in ("PERSON", "ORG"):
            continue
        lead = re.split(r"[,.;:\"“”()]", text[max(m.start - 40, 0):m.start])[-1]
        after = text[m.end:m.end + 60]
        appos = re.split(r"[,.;:\"“”()]", after[2:])[0] if after.startswith(", ") else ""
        if not appos[:1].islower():
            appos = ""  # "Jatta, Brigadier General Modou Sanneh": another person
        if m.label == "ORG":  # a body: the few words that introduce it
            lead, name = " ".join(lead.split()[-3:]), ""
        else:
            name = m.text
        words = (lead + " " + name + " " + appos).lower().split()
        out[(m.start, m.end)] = frozenset(words)
    return out


def _titled(word: str, pool: list[Mention], before: int,
            roles: dict[tuple[int, int], frozenset[str]]) -> Mention | None:
    """The last person or body named before with `word` in their role ("the general" -> the one
    introduced as "Brigadier General ...")."""
    best = None
    for m in pool:
        if m.start >= before:
            break
        if word in roles.get((m.start, m.end), ()):
            best = m
    return best


def _named_description(m: Mention) -> Mention:
    words = m.text.split()
    drop = 1 if words and words[0].lower() in ("the", "a", "an") else 0
    text = " ".join(words[drop:])
    start = m.start + m.text.index(text)
    return Mention(start, start + len(text), text, "ORG")


def _body_named(word: str, bodies: list[Mention], before: int, recent: list[Mention] | None,
                roles: dict[tuple[int, int], frozenset[str]]) -> Mention | None:
    """"the group": the body introduced as one ("a ransomware group calling itself X"); else
    the last body whose name ends in the word ("the union": "... Workers' Union") when it
    was named after the body that spoke last. None: the body that spoke last."""
    named = [m for m in bodies if m.label == "ORG"]
    if (found := _titled(word, named, before, roles)) is not None:
        return found
    headed = _nearest(before, ("ORG",), [m for m in named if _head_word(m) == word])
    last = _last_speaker(recent, ("ORG",))
    return headed if headed is not None and (last is None or headed.start > last.start) else None


def resolve_speaker(speaker: Mention, affiliation: Mention | None, pool: list[Mention],
                    recent: list[Mention] | None = None,
                    roles: dict[tuple[int, int], frozenset[str]] | None = None,
                    body_nouns: bool = False,
                    leads: dict[tuple[int, int], frozenset[str]] | None = None) -> Mention | None:
    """The named mention `speaker` stands for; None when the text does not identify one
    ("analysts said", "officials said"). `recent`: the sources of the attributions before
    this one, latest last: "he" and "the minister" continue the last person who spoke. An
    unnamed group (layer option subjects) speaks for itself, or for the body named in it
    ("Hamas militants")."""
    if speaker.label == "GROUP":
        if affiliation is not None and affiliation.label == "ORG":
            return affiliation
        return (introduced(speaker, pool, leads or {})
                or Mention(speaker.start, speaker.end, speaker.text, "ORG", speaker.dep))
    if speaker.named and len(speaker.text.split()) == 1:
        found = _family(speaker.text, pool, speaker.start)
        if found is not None or speaker.label == "PERSON":
            return found or speaker
    if speaker.label in ("PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT"):
        return speaker
    word = _head_word(speaker)
    if speaker.label == "PROPN" and word not in lexicon.PERSON_NOUNS:
        return _family(word, pool, speaker.start) or speaker  # a name, or an org's name
    capital = speaker.text[:1].isupper() and len(speaker.text.split()) == 1
    pronoun = word in lexicon.PERSON_PRONOUNS | lexicon.GROUP_PRONOUNS
    if capital and not pronoun and (found := _family(word, pool, speaker.start)) is not None:
        return found  # a family name the tagger took for a common word ("No said")
    definite = speaker.label == "PROPN" or speaker.text.lower().startswith(
        ("the ", "this ", "that ", "its ", "their "))
    if speaker.label == "PRON":
        if word in lexicon.PERSON_PRONOUNS:
            return _last_speaker(recent, _PERSON) or _nearest(speaker.start, _PERSON, pool)
        if word in lexicon.GROUP_PRONOUNS:  # "It added": the body that spoke last
            return _last_speaker(recent, _GROUP) or _nearest(speaker.start, _GROUP, pool)
        return None
    if word in lexicon.DOCUMENT_NOUNS:  # "the pamphlet, signed by X, said": X
        return affiliation or (_last_speaker(recent, (*_PERSON, *_GROUP)) if definite else None)
    before = _nearest(speaker.start, _PERSON, pool)
    if word in lexicon.PERSON_NOUNS:
        if before is None and _last_speaker(recent, _PERSON) is None:  # a lead's description
            found = _following(speaker.end, _PERSON, pool, _SUBJECT)
            if found is not None:
                return found
        if definite:  # "the minister": someone named before; "a Hamas spokesman": Hamas
            people = [m for m in pool if m.label == "PERSON"]
            return (_titled(word, people, speaker.start, roles or {})
                    or _last_speaker(recent, _PERSON) or before or affiliation)
        return affiliation  # "a Hamas spokesman" speaks for Hamas; "officials" for no one
    if word in lexicon.GROUP_NOUNS and affiliation is None and not definite \
            and word not in lexicon.STATE_NOUNS and _nearest(speaker.start, ("ORG",), pool) is None:
        return _following(speaker.end, ("ORG",), pool)  # "A dissident armed group ... X"
    if word in lexicon.GROUP_NOUNS:
        if affiliation is not None and affiliation.label == "NORP":
            return _named_description(speaker)  # "the Dalish defence ministry" speaks itself
        if affiliation is not None:
            return affiliation
        if not definite:
            return None
        if word in lexicon.STATE_NOUNS:
            return (_last_speaker(recent, _STATE) or _nearest(speaker.start, _STATE, pool)
                    or _nearest(speaker.start, _GROUP, pool))
        bodies = [m for m in pool if _head_word(m) not in lexicon.STATE_NOUNS]  # "the group"
        named = _body_named(word, bodies, speaker.start, recent, roles or {}) if body_nouns \
            else None
        return (named or _last_speaker(recent, ("ORG",))
                or _nearest(speaker.start, ("ORG",), bodies)
                or _nearest(speaker.start, _GROUP, bodies))  # is no "Imo State Government"
    return affiliation


def _as_person(m: Mention, pool: list[Mention], family_names: bool) -> Mention | None:
    """`m` when the tagger called it a person; with `family_names`, also the person named
    before whose family name `m` is, whatever label the tagger gave it ("Osmonaliev went
    further", tagged a place)."""
    if m.label == "PERSON":
        return m
    if family_names and len(m.text.split()) == 1 and m.text[:1].isupper():
        return _family(m.text, pool, m.start)
    return None


def _centre(att: Attribution, pool: list[Mention], contents: list[tuple[int, int]],
            spoke_at: int, family_names: bool = False) -> Mention | None:
    """"he"/"she" right after a sentence whose subject is a person named since the last
    person spoke ("Abu Dhraa went further. '...,' he told the channel"): that subject, the
    centre of the discourse, not the earlier speaker. Names inside quoted or reported
    content are never the centre."""
    sp = att.speaker
    if sp.label != "PRON" or _head_word(sp) not in lexicon.PERSON_PRONOUNS:
        return None
    lo = max(spoke_at + 1, att.sentence[0] - CENTRE_CHARS)
    best = None
    for m in pool:
        if m.start >= att.sentence[0]:
            break
        if (m.start >= lo and m.dep in _SUBJECT
                and not any(a <= m.start < b for a, b in contents)
                and (person := _as_person(m, pool, family_names)) is not None):
            best = person
    return best


def resolve_all(atts: list[Attribution], entities: list[Mention],
                headline: tuple[int, int] | None = None, text: str = "",
                centering: bool = False, body_nouns: bool = False,
                family_names: bool = False, agreement: bool = False) -> None:
    """Fill `source` for every attribution, in text order; resolved speakers join the pool,
    so "he" after "No said" finds No even where NER missed the name. The headline's speakers
    are no antecedents: a story's body names its people afresh ("Minister threatens ...").
    With `agreement`, "he" and "she" pass over a person the text gives the other sex
    (`agreement.agreeing`)."""
    pool = sorted(entities, key=lambda m: m.start)
    sexes = genders(text, pool) if agreement else {}
    roles = titles(text, pool)
    leads = introductions(text, pool)
    recent: list[Mention] = []
    contents = [a.content for a in atts]
    spoke_at = -1  # where the last person who spoke did so
    for att in sorted(atts, key=lambda a: a.sentence[0]):
        if att.source is None:  # never a name inside what is said ("'... Social Security
            lo, hi = att.content  # number goes public,' the group wrote")
            pron = att.speaker.text if att.speaker.label == "PRON" else ""
            outside = agreeing(pron, [m for m in pool if not lo <= m.start < hi], sexes)
            att.source = (att.antecedent
                          or (_centre(att, agreeing(pron, pool, sexes), contents, spoke_at,
                                      family_names) if centering else None)
                          or resolve_speaker(att.speaker, att.affiliation, outside,
                                             agreeing(pron, recent, sexes), roles,
                                             body_nouns, leads))
            if att.antecedent is not None:  # its title made it a person: so is its name
                pool = [att.antecedent if (m.start, m.end) == (att.antecedent.start,
                                                               att.antecedent.end) else m
                        for m in pool]
        att.reported_by = [resolve_speaker(r, None, pool) or r for r in att.reported_by]
        src = att.source
        if headline is not None and att.sentence[0] < headline[1]:
            continue
        if src is not None and src.label in ("PERSON", "PROPN"):
            spoke_at = att.sentence[0]
        if src is not None:
            recent.append(src)
        if src is not None and src.label in ("PROPN",) and not any(
                (m.start, m.end) == (src.start, src.end) for m in pool):
            pool.append(Mention(src.start, src.end, src.text, "PERSON"))
            pool.sort(key=lambda m: m.start)
