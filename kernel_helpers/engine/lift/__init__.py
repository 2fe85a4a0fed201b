"""Whole-notebook lifting (TFM1xx): TF1 graphs and sessions become eager TF2 functions and calls.

A notebook builds its graph in some cells and runs it in others, so the lifting reads all code cells
together and returns one proposal per cell. Placeholders become parameters, tensors that depend on feeds,
variables or randomness become functions, ``sess.run``/``.eval``/``.run`` become calls (``.numpy()`` where
TF1 returned arrays), ``minimize`` becomes a ``tf.GradientTape`` train step with a numerically faithful
Keras optimizer, and sessions, initializers and ``reset_default_graph`` go away.

When the lifting cannot be proven safe the notebook is kept at level ``compat`` and the cell that stops it
gets a ``manual`` finding that says why. The per-cell passes then run on each cell as usual.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

from ..context import NotebookContext, parse_quietly, python3_parse
from ..finding import Applicability, Finding, Fix
from ..masking import mask_magics
from ..source import Source
from . import graphs, keras_targets
from .contrib_eager import contrib_eager_plans
from .layout import Layout
from .model import CellPlan, NotLiftable
from .scan import Lifter, read_cells, triggers

GUIDE_SESSIONS = "https://www.tensorflow.org/guide/migrate/tf1_vs_tf2"
FALLBACK_CODE = "TFM199"
GRAPH_MODE_CODE = "TFM103"
CUSTOM_ESTIMATOR_CODE = "TFM603"
#: the per-cell rules that announce what the lifting does to a graph (graph, session, train step)
LIFTING_NOTICES = frozenset({"TFM100", "TFM101", "TFM102"})
#: calls that already give a notebook its TF1 runtime
GRAPH_MODE_SWITCHES = {"disable_v2_behavior", "disable_eager_execution"}
#: what a kept graph that uses TF1 layers or RNN cells runs first: TF 2.16+ has them only in tf_keras
LEGACY_KERAS_LINES = 'import os\nos.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # TF1 layers live in tf_keras\n'


@dataclass(frozen=True)
class CellLift:
    original: str
    #: the cell after lifting (the original when nothing was lifted)
    source: str
    #: the level the per-cell passes run at: "graph" when the lifting was refused (compat, and the tf2 rules whose
    #: output also runs with TF1's runtime)
    level: str
    #: what the lifting did, with ranges in the original text
    findings: tuple[Finding, ...] = ()
    #: why the lifting was refused, on the cell that stopped it
    manual: tuple[Finding, ...] = ()
    #: for a refused graph: the call that gives it its TF1 runtime back, inserted after the TF import (TFM103)
    graph_mode: str | None = None
    #: for a refused graph using TF1 layers or RNN cells: the lines that select tf_keras, before the TF import
    legacy_keras: str | None = None
    #: the index of the original text the lifting built, which its analysis can reuse (None: not built)
    index: object = field(default=None, compare=False, repr=False)
    #: the lifting an unsafe fix proposes instead (a custom estimator's Keras model), used when unsafe fixes are on
    proposal: "CellLift | None" = None

    @property
    def lifted(self) -> bool:
        return self.source != self.original


def lift_notebook(cells: Sequence[str], context: NotebookContext | None = None) -> list[CellLift]:
    """One :class:`CellLift` per cell text, in order."""
    texts = list(cells)
    context = context if context is not None else NotebookContext.from_cells(texts)
    estimators = _estimators(texts, context)
    if estimators is not None:
        return estimators
    read = read_cells(texts, context)
    # A Python 2 cell is followed through its Python 3 fix; only those cells are read again.
    for i, cell in enumerate(read):
        fixed = python3_parse(cell.text) if cell.tree is None else None
        if fixed is not None and fixed[0] != cell.text:
            read[i] = replace(read_cells([fixed[0]], context)[0], index=i)
    python3 = [cell.text for cell in read]
    targets = keras_targets.target_placeholders(read)
    if not triggers(read, keras_targets.ignored_calls(targets)):
        plans = contrib_eager_plans(read, context.root_alias())
        if targets is not None:
            plans = _merged(plans, keras_targets.target_plans(read, targets))
        if plans is None:
            return [CellLift(t, t, "tf2") for t in texts]
        try:
            return _rendered(read, plans, texts)
        except NotLiftable:
            return [CellLift(t, t, "tf2") for t in texts]
    try:
        plans = _plans(read, context)
        results = _rendered(read, plans, texts)
        for index in _drop_unused_imports(read, plans, results):
            results[index] = _rendered([read[index]], [plans[index]], [texts[index]])[0]
        if triggers(read_cells([r.source for r in results], context)):
            raise NotLiftable("some graph code was left after lifting")
        return results
    except NotLiftable as refusal:
        if python3 != texts:
            # The fallback keeps the cells as written; a refusal found in a Python 2 cell points at its start.
            fixed = {i for i, (a, b) in enumerate(zip(texts, python3)) if a != b}
            if refusal.cell in fixed:
                refusal.node = None
            read = read_cells(texts, context)
        return _fallback(read, refusal)


def _plans(read, context) -> list[CellPlan]:
    """The lifting of the whole notebook; for a notebook it refuses that builds several graphs one after another,
    of each graph on its own (``graphs.py``)."""
    try:
        return Lifter(read, context).run()
    except NotLiftable as whole:
        try:
            segmented = graphs.lift_segments(Lifter, read, context)
        except NotLiftable as part:
            raise max(part, whole, key=_where) from None  # the reading that got further says why
        if segmented is None:
            raise
        return segmented


def _where(refusal: NotLiftable) -> tuple[int, int]:
    return (-1 if refusal.cell is None else refusal.cell, getattr(refusal.node, "lineno", 0))


def _merged(plans: list[CellPlan] | None, more: list[CellPlan]) -> list[CellPlan]:
    """Two whole-notebook passes' plans as one (they touch different statements)."""
    for plan, other in zip(plans or (), more):
        plan.replace.update(other.replace)
        plan.delete |= other.delete
        plan.edits += other.edits
        plan.notes += other.notes
    return plans or more


