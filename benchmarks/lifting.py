"""How much of a folder of real TF1 notebooks level tf2 lifts to eager code, and what stops the rest.

Usage::

    python -m benchmarks.lifting DIR

For every notebook under DIR that builds a TF1 graph, runs the whole-notebook migration at level ``tf2`` and
reports whether the graph was lifted completely, or the reason the lifting gave (TFM199, TFM699) with the
names in it blanked, so that the same cause counts once however it is spelled. Nothing in DIR is written.
The most frequent reasons are the next things to lift.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

LIFTING_CODES = {"TFM100", "TFM101", "TFM102", "TFM600"}
REFUSAL_CODES = {"TFM199", "TFM699"}
#: a custom estimator's Keras model, offered as an unsafe fix: the survey runs safe fixes only
PROPOSAL_CODE = "TFM603"


def reason(message: str) -> str:
    """A refusal's cause, with the names it quotes blanked (`loss`, `tf.layers.dense` -> `X`)."""
    text = message.split(":", 1)[-1].split(". The notebook")[0]
    return re.sub(r"`[^`]*`", "`X`", text).strip()


def survey(folder: Path) -> tuple[list[str], Counter, list[str]]:
    """(lifted notebooks, refusal causes, notebooks that could not be read)."""
    from kernel_helpers import migrate_notebook

    lifted, causes, unreadable = [], Counter(), []
    for path in sorted(folder.rglob("*.ipynb")):
        try:
            result = migrate_notebook(str(path), level="tf2")
        except Exception as error:  # noqa: BLE001 - a broken notebook is reported, the survey goes on
            unreadable.append(f"{path.relative_to(folder)}: {type(error).__name__}")
            continue
        refusals = [f for f in result.findings if f.code in REFUSAL_CODES]
        if refusals:
            causes[reason(refusals[0].message)] += 1
        elif any(f.code == PROPOSAL_CODE for f in result.findings):
            causes["a custom `X` estimator, proposed as a Keras model by an unsafe fix (not applied here)"] += 1
        elif any(f.code in LIFTING_CODES for f in result.findings):
            lifted.append(str(path.relative_to(folder)))
    return lifted, causes, unreadable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lifting", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    lifted, causes, unreadable = survey(args.folder)
    total = len(lifted) + sum(causes.values())
    print(f"{len(lifted)} of {total} notebooks that build a TF1 graph are lifted completely")
    for cause, count in causes.most_common():
        print(f"{count:4d}  {cause}")
    for line in unreadable:
        print(f"unreadable: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
