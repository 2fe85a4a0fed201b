"""Migrate a notebook on the server's disk into a ``<name>.tf2.ipynb`` copy beside it.

The original is only read, never written. Paths come from the browser, so they are resolved
inside the server's root directory and anything that would leave it is refused.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from kernel_helpers.fileio import atomic_write
from kernel_helpers.notebook.migrate import migrate_notebook

MIGRATED_SUFFIX = ".tf2.ipynb"


class UnsafePath(ValueError):
    """The path is not a notebook inside the root directory."""


class NotebookNotFound(FileNotFoundError):
    """No notebook at the path (a request error, unlike a file vanishing mid-write)."""


def resolve_inside(root_dir: str | os.PathLike[str], api_path: str) -> Path:
    """The file that the Jupyter API path ``api_path`` names below ``root_dir``.

    Raises :class:`UnsafePath` for absolute paths, ``..`` segments, and paths (symlinks
    included) that resolve outside ``root_dir``.
    """
    if not isinstance(api_path, str) or not api_path.strip("/"):
        raise UnsafePath("path must name a notebook below the server's root directory")
    if "\x00" in api_path or "\\" in api_path:
        raise UnsafePath(f"path {api_path!r} has characters a Jupyter path cannot contain")
    relative = PurePosixPath(api_path.lstrip("/"))
    if any(part == ".." for part in relative.parts):
        raise UnsafePath(f"path {api_path!r} leaves the server's root directory")
    root = Path(root_dir).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise UnsafePath(f"path {api_path!r} leaves the server's root directory")
    return target


def migrated_path(notebook: Path) -> Path:
    """``a/b.ipynb`` → ``a/b.tf2.ipynb``."""
    stem = notebook.name[: -len(".ipynb")] if notebook.name.endswith(".ipynb") else notebook.stem
    return notebook.with_name(stem + MIGRATED_SUFFIX)


def migrate_notebook_beside(
    root_dir: str | os.PathLike[str], api_path: str, *, level: str = "tf2", unsafe: bool = False
) -> dict[str, Any]:
    """Write the migrated copy of the notebook at ``api_path``; return what was done.

    Answer: ``{"path": <API path of the copy>, "changed", "cells_changed", "findings",
    "remaining", "skipped", "validation_errors"}``.
    """
    source = resolve_inside(root_dir, api_path)
    if source.suffix != ".ipynb":
        raise UnsafePath(f"{api_path!r} is not a notebook (.ipynb)")
    if not source.is_file():
        raise NotebookNotFound(f"no notebook at {api_path!r}")
    root = Path(root_dir).resolve()
    target = migrated_path(source)
    # atomic_write follows a symlink at the target, which must not lead out of the root either.
    if not target.resolve().is_relative_to(root):
        raise UnsafePath(f"the copy of {api_path!r} would be written outside the root directory")
    result = migrate_notebook(source, level=level, unsafe=unsafe)
    if result.skipped is None:
        atomic_write(target, result.dumps().encode("utf-8"))
    return {
        "path": target.relative_to(root).as_posix(),
        "written": result.skipped is None,
        "changed": result.changed,
        "cells_changed": sum(1 for cell in result.cells if cell.migration.changed),
        "findings": len(result.findings),
        "remaining": len(result.remaining),
        "skipped": result.skipped,
        "validation_errors": list(result.validation_errors),
    }