def _rendered(read, plans, texts: list[str]) -> list[CellLift]:
    results = []
    for cell, plan, original in zip(read, plans, texts):
        if plan.empty or cell.tree is None:
            results.append(CellLift(original, cell.text, "tf2", _findings(cell, plan)))
            continue
        new_text = Layout(cell.text, cell.source, cell.tree, plan, cell.index).render(cell.masked_spans)
        _check_result(new_text, cell.index)
        results.append(CellLift(original, new_text, "tf2", _findings(cell, plan),
                                index=cell.cell if cell.text == original else None))
    return results


def _drop_unused_imports(read, plans, results) -> set[int]:
    """A TensorFlow submodule import (``from tensorflow.contrib import rnn``) whose every use the lifting rewrote
    goes: left alone it would stay a ``tf.compat.v1`` (or ``tf_slim``) import that nothing reads. Whether a name is
    still read is judged on the words of the lifted cells, so a mention anywhere keeps the import."""
    import re

    changed: set[int] = set()
    used = None
    for cell in read:
        if cell.cell is None or cell.tree is None:
            continue
        for ref in cell.cell.imports:
            if ref.node not in cell.tree.body or len(ref.bindings) != 1:
                continue
            name, qualname, _ = ref.bindings[0]
            if not qualname.startswith("tensorflow."):
                continue
            if used is None:
                used = {r.base for other in read if other.cell is not None for r in other.cell.refs}
            if name not in used:
                continue  # never used: not the lifting's doing
            word = re.compile(rf"\b{re.escape(name)}\b")
            if any(word.search(r.source if i != cell.index else r.source.replace(cell.segment(ref.node), ""))
                   for i, r in enumerate(results)):
                continue
            plans[cell.index].delete.add(id(ref.node))
            plans[cell.index].notes.append(("TFM100", ref.start, ref.end, f"`{name}` is not used once the graph is "
                                                                          "lifted: its import goes"))
            changed.add(cell.index)
    return changed


