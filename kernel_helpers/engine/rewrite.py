"""Writing a reference to a new target, the way the cell itself names things.

``tf.log`` becomes ``tf.math.log`` under whatever alias the notebook gave TensorFlow; a name brought in by
``from tensorflow import nn`` keeps its short form where the target is still inside ``nn``; and a target
outside every bound name gets the notebook's root alias (or an ``import`` the fix adds).
"""

from __future__ import annotations

from functools import cache

from kernel_helpers.api import curated, tables

from .context import TF, is_tf
from .index import CellIndex, TfRef, split_api


def is_contrib(api: str) -> bool:
    return api == "contrib" or api.startswith("contrib.")


@cache  # a pure function of the name; the rules ask for the same few names on every keystroke
def v1_target(api: str) -> str | None:
    """The fully qualified TF2 home of a TF1 API name, or None when nothing is known for it.

    ``tf.contrib`` names come from the hand-curated successor map (tf_slim, Keras, core TF);
    everything else from the curated equivalences and the generated API tables.
    """
    if is_contrib(api):
        entry = curated().contrib(api)
        # a "manual" entry's target is advice (BatchNormalization for batch_norm), not a drop-in successor
        return entry.target if entry is not None and entry.kind in ("rename", "module") and entry.target else None
    target = _table_target(api)
    if target is None or target == api or target.startswith("compat."):
        return _qualify(target)
    # A TF 2 name that TF1 code would read as another function (saved_model.load_v2 -> saved_model.load, which is
    # TF1's loader with another signature) would be migrated again on the next run: keep the unambiguous name.
    if _table_target(target) not in (None, target):
        return _qualify(f"compat.v1.{api}")
    return _qualify(target)


def _qualify(target: str | None) -> str | None:
    if target is None:
        return None
    return f"{TF}.{target}" if target else TF


def _table_target(api: str) -> str | None:
    renamed = curated().rename(api)
    if renamed is not None:
        return renamed.target
    t = tables()
    target = t.v1_target(api)
    if target is None:
        prefix = t.longest_known_prefix(api)
        if prefix is None or prefix == api or t.v1_kind(prefix) == "module":
            return None  # a member a module does not have is unknown, not a rename of the module
        target = t.v1_target(prefix)
        if target is None:
            return None
        target = target + api[len(prefix):]
    return target


def imported_as(base_qual: str) -> str:
    """What an import binding will refer to once the import statement itself has been migrated."""
    if not is_tf(base_qual) or base_qual == TF:
        return base_qual
    namespace, api = split_api(base_qual)
    if namespace != "v1":
        return base_qual
    return v1_target(api) or base_qual


def spelled(cell: CellIndex, ref: TfRef, target: str) -> tuple[str, tuple[str, ...]]:
    """(text naming ``target`` in this cell, imports that text needs)."""
    bound = imported_as(ref.base_qual)
    if target == bound:
        return ref.base, ()
    if target.startswith(bound + "."):
        return ref.base + target[len(bound):], ()
    return qualified(cell, target)


def qualified(cell: CellIndex, target: str) -> tuple[str, tuple[str, ...]]:
    """``target`` spelled from a root alias: ``tf.compat.v1.x``, ``tf_slim.layers.conv2d``."""
    package, _, rest = target.partition(".")
    if package == TF:
        alias = cell.root_alias()
        imports: tuple[str, ...] = ()
        if alias is None:
            alias, imports = "tf", ("import tensorflow as tf",)
    else:
        alias = next((n for n, q in {**cell.context.bindings, **cell.cell_bindings}.items() if q == package), None)
        imports = ()
        if alias is None:
            alias, imports = package, (f"import {package}",)
    return (f"{alias}.{rest}" if rest else alias), imports
