"""How much of each fixture the document stage keeps from the model, and why.

    python benchmarks/withheld_share.py [evals/fixtures]

Prints one row per fixture: id, split, withheld share (withheld characters over the
characters of all nonblank lines), and the characters withheld per reason. No model runs.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from extractor.documents import WITHHELD_WARN_SHARE, parse
from extractor.evals.fixtures import load_fixture


def main(folder: Path) -> None:
    print("| fixture | split | withheld | reasons (characters) |\n|---|---|---|---|")
    shares = []
    for path in sorted(folder.glob("*.yaml")):
        fixture = load_fixture(path)
        doc = parse(fixture.text, source=fixture.id)
        by_reason: Counter[str] = Counter()
        for w in doc.withheld:
            by_reason[w.reason] += sum(len(line) for line in w.text.splitlines())
        reasons = ", ".join(f"{r} {n}" for r, n in by_reason.most_common()) or "-"
        flag = " (warned)" if doc.withheld_share > WITHHELD_WARN_SHARE else ""
        print(f"| {fixture.id} | {fixture.split} | {doc.withheld_share:.1%}{flag} | {reasons} |")
        shares.append(doc.withheld_share)
    if shares:
        median = sorted(shares)[len(shares) // 2]
        print(f"\n{len(shares)} fixtures; withheld share median {median:.1%}"
              f", max {max(shares):.1%}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("evals/fixtures"))
