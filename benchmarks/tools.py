"""The two command-line tools compared, located the way a user of this environment would run them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


class ToolMissing(RuntimeError):
    pass


def _beside_interpreter(name: str) -> Path | None:
    # Console scripts live next to the venv's python; sys.executable may be a symlink into another
    # prefix, so the unresolved path is the one to look beside.
    candidate = Path(sys.executable).parent / name
    return candidate if candidate.is_file() else None


def tf_upgrade_v2_command() -> list[str]:
    """The ``tf_upgrade_v2`` console script that the tensorflow wheel installed into this environment."""
    found = _beside_interpreter("tf_upgrade_v2") or shutil.which("tf_upgrade_v2")
    if found is None:
        raise ToolMissing("tf_upgrade_v2 is not installed next to this Python (install the `tf` extra)")
    return [str(found)]


def tf2_migrate_command() -> list[str]:
    """``tf2-migrate`` as installed by ``pip install -e .``; the module form from a bare checkout."""
    script = _beside_interpreter("tf2-migrate")
    if script is not None:
        return [str(script)]
    return [sys.executable, "-m", "kernel_helpers.cli"]
