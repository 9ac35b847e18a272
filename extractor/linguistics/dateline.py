"""Wire datelines ("TORONTO –", "POPAYAN, Colombia, March 18 (Reuters) -") are not part of the
sentence they open: parsed with it, the city becomes the subject ("TORONTO ... is
threatening"). The convention is the agencies' own (AP, Reuters, AFP style books): the place
in capitals, an optional region and date, an optional agency in brackets, then a dash.
"""

from __future__ import annotations

import re

_DATELINE = re.compile(
    r"""^\s*
    [A-Z][A-Z.'’]+(?:[ /-][A-Z][A-Z.'’]+)*      # the place, in capitals: RAS LANUF, MOSCOW/WARSAW
    (?:,[ ][^,()\n–—]{2,30}?){0,2}              # region and/or date: ", Colombia", ", Nov 3"
    (?:[ ]?\([^)\n]{1,40}\)?)?                  # the agency: (AP), (Reuters)
    [ ]?(?:--|[-–—])[ ]+                         # the dash
    """, re.VERBOSE)


# South Asian and some African papers write the place in title case with a colon
# ("New Delhi: Minister of state ..."); only a lead paragraph opens so, never a headline.
_COLON_DATELINE = re.compile(r"^\s*[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}:[ ]+(?=[A-Z\"“‘'])")
COLON_LEAD_CHARS = 150


def dateline_end(line: str, colon: bool = False) -> int:
    """Where the sentence after a leading dateline starts; 0 when the line has none. A line
    that is nothing but a dateline and a few words keeps them (a header, not a dateline).
    `colon`: also a title-case place and a colon opening a lead paragraph."""
    if colon and len(line) >= COLON_LEAD_CHARS and (c := _COLON_DATELINE.match(line)):
        return c.end()
    m = _DATELINE.match(line)
    if m is None or len(line) - m.end() < 20 or not line[m.end()].isupper() and \
            line[m.end()] not in "\"“‘'":
        return 0  # "NATO - the alliance - said": an aside, not a dateline
    return m.end()
