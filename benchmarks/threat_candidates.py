"""The linguistic layer's ceiling for threats, with no model: of the gold threats of a split,
how many stand in a statement the plan asks about, and with the right speaker.

The model can only say yes to a statement the plan asks about, and a yes under the wrong
speaker is a miss and a spurious item at once; this measures both in seconds, so a change to
attribution or coreference is checked before any model run. Not for the held-out split.

    python benchmarks/threat_candidates.py --split dev,real-dev [-v]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extractor import documents, lexicon
from extractor.evals.fixtures import load_fixtures, parse_splits
from extractor.linguistics import analyze
from extractor.plan import _may_threaten
from extractor.resolve.actors import Registry
from extractor.resolve.statements import collect


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev,real-dev")
    ap.add_argument("--fixtures", type=Path, default=Path("evals/fixtures"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every gold threat")
    args = ap.parse_args()
    splits = parse_splits(args.split)
    if "real" in splits:
        raise SystemExit("the held-out split is never tuned on")
    gold = stated = asked = right = 0
    for fx in load_fixtures(args.fixtures, splits):
        doc = documents.parse(fx.text)
        analysis = analyze(doc)
        registry = Registry()
        for m in analysis.entities:
            registry.add(m)
        statements = collect(analysis, registry)
        registry.fold_initials()
        for g in fx.threats:
            gold += 1
            hits = [s for s in statements
                    if any(q[:40] in (ev := doc.text[s.evidence[0]:s.evidence[1]]) or ev in q
                           for q in g.quotes)]
            ask = [s for s in hits if _may_threaten(s) or s.att.cue in lexicon.THREAT_VERBS]
            forms = {f.lower() for f in fx.actor(g.speaker).forms}
            ok = [s for s in ask if registry.live(s.speaker).name.lower() in forms]
            stated, asked, right = stated + bool(hits), asked + bool(ask), right + bool(ok)
            if args.verbose:
                mark = "ok" if ok else "speaker" if ask else "not asked" if hits else "missing"
                said = sorted({registry.live(s.speaker).name for s in ask})
                print(f"{fx.id}: {mark:9} gold {g.speaker!r}, asked as {said}")
    print(f"{','.join(splits)}: {gold} gold threats; in a statement {stated}; asked {asked}; "
          f"asked with the gold speaker {right} ({right / max(gold, 1):.0%})")


if __name__ == "__main__":
    main()
