"""``tf.contrib.eager`` under an alias in an eager TF1 notebook (TFM105): its uses get TF 2 names, the alias goes.

TF1's eager notebooks bound the module once (``tfe = tf.contrib.eager`` or ``import tensorflow.contrib.eager as
tfe``) and used it in many cells. The alias line can only go once every use in the notebook has a TF 2
spelling, so this is a whole-notebook pass, written as lifting plans. A use it cannot write (``tfe.Network``,
the alias passed along or bound again) leaves the notebook to the per-cell passes, which report the contrib names.
"""

from __future__ import annotations

import ast

from ...api.curated import curated
from .model import CellPlan

QUALNAME = "tensorflow.contrib.eager"
CODE = "TFM105"
#: tfe.X whose TF 2 successor is a function of the notebook's own (name -> what it returns besides the value)
IMPLICIT = {"implicit_gradients": "pairs", "implicit_value_and_gradients": "value, pairs"}
#: the switch TFM104 then removes, as it does for ``tf.enable_eager_execution()``
SWITCH = "enable_eager_execution"


def contrib_eager_plans(cells, tf: str | None) -> list[CellPlan] | None:
    """Plans that write the notebook's ``tf.contrib.eager`` aliases out, or None when there are none or some use
    has no TF 2 spelling here."""
    if tf is None or not any("contrib" in cell.text and "eager" in cell.text for cell in cells):
        return None
    aliases = {}  # alias name -> (cell index, the statement that binds it)
    for cell in cells:
        for stmt in cell.tree.body if cell.tree is not None else ():
            name = _alias(cell, stmt)
            if name is not None:
                if name in aliases:
                    return None
                aliases[name] = (cell.index, stmt)
    if not aliases:
        return None
    plans = [CellPlan() for _ in cells]
    helpers: set[str] = set()
    for cell in cells:
        if cell.tree is None:
            if any(name in cell.text for name in aliases):
                return None
            continue
        if not _write_uses(cell, aliases, tf, plans[cell.index], helpers):
            return None
    taken = {node.id for cell in cells if cell.tree is not None for node in ast.walk(cell.tree)
             if isinstance(node, ast.Name)}
    if helpers & taken:
        return None
    # The helpers are defined once, where the first alias was; the other alias lines just go.
    definitions = "\n".join(_helper(helper, tf) for helper in sorted(helpers))
    for number, (name, (index, stmt)) in enumerate(aliases.items()):
        plan, cell = plans[index], cells[index]
        if number == 0 and definitions:
            plan.replace[id(stmt)] = definitions
        else:
            plan.delete.add(id(stmt))
        start, end = cell.span(stmt)
        plan.notes.append((CODE, start, end, f"`{name}` (`tf.contrib.eager`) goes: its uses are written with "
                                             "TF 2 names"))
    return plans


def _alias(cell, stmt: ast.stmt) -> str | None:
    """The name a top-level ``X = tf.contrib.eager`` or ``import tensorflow.contrib.eager as X`` binds."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        if any(ref.node is stmt.value and ref.qualname == QUALNAME for ref in cell.cell.refs):
            return stmt.targets[0].id
    if isinstance(stmt, (ast.Import, ast.ImportFrom)) and len(stmt.names) == 1:
        for ref in cell.cell.imports:
            if ref.node is stmt and len(ref.bindings) == 1 and ref.bindings[0][1] == QUALNAME:
                return ref.bindings[0][0]
    return None


def _write_uses(cell, aliases: dict, tf: str, plan: CellPlan, helpers: set[str]) -> bool:
    """Edits for every use of an alias in ``cell``; False when one has no TF 2 spelling."""
    bases: dict[int, ast.Attribute] = {}
    calls = {id(node.func): node for node in ast.walk(cell.tree) if isinstance(node, ast.Call)}
    for node in ast.walk(cell.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            bases[id(node.value)] = node
        elif isinstance(node, ast.arg) and node.arg in aliases \
                or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in aliases:
            return False
    for node in ast.walk(cell.tree):
        if not (isinstance(node, ast.Name) and node.id in aliases):
            continue
        binding = aliases[node.id][1]
        if isinstance(node.ctx, ast.Store) and isinstance(binding, ast.Assign) and node is binding.targets[0]:
            continue
        if not isinstance(node.ctx, ast.Load) or id(node) not in bases:
            return False
        attribute = bases[id(node)]
        text = _successor(attribute.attr, calls.get(id(attribute)), tf, helpers)
        if text is None:
            return False
        start, end = cell.span(attribute)
        plan.edits.append((start, end, text))
        plan.notes.append((CODE, start, end, f"`{cell.segment(attribute)}` is `{text}` in TF 2"))
    return True


def _successor(member: str, call: ast.Call | None, tf: str, helpers: set[str]) -> str | None:
    if member in IMPLICIT:
        helpers.add(member)
        return member
    if member == SWITCH:
        return f"{tf}.{SWITCH}"
    if member == "Iterator":
        # an eager dataset is iterable; its iterator has next() as tfe.Iterator had
        return "iter" if call is not None and len(call.args) == 1 and not call.keywords else None
    entry = curated().contrib(f"contrib.eager.{member}")
    if entry is None or entry.kind != "rename" or not (entry.target or "").startswith("tensorflow."):
        return None
    return tf + entry.target[len("tensorflow"):]


def _helper(name: str, tf: str) -> str:
    result = {"pairs": "list(zip(tape.gradient(value, variables), variables))",
              "value, pairs": "value, list(zip(tape.gradient(value, variables), variables))"}[IMPLICIT[name]]
    return "\n".join([
        f"def {name}(function):",
        f"    # tf.contrib.eager's {name}: the gradients of what `function` returns, with respect to the",
        "    # trainable variables it read, paired with them",
        "    def gradients(*args, **kwargs):",
        f"        with {tf}.GradientTape() as tape:",
        "            value = function(*args, **kwargs)",
        "        variables = tape.watched_variables()",
        f"        return {result}",
        "    return gradients",
    ])
