"""The scorer's own name normalization, as LABELLING.md defines it.

Gold matching must not move when the pipeline's resolver changes how it merges names, so the
evals never import the resolver: this module is the one place the contract's rule lives
("case, punctuation, a leading 'the' and possessive 's ignored").
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_PUNCT = re.compile(r"[^\w\s]")
_LEADING_THE = re.compile(r"^\s*the\s+")


def norm_name(name: str) -> str:
    """Matching key of an actor name: 'The Kremlin's' and 'kremlin' give the same key.

    NFKC first, so composed and decomposed accents (as copied from different pages) are one
    form; accents themselves are kept, as the contract does not ignore them.
    """
    s = unicodedata.normalize("NFKC", name).casefold().translate(_APOSTROPHES)
    s = _POSSESSIVE.sub("", s)
    s = _PUNCT.sub(" ", s)
    s = _LEADING_THE.sub("", s)
    return " ".join(s.split())
