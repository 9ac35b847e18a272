"""Dates: full dates only, in any language dateparser reads, no fuzzy guesses, no warnings."""

import datetime as dt
import warnings

import pytest

from extractor.dates import find_date
from extractor.documents import parse


@pytest.mark.parametrize(("line", "expected"), [
    ("Saturday, 08 November 2025 8:13 AM", "2025-11-08"),
    ("8 novembre 2025", "2025-11-08"),
    ("Publié le 8 novembre 2025 à 10h32", "2025-11-08"),
    ("11 de febrero de 2025", "2025-02-11"),
    ("12. März 2025, 14:05 Uhr", "2025-03-12"),
    ("1 ноября 2025 г.", "2025-11-01"),
    ("2025年11月8日", "2025-11-08"),
    ("MELBOURNE, Sept 3, 2025", "2025-09-03"),
    ("PRAGUE — Monday 27 January 2025 — Wire / Technology & Security", "2025-01-27"),
    ("Published 2025-03-14", "2025-03-14"),
    ("Wednesday, June 11, 2025 — 19:20 GMT", "2025-06-11"),
    ("Nov 8, 2025 12:00 EST", "2025-11-08"),
])
def test_full_dates_in_many_shapes_and_languages(line: str, expected: str) -> None:
    assert str(find_date(line)) == expected


@pytest.mark.parametrize("line", [
    "Vol. 12, No. 3/4",
    "Issue 3, Winter 2024",
    "DAMASCUS, Nov 8 (Reuters) -",  # no year: not guessed
    "Section 12 of the 2025 act",
    "Room 3/4, Building 2025",
    "Tel. 0211 5555 2025",
    "November 2025",  # no day: not guessed as the 1st
    "31 February 2025",
])
def test_no_fuzzy_false_dates(line: str) -> None:
    assert find_date(line) is None


def test_a_date_in_the_future_is_not_a_publication_date() -> None:
    assert find_date(f"3 March {dt.date.today().year + 5}") is None


def test_no_third_party_warning_reaches_the_user_and_filters_are_left_as_they_were() -> None:
    before = list(warnings.filters)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for line in ("Saturday, 08 November 2025 8:13 AM XYZT", "8 Nov 2025 10:00 CEST",
                     "08/11/2025 25:99", "8 novembre 2025 à 10h32 heure de Paris"):
            find_date(line)
        inside = list(warnings.filters)
    assert caught == []
    assert inside[0][0] == "always"  # our simplefilter, untouched by the call
    assert list(warnings.filters) == before


def test_header_date_of_a_french_page_is_read_as_day_month_year() -> None:
    doc = parse("La France menace de sanctions\nLe Monde Diplomatique\n8 novembre 2025\n"
                "Le ministre a déclaré que Paris imposerait des sanctions si l'accord était "
                "violé.\nLa Russie a rejeté ces accusations.\n")
    assert str(doc.meta.published_at) == "2025-11-08"
    assert doc.meta.publisher == "Le Monde Diplomatique"


def test_a_volume_line_in_a_header_is_not_a_date() -> None:
    doc = parse("Journal of Conflict Studies\nVol. 12, No. 3/4\nThe article argues that "
                "deterrence failed.\nIt was written in 2004.\n")
    assert doc.meta.published_at is None