def _estimators(texts: list[str], context: NotebookContext) -> list[CellLift] | None:
    """Canned estimators become Keras models (TFM6xx): the notebook's lifting when it has any, else None.

    A refused rewrite (TFM699) keeps every cell; it is reported on the cell that stopped it, and the per-cell
    passes then leave the estimator code to the person (TF 2.16+ has no ``tf.estimator`` to fall back to)."""
    from ..estimators import MANUAL_CODE, estimators_to_keras

    if not any("estimator" in text for text in texts):
        return None  # every way of reaching tf.estimator spells it; the rewrite's own reading is not free
    rewritten = estimators_to_keras(texts, context)
    if rewritten is None:
        return None
    lifts = []
    for text, (new_text, findings) in zip(texts, rewritten):
        manual = tuple(f for f in findings if f.code == MANUAL_CODE)
        lifts.append(CellLift(text, new_text, "tf2", tuple(f for f in findings if f.code != MANUAL_CODE), manual))
    if not any(f.applicability is Applicability.UNSAFE for lift in lifts for f in lift.findings):
        return lifts
    # A proposal (a custom model_fn's Keras model): the cells stay as written unless unsafe fixes are asked for,
    # and the model_fn's cell says what is on offer.
    return [CellLift(lift.original, lift.original, "tf2", (), _offered(lift), proposal=lift) for lift in lifts]


def _offered(proposal: CellLift) -> tuple[Finding, ...]:
    """The unsafe finding that stands for a whole-notebook proposal, on the cell defining the custom model."""
    from ..finding import Edit

    defining = [f for f in proposal.findings if f.code == CUSTOM_ESTIMATOR_CODE and "Keras model `" in f.message]
    return tuple(replace(f, message=f"{f.message}. It rewrites the estimator's cells together; turn on unsafe fixes "
                                    "to apply it", fix=Fix((Edit(0, len(proposal.original), proposal.source),)))
                 for f in defining)


def migrate_lifted(lift: CellLift, *, unsafe: bool = False, context: NotebookContext | None = None,
                   ignore: frozenset[str] = frozenset()):
    """The per-cell migration of a lifted cell, with the lifting's findings in front."""
    from ..api import migrate_cell

    if unsafe and lift.proposal is not None:
        lift = lift.proposal
    offered = lift.proposal is not None
    if GRAPH_MODE_CODE in ignore and lift.graph_mode is not None:
        lift = replace(lift, graph_mode=None, legacy_keras=None, findings=())
    # The index the lifting built of the text it kept spares the first pass a parse.
    prebuilt = lift.index if lift.source == lift.original else None
    per_cell = migrate_cell(lift.source, level=lift.level, unsafe=unsafe, context=context, ignore=ignore,
                            prebuilt=prebuilt)
    if offered:
        # The estimator's graph is offered as a Keras model, not lifted: the per-cell notices that announce the
        # lifting (`minimize` becomes a train step, ...) would describe something that does not happen.
        per_cell = replace(per_cell, findings=_without_lifting_notices(per_cell.findings),
                           remaining=_without_lifting_notices(per_cell.remaining))
    if lift.graph_mode is not None:
        found = _tensorflow_import(per_cell.source, per_cell.tree)
        if found is not None:
            text = _insert_line(per_cell.source, found[0], lift.graph_mode)
            if lift.legacy_keras is not None:
                text = text[:found[2]] + lift.legacy_keras + text[found[2]:]
            per_cell = replace(per_cell, source=text)
    if not lift.findings and not lift.manual:
        # A cell the lifting rewrote is changed against the text it had, even if no finding says how.
        return per_cell if lift.source == lift.original else replace(per_cell, original=lift.original)
    notes = per_cell.notes
    if lift.manual and lift.manual[0].applicability is Applicability.MANUAL:
        notes = notes + ("kept at level compat: " + lift.manual[0].message,)
    in_cell = per_cell.findings
    if lift.lifted:
        # The per-cell passes ran on the lifted text; findings must point into the cell as written.
        from ..analysis import check_cell

        original = check_cell(lift.original, context, lift.level, prebuilt=lift.index).findings
        if any(f.code == "TFM000" for f in original):
            # A Python 2 cell, lifted from its Python 3 fix: its findings are those of its own migration.
            original = migrate_cell(lift.original, level=lift.level, unsafe=unsafe, context=context,
                                    ignore=ignore).findings
        in_cell = without_contradicted_compat_moves(original, lift.findings)
    return replace(per_cell, original=lift.original, level="tf2",
                   findings=lift.findings + lift.manual + in_cell,
                   applied=lift.findings + per_cell.applied,
                   remaining=per_cell.remaining + lift.manual, notes=notes)


