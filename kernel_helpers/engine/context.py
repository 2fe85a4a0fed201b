"""Name resolution: which names in a cell refer to TensorFlow, through any import form or alias.

Notebooks import in one cell and use the names in others, so a cell is resolved against the
:class:`NotebookContext` (bindings made by the imports of the whole notebook) and then its own imports
and assignments, in order. Names are resolved, never string-matched: ``np.log`` is not ``tf.log``, and a
parameter called ``tf`` hides the module inside its function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterable

from .masking import parse_masked

TF = "tensorflow"


PRIVATE_KERAS = "tensorflow.python.keras"


def public_keras_module(node: ast.Import | ast.ImportFrom) -> str | None:
    """``tensorflow.keras[.sub]`` for ``from tensorflow.python.keras[.sub] import ...`` when TF 2 exports every name it
    imports there (TFM902 rewrites such an import, and its names resolve as the public ones meanwhile), else None."""
    if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
            and (node.module == PRIVATE_KERAS or node.module.startswith(PRIVATE_KERAS + "."))):
        return None
    from ..api.tables import tables

    public = "keras" + node.module[len(PRIVATE_KERAS):]
    if all(a.name != "*" and tables().in_v2(f"{public}.{a.name}")
           and not tables().needs_legacy_keras(f"{public}.{a.name}") for a in node.names):
        return f"{TF}.{public}"
    return None


def import_bindings(node: ast.Import | ast.ImportFrom) -> list[tuple[str, str, ast.alias]]:
    """(bound name, qualified name, alias node) for each name an import statement binds."""
    out = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                out.append((alias.asname, alias.name, alias))
            else:
                root = alias.name.split(".", 1)[0]
                out.append((root, root, alias))
    elif node.level == 0 and node.module:
        module = public_keras_module(node) or node.module
        for alias in node.names:
            if alias.name != "*":
                out.append((alias.asname or alias.name, f"{module}.{alias.name}", alias))
    return out


def compiled_metrics(tree: ast.Module) -> set[str]:
    """The string literals in the ``metrics=[...]`` of ``<model>.compile(...)`` calls."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compile":
            for keyword in node.keywords:
                if keyword.arg == "metrics" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                    found |= {e.value for e in keyword.value.elts if isinstance(e, ast.Constant)
                              and isinstance(e.value, str)}
    return found


def is_tf(qualname: str | None) -> bool:
    return qualname is not None and (qualname == TF or qualname.startswith(TF + "."))


@dataclass
class NotebookContext:
    """Bindings that the imports of a whole notebook (or file) make, in cell order; later imports win."""

    bindings: dict[str, str] = field(default_factory=dict)
    #: the strings a Keras ``compile(metrics=[...])`` names anywhere in the notebook (they name ``history`` keys)
    compiled_metrics: set[str] = field(default_factory=set)
    #: cell text -> its ``parse_masked`` result, kept by ``add_cell`` for the lifting to take once (``take_parsed``):
    #: the lifting marks the nodes it rewrites, so a tree is never handed out twice
    parsed: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_cells(cls, cells: Iterable[str]) -> "NotebookContext":
        context = cls()
        for source in cells:
            context.add_cell(source)
        return context

    def add_cell(self, source: str) -> None:
        first = parse_masked(source)
        if first[1] is not None:
            self.parsed[source] = first
        parsed = python3_parse(source, first)
        if parsed is not None:
            self.add_tree(parsed[1], source)

    def take_parsed(self, source: str):
        """``parse_masked(source)``, from ``add_cell`` when it read that text and nobody took it yet."""
        return self.parsed.pop(source, None) or parse_masked(source)

    def add_tree(self, tree: ast.Module, source: str | None = None) -> None:
        if source is None or "compile" in source:  # walking every cell for a rare call would cost every cell
            self.compiled_metrics |= compiled_metrics(tree)
        # Imports at the top level and in top-level blocks (try/if/with): where notebooks import.
        # Imports inside functions bind only there, and the cell's own analysis sees those.
        stack = list(tree.body)
        while stack:
            node = stack.pop(0)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name, qualname, _ in import_bindings(node):
                    self.bindings[name] = qualname
            elif isinstance(node, (ast.If, ast.Try, ast.With)) or type(node).__name__ == "TryStar":
                for part in ("body", "orelse", "finalbody"):
                    stack[:0] = getattr(node, part, [])
                for handler in getattr(node, "handlers", []):
                    stack[:0] = handler.body

    @property
    def touches_tensorflow(self) -> bool:
        return any(is_tf(q) for q in self.bindings.values())

    def root_alias(self) -> str | None:
        """A name bound to the ``tensorflow`` module itself, ``tf`` preferred."""
        names = [n for n, q in self.bindings.items() if q == TF]
        if "tf" in names:
            return "tf"
        return names[0] if names else None


def parse_quietly(source: str) -> ast.Module | None:
    parsed = python3_parse(source)
    return parsed[1] if parsed is not None else None


def python3_parse(source: str, first=None) -> tuple[str, ast.Module] | None:
    """(the text, its masked syntax tree) for a cell that parses, or for its Python 2 fix (``print x``) when only
    that parses; None when neither does or the cell is not Python. ``first``: ``parse_masked(source)``, if done."""
    masked, tree = first if first is not None else parse_masked(source)
    if tree is not None:
        return source, tree
    if masked.skip_reason:
        return None
    from .py2 import python2_edits
    from .edits import apply_edits

    edits = python2_edits(source)
    if not edits:
        return None
    fixed = apply_edits(source, [(e.start, e.end, e.replacement) for e in edits])
    _, tree = parse_masked(fixed)
    return (fixed, tree) if tree is not None else None
