"""Publication dates from header lines and datelines, in any language dateparser knows.

A fuzzy parse reads dates into anything with digits ("Vol. 12, No. 3/4" became 2004-12-03) and
guesses missing parts ("8 novembre 2025" became 2025-08-01). So only substrings shaped like a
full date (a day, a month and a four-digit year) are handed to dateparser, which must then read
all three parts strictly. Warnings the date libraries raise stay inside the call.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from functools import lru_cache
from typing import Any

# Shapes of a full date; the month word may be in any script ("novembre", "ноября", "März").
_WORD = r"[^\W\d_]{3,}\.?"
_CANDIDATE = re.compile(
    rf"""\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b                             # 2025-11-08
      | \b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}\b                         # 08/11/2025, 8.11.2025
      | \b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?{_WORD},?\s+(?:de\s+)?\d{{4}}\b  # 8 novembre
      | \b{_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b           # Sept 3, 2025
      | \d{{4}}年\d{{1,2}}月\d{{1,2}}日                                 # 2025年11月8日
    """,
    re.VERBOSE,
)
_SETTINGS: dict[str, Any] = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_EARLIEST = dt.date(1900, 1, 1)


def find_date(line: str, *, languages: tuple[str, ...] | None = None) -> dt.date | None:
    """The first full date written in `line`, or None. Never guesses a missing part."""
    for m in _CANDIDATE.finditer(line):
        when = _parse(m.group(), languages)
        if when is not None:
            return when
    return None


@lru_cache(maxsize=512)
def _parse(candidate: str, languages: tuple[str, ...] | None) -> dt.date | None:
    import dateparser  # heavy: loaded on the first header that holds a date-shaped string

    with warnings.catch_warnings():
        # dateparser and the dateutil/tz code beneath it warn about time zones and locales;
        # those go nowhere near the user's terminal, and only for this call.
        warnings.simplefilter("ignore")
        try:
            when = dateparser.parse(candidate, languages=list(languages) if languages else None,
                                    settings=_SETTINGS)
        except (ValueError, OverflowError, TypeError):
            return None
    if when is None:
        return None
    day = when.date()
    return day if _EARLIEST <= day <= dt.date.today() + dt.timedelta(days=2) else None

