"""Migrate a whole notebook: every code cell with the context of all the others.

The result keeps outputs, metadata, attachments, cell ids and the input's JSON layout. A changed cell
records its original source in ``metadata.tf2_migrate`` (for Undo and Compare), and a cell migrated
twice keeps the first original, so the notebook can always go back to what the user wrote.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field

from kernel_helpers.engine.api import Migration, migrate
from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.finding import Finding
from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

from .io import NotebookLayout, cell_source, dumps_notebook, read_notebook, set_cell_source, validate

METADATA_KEY = "tf2_migrate"


@dataclass
class CellMigration:
    index: int
    cell_id: str | None
    migration: Migration


@dataclass
class NotebookMigration:
    notebook: dict
    original: dict
    layout: NotebookLayout
    cells: list[CellMigration] = field(default_factory=list)
    skipped: str | None = None
    validation_errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.migration.changed for c in self.cells)

    @property
    def findings(self) -> list[Finding]:
        return [f.at_cell(c.index) for c in self.cells for f in c.migration.findings]

    @property
    def remaining(self) -> list[Finding]:
        return [f.at_cell(c.index) for c in self.cells for f in c.migration.remaining]

    def dumps(self) -> str:
        return dumps_notebook(self.notebook, self.layout)

    def report(self) -> dict:
        return {
            "changed": self.changed,
            "skipped": self.skipped,
            "validation_errors": self.validation_errors,
            "cells": [{"cell": c.index, "id": c.cell_id, **c.migration.report()} for c in self.cells],
        }


def migrate_notebook(nb_or_path, *, level: str = "tf2", unsafe: bool = False) -> NotebookMigration:
    """Migrate a notebook given as a path, JSON text, or a notebook dict (nbformat 4)."""
    if isinstance(nb_or_path, (str, os.PathLike)) and not str(nb_or_path).lstrip().startswith("{"):
        original, layout = read_notebook(nb_or_path)
    elif isinstance(nb_or_path, str):
        original, layout = read_notebook(nb_or_path)
    else:
        original, layout = _as_plain(nb_or_path), NotebookLayout()
    notebook = copy.deepcopy(original)
    result = NotebookMigration(notebook, original, layout)
    language = _language(notebook)
    if language not in (None, "python"):
        result.skipped = f"the notebook's language is {language}, not Python"
        return result
    code_cells = [(i, cell) for i, cell in enumerate(notebook.get("cells", [])) if cell.get("cell_type") == "code"]
    context = NotebookContext.from_cells(cell_source(cell) for _, cell in code_cells)
    lifts = _lift(code_cells, context) if level == "tf2" else None
    for position, (index, cell) in enumerate(code_cells):
        text = cell_source(cell)
        if lifts is not None:
            migration = migrate_lifted(lifts[position], unsafe=unsafe, context=context)
        else:
            migration = migrate(text, level=level, unsafe=unsafe, context=context)
        result.cells.append(CellMigration(index, cell.get("id"), migration))
        if migration.changed:
            set_cell_source(cell, migration.source)
            record = cell.setdefault("metadata", {}).setdefault(METADATA_KEY, {})
            record.setdefault("original", text)
            record["level"] = level
            record["codes"] = sorted({f.code for f in migration.applied} | set(record.get("codes", [])))
    result.validation_errors = validate(notebook)
    return result


def _lift(code_cells, context):
    # Graphs span cells (a placeholder here, its sess.run three cells down), so lifting reads them all.
    return lift_notebook([cell_source(cell) for _, cell in code_cells], context)


def _language(notebook: dict) -> str | None:
    metadata = notebook.get("metadata", {})
    language = (metadata.get("kernelspec", {}).get("language")
                or metadata.get("language_info", {}).get("name"))
    return language.lower() if isinstance(language, str) else None


def _as_plain(nb) -> dict:
    # nbformat's NotebookNode is a dict subclass; a plain copy keeps our JSON layout logic simple.
    import json

    return json.loads(json.dumps(nb))