def _without_lifting_notices(findings) -> tuple[Finding, ...]:
    return tuple(f for f in findings if f.code not in LIFTING_NOTICES)


def without_contradicted_compat_moves(findings, lifting) -> tuple[Finding, ...]:
    """Per-cell findings of a lifted cell, less the tf.compat.v1 moves (TFM005) of code the lifting rewrites:
    a placeholder it turns into a parameter is not also to become ``tf.compat.v1.placeholder``."""
    spans = [(f.range.start, f.range.end) for f in lifting]
    return tuple(f for f in findings if f.code != "TFM005"
                 or not any(f.range.start < end and start < f.range.end for start, end in spans))


def _check_result(text: str, cell: int) -> None:
    masked = mask_magics(text)
    try:
        ast.parse(masked.text)
    except (SyntaxError, ValueError):
        raise NotLiftable("the lifted cell would not parse (a bug in the lifting)", cell) from None


def _names() -> dict[str, str]:
    from ..registry import all_rules

    return {rule.code: rule.name for rule in all_rules()}


def _findings(cell, plan) -> tuple[Finding, ...]:
    names = _names()
    source = Source(cell.text)
    return tuple(Finding(code, names.get(code, code), message, source.range(start, end), Applicability.SAFE,
                         Fix(()), GUIDE_SESSIONS) for code, start, end, message in plan.notes)


def _fallback(read, refusal: NotLiftable) -> list[CellLift]:
    names = _names()
    blamed = refusal.cell
    if blamed is None:
        blamed = next((c.index for c in read if c.api), 0)
    graph_mode = _graph_mode_switch(read)
    legacy = _legacy_keras_use(read) if graph_mode is not None else None
    results = []
    for cell in read:
        if graph_mode is not None and cell.index == graph_mode[0]:
            results.append(_with_graph_mode(cell, graph_mode, names, blamed == cell.index and refusal, legacy))
            continue
        touches = cell.cell is not None and cell.cell.touches_tensorflow
        manual: tuple[Finding, ...] = ()
        if cell.index == blamed:
            manual = (_refusal_finding(cell, refusal, names),)
        results.append(CellLift(cell.text, cell.text, "graph" if touches or manual else "tf2", (), manual,
                                index=cell.cell))
    return results


def _graph_mode_switch(read) -> tuple[int, int, str] | None:
    """Where the kept TF1 graph gets its TF1 runtime back: (cell, offset, line to insert), or None.

    Compat output still builds a graph with placeholders and sessions, which eager TF2 rejects
    (``tf.compat.v1.placeholder`` raises). ``disable_v2_behavior()`` right after the TensorFlow import makes
    it run as TF1 did (graph mode, reference variables, v1 shapes), like the reference runtime."""
    if any(api in GRAPH_MODE_SWITCHES for cell in read for api in cell.api.values()):
        return None
    for cell in read:
        found = _tensorflow_import(cell.text, cell.tree)
        if found is not None:
            return cell.index, *found
    return None


