"""places_only_locate, also reading a place that only modifies another word as locating:
"a Vilnius-based think tank", "Toronto-area hospitals" (spaCy's npadvmod). Its own rule so
the released versions that list places_only_locate keep their actors."""

from __future__ import annotations

from .places_only_locate import PlacesOnlyLocate

RULE = PlacesOnlyLocate(name="places_as_modifiers", modifiers=("npadvmod",))
