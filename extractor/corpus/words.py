"""The corpus stage's word lists, in one place: titles that keep a form from being a person's
name, and the cues that give an actor its PLOVER/POLECAT-style sector."""

from __future__ import annotations

import re

# A form with one of these is a description ("North Korean Defense Minister"), not a name.
TITLE_WORDS = re.compile(
    r"\b(minister|president|premier|chancellor|secretary|spokes(?:man|woman|person)|commander|"
    r"general|admiral|colonel|captain|major|chief|head|director|ambassador|envoy|governor|"
    r"mayor|senator|judge|officer|executive|counsel|leader|king|queen|prince|sheikh|"
    r"analyst|official|deputy)\b", re.IGNORECASE)

# Words that come before a name as part of a title ("Prime Minister Kask", "Mr Kask").
TITLE_PREFIX = re.compile(
    r"(?i:the|mr|mrs|ms|dr|sir|prime|foreign|defen[cs]e|interior|finance|economy|trade|"
    r"justice|health|vice|acting|former|brigadier|lieutenant|rear|us|u\.s\.)\.?$")

# Sector by actor type, where the type alone decides.
TYPE_SECTOR = {"state": "GOV", "military": "MIL", "armed_group": "REB", "media": "MED",
               "international_organization": "IGO"}

# Organisations: first match on the name wins, the most specific first; default BUS.
ORG_SECTOR: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(rf"\b({words})\b", re.IGNORECASE)) for code, words in (
        ("COP", r"police|gendarmerie|constabulary"),
        ("JUD", r"court|tribunal|prosecutor\w*|attorney|ombudsman|judiciary"),
        ("CRM", r"gang|cartel|ransomware|cybercrim\w*"),
        ("MIL", r"army|navy|air force|military|defen[cs]e forces|border troops"),
        ("SPY", r"intelligence service|security service|national security"),
        ("GOV", r"ministry|government|department|parliament|bureau|agency|commission|cabinet"),
        ("LAB", r"union|workers|labou?r"),
        ("PTY", r"party|alliance|coalition"),
        ("MED", r"news|television|tv|radio|press|newspaper|broadcast\w*"),
        ("EDU", r"university|institute|college|academy"),
        ("NGO", r"human rights|red cross|red crescent|crisis group|foundation|charity|"
                r"observatory|network|council|guard|association"),
    ))

# People: their role's words, when what they speak for is not known; default CVL.
ROLE_SECTOR: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(rf"\b({words})\b", re.IGNORECASE)) for code, words in (
        ("COP", r"police\w*"),
        ("JUD", r"judge|prosecutor|attorney general|justice"),
        ("MIL", r"general|admiral|colonel|army|military|armed forces|commander"),
        ("GOV", r"minister|president|prime|premier|ambassador|governor|mayor|envoy|"
                r"secretary|chancellor|senator|spokes\w+|official"),
        ("BUS", r"chief executive|ceo|chairman|chairwoman|counsel|managing director"),
        ("MED", r"journalist|editor|reporter|correspondent"),
        ("REB", r"rebel|militia|insurgent|junta"),
    ))