def _tensorflow_import(text: str, tree: ast.Module | None = None) -> tuple[int, str, int] | None:
    """(offset just past the cell's first ``import tensorflow``, the switch call for its alias, offset of the
    import's first line), or None."""
    tree = tree if tree is not None else parse_quietly(text)
    if tree is None:
        return None
    for stmt in tree.body:
        if not isinstance(stmt, ast.Import):
            continue
        for alias in stmt.names:
            module = alias.name
            if module not in ("tensorflow", "tensorflow.compat.v1") or (module != "tensorflow"
                                                                         and alias.asname is None):
                continue
            bound = alias.asname or "tensorflow"
            call = f"{bound}.disable_v2_behavior()" if module != "tensorflow" else \
                f"{bound}.compat.v1.disable_v2_behavior()"
            return _line_end(text, stmt.end_lineno), call, _line_end(text, stmt.lineno - 1)
    return None


def _insert_line(text: str, offset: int, line: str) -> str:
    before = text[:offset]
    separator = "" if before.endswith("\n") or not before else "\n"
    return before + separator + line + "\n" + text[offset:]


def _line_end(text: str, line: int) -> int:
    """The offset just past line ``line`` (1-based), newline included."""
    offset = 0
    for _ in range(line):
        newline = text.find("\n", offset)
        if newline < 0:
            return len(text)
        offset = newline + 1
    return offset


def _with_graph_mode(cell, switch, names, refusal, legacy: str | None) -> CellLift:
    _, offset, call, _ = switch
    before = cell.text[:offset]
    source = Source(cell.text)
    line_start = before.rstrip("\n").rfind("\n") + 1
    message = (f"the graph was not lifted, so `{call}` gives it its TF1 runtime back: eager TF2 rejects "
               "placeholders and sessions")
    if legacy is not None:
        message += (f"; and `TF_USE_LEGACY_KERAS=1` is set before the import, because `{legacy}` exists only in "
                    "tf_keras under TF 2.16+ (pip install tf-keras)")
    finding = Finding(GRAPH_MODE_CODE, names.get(GRAPH_MODE_CODE, GRAPH_MODE_CODE), message,
                      source.range(line_start, len(before.rstrip("\n"))), Applicability.SAFE, Fix(()),
                      GUIDE_SESSIONS)
    manual = (_refusal_finding(cell, refusal, names),) if refusal else ()
    # The lines go into the migrated text (migrate_lifted): the per-cell passes then run on the cell as
    # written, so their findings point into it without a second analysis.
    return CellLift(cell.text, cell.text, "graph", (finding,), manual, graph_mode=call,
                    legacy_keras=LEGACY_KERAS_LINES if legacy is not None else None, index=cell.cell)


def _legacy_keras_use(read) -> str | None:
    """A TF1 API the kept graph uses that TF 2.16+ serves only from tf_keras (``tf.layers.dense``,
    ``tf.nn.rnn_cell.LSTMCell``), or None; None too when the notebook already chooses its Keras."""
    if any("TF_USE_LEGACY_KERAS" in cell.text for cell in read):
        return None
    for cell in read:
        for ref in cell.cell.refs if cell.cell is not None else ():
            if ref.namespace in ("v1", "compat.v1") and _needs_legacy_keras(ref.api):
                return f"tf.{ref.api}"
    return None


@lru_cache(maxsize=4096)
def _needs_legacy_keras(api: str) -> bool:
    """Whether TF 2.16+ serves a TF1 API (or the module it is in) only from tf_keras; asked for every reference of
    a kept graph, so the answers are kept."""
    from ...api.curated import curated
    from ...api.tables import tables

    entry = curated().contrib(api) if api.split(".", 1)[0] == "contrib" else None
    return entry is not None and entry.legacy_keras or tables().under_legacy_keras(api)


def _refusal_finding(cell, refusal: NotLiftable, names) -> Finding:
    start, end = (cell.span(refusal.node) if refusal.node is not None and cell.tree is not None else (0, 0))
    message = (f"Not lifted to eager TF2: {refusal.reason}. The notebook stays at level compat; "
               "lift this graph by hand.")
    return Finding(FALLBACK_CODE, names.get(FALLBACK_CODE, FALLBACK_CODE), message, Source(cell.text).range(start, end),
                   Applicability.MANUAL, None, GUIDE_SESSIONS)


__all__ = ["CellLift", "lift_notebook", "migrate_lifted", "NotLiftable", "without_contradicted_compat_moves"]
