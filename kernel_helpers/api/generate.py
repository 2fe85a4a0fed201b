"""Generate ``tf_api.json`` from the installed TensorFlow.

    python -m kernel_helpers.api.generate            # rewrite kernel_helpers/api/tf_api.json
    python -m kernel_helpers.api.generate --check    # exit 1 (with a summary) if the file is stale
    python -m kernel_helpers.api.generate --stats    # counts and the comparison with tf_upgrade_v2

The tables come from TensorFlow's export metadata (see ``exports``) and ``inspect`` signatures
(see ``signatures``); ``tf_upgrade_v2``'s own tables are only a cross-check. Run it without
``TF_USE_LEGACY_KERAS``: the main walk must see TF2 with Keras 3, and the legacy names are read
in a child process (``legacy_walk``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .jsonfmt import render

JSON_PATH = Path(__file__).with_name("tf_api.json")


class GenerationError(RuntimeError):
    """The installed environment cannot produce the tables (wrong Keras mode, legacy walk failed)."""


@dataclass
class Generated:
    tables: dict
    stats: dict


def build() -> Generated:
    """Walk the installed TensorFlow and return the tables (JSON-ready) and generation statistics."""
    if os.environ.get("TF_USE_LEGACY_KERAS", "").strip().lower() in ("1", "true", "yes"):
        raise GenerationError("unset TF_USE_LEGACY_KERAS: the main walk must see TF2 with Keras 3")
    import tensorflow as tf

    from .builder import TableBuilder

    builder = TableBuilder(tf, legacy=run_legacy_walk)
    return Generated(tables=builder.tables(), stats=builder.stats)


def run_legacy_walk(paths: list[str]) -> dict:
    """Run ``legacy_walk`` in a child process with ``TF_USE_LEGACY_KERAS=1``."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["TF_USE_LEGACY_KERAS"] = "1"
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, "-m", "kernel_helpers.api.legacy_walk"],
        input=json.dumps({"paths": paths}),
        capture_output=True,
        text=True,
        env=env,
        cwd=package_root,
        timeout=600,
    )
    if completed.returncode != 0:
        raise GenerationError(f"legacy walk failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout)


def diff_summary(old: dict, new: dict, limit: int = 5) -> list[str]:
    """Human-readable lines describing how two table documents differ."""
    lines = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            added = sorted(set(after) - set(before))
            removed = sorted(set(before) - set(after))
            changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
            lines.append(f"{key}: +{len(added)} -{len(removed)} ~{len(changed)}")
            lines += [f"  + {k}: {json.dumps(after[k])}" for k in added[:limit]]
            lines += [f"  - {k}: {json.dumps(before[k])}" for k in removed[:limit]]
            lines += [f"  ~ {k}: {json.dumps(before[k])} -> {json.dumps(after[k])}" for k in changed[:limit]]
        elif isinstance(before, list) and isinstance(after, list):
            added = sorted(set(after) - set(before))
            removed = sorted(set(before) - set(after))
            lines.append(f"{key}: +{len(added)} -{len(removed)}")
            lines += [f"  + {item}" for item in added[:limit]] + [f"  - {item}" for item in removed[:limit]]
        else:
            lines.append(f"{key}: {json.dumps(before)} -> {json.dumps(after)}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kernel_helpers.api.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed JSON is not current")
    parser.add_argument("--stats", action="store_true", help="print generation statistics as JSON")
    parser.add_argument("--output", type=Path, default=JSON_PATH, help="file to write or check")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        generated = build()
    except GenerationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = render(generated.tables)
    if args.stats:
        print(json.dumps(generated.stats, indent=2, sort_keys=True))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current == text:
            return 0
        old = json.loads(current) if current else {}
        print(f"{args.output} is out of date; regenerate with python -m kernel_helpers.api.generate", file=sys.stderr)
        for line in diff_summary(old, generated.tables) or ["(formatting differs)"]:
            print(line, file=sys.stderr)
        return 1
    temporary = args.output.with_suffix(args.output.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
