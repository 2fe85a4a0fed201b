"""Where each TF1 name in a cell moves to: shared by the rename rules (TFM001, TFM005).

Uses are rewritten where they are; ``from tensorflow import x`` is rewritten at the import, so its uses
keep their short names.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

from .calls import same_in_tf2, tf1_only_keywords
from .context import TF, is_tf
from .index import CellIndex, ImportRef, split_api
from .rewrite import imported_as, spelled, v1_target


@dataclass
class Move:
    start: int
    end: int
    old: str           # "tf.log"
    target: str        # "tensorflow.math.log"
    text: str          # replacement text
    imports: tuple[str, ...] = ()
    #: set for rewritten import statements, which may move several names at once
    message: str | None = None

    @cached_property
    def family(self) -> str:
        """"contrib" (a curated successor), "compat" (to tf.compat.v1) or "renamed" (to a TF 2 name)."""
        if self.old.startswith("tf.contrib"):
            return "contrib"
        if self.target.startswith(f"{TF}.compat.v1.") or self.target == f"{TF}.compat.v1":
            return "compat"
        return "renamed"


def moves(cell: CellIndex) -> list[Move]:
    if "moves" not in cell.memo:
        cell.memo["moves"] = _use_moves(cell) + [m for imp in cell.imports for m in _import_moves(cell, imp)]
    return cell.memo["moves"]


def _use_moves(cell: CellIndex) -> list[Move]:
    out = []
    for ref in cell.refs:
        if ref.namespace != "v1" or not ref.api:
            continue
        target = v1_target(ref.api)
        if target is None:
            continue
        if ref.call is not None and not target.startswith(f"{TF}.compat.") and tf1_only_keywords(ref.call, ref.api):
            target = f"{TF}.compat.v1.{ref.api}"
        elif target == f"{TF}.compat.v1.{ref.api}" and same_in_tf2(ref.call, ref.api):
            continue
        text, imports = spelled(cell, ref, target)
        if text != cell.source.text[ref.start:ref.end]:
            out.append(Move(ref.start, ref.end, f"tf.{ref.api}", target, text, imports))
    return out


def _import_moves(cell: CellIndex, imp: ImportRef) -> list[Move]:
    node = imp.node
    if isinstance(node, ast.Import):
        out = []
        for name, qualname, alias in imp.bindings:
            namespace, api = split_api(alias.name) if is_tf(alias.name) else ("", "")
            if namespace != "v1" or not api:
                continue
            target = imported_as(alias.name)
            if target == alias.name:
                continue
            start, end = cell.source.span(alias)
            if alias.asname:
                out.append(Move(start, end, f"tf.{api}", target, f"{target} as {alias.asname}"))
            else:
                # `import tensorflow.x.y` binds `tensorflow`, and its uses are rewritten where they are;
                # the import must only stop naming a module that no longer exists.
                out.append(Move(start, end, f"tf.{api}", target, TF))
        return out
    if not is_tf(node.module) or not imp.bindings:
        return []
    groups: dict[str, list[str]] = {}
    changed = []
    for name, qualname, alias in imp.bindings:
        namespace, api = split_api(qualname)
        target = imported_as(qualname) if namespace == "v1" else qualname
        module, _, member = target.rpartition(".")
        groups.setdefault(module, []).append(member if member == name else f"{member} as {name}")
        if target != qualname:
            changed.append((api, target))
    if not changed:
        return []
    # one statement may move names of several kinds; it is reported under the most specific one
    changed.sort(key=lambda c: (not c[0].startswith("contrib"), c[1].startswith(f"{TF}.compat.v1")))
    indent = " " * node.col_offset
    text = f"\n{indent}".join(_from_import(module, names) for module, names in groups.items())
    moved = ", ".join(f"`tf.{api}` → `{target.replace(TF, 'tf', 1)}`" for api, target in changed)
    return [Move(imp.start, imp.end, f"tf.{changed[0][0]}", changed[0][1], text,
                 message=f"this import moves: {moved}")]


def _from_import(module: str, names: list[str]) -> str:
    if module:
        return f"from {module} import {', '.join(names)}"
    # the target is a package of its own (tf.contrib.slim -> tf_slim)
    return "\n".join(f"import {name}" for name in names)


def report(rule, cell: CellIndex, move: Move, message: str):
    """The finding of a rename rule for one move (an import statement brings its own message)."""
    return rule.finding(cell, move.start, move.end, move.message or message,
                        edits=[(move.start, move.end, move.text)], imports=move.imports)
