"""Whole-notebook rewrite of canned TF1 estimators (TFM6xx) into Keras models.

TF 2.16+ has no ``tf.estimator``, so a notebook built on ``tf.estimator.LinearRegressor``, ``LinearClassifier``,
``DNNClassifier`` or ``DNNRegressor`` cannot run at all. The estimator, its feature columns and input
functions live in different cells, so all code cells are read together:

- feature columns (TFM602) become ``tf.keras.Input``s where they are defined; the model encodes them with
  Keras preprocessing layers (``StringLookup``/``IntegerLookup``/``CategoryEncoding``/``Discretization``) and
  concatenates them sorted by column name, as TF1 did;
- ``numpy_input_fn``/``pandas_input_fn`` (TFM601) become ``tf.data`` datasets; a user ``input_fn`` returning a
  dataset is called;
- the estimator (TFM600) becomes a functional Keras model compiled with TF1's defaults written out (summed
  loss, Adagrad 0.05 / Ftrl 0.2, initializers), ``train(steps=N)`` becomes ``fit`` on ``.take(N)`` batches,
  ``evaluate`` returns the same dict keys, ``predict`` yields the same per-example dicts.

A custom ``model_fn`` (``tf.estimator.Estimator``) becomes a Keras model class with its own train and test
steps (``custom.py``); that is a proposal, so the whole rewrite is then an unsafe fix (TFM603).

Anything the rewrite cannot prove (embedding or crossed columns, hooks, a ``model_fn`` it cannot read, ...)
refuses the whole rewrite (TFM699, manual) on the cell that stops it, and every cell is left as it was. The
output cells then go through the per-cell tf2 passes.
"""

from __future__ import annotations

from ..context import NotebookContext
from ..finding import Applicability, Finding, Fix
from ..source import Source
from .model import Refused
from .scan import Rewriter, read_cells, render, triggers

GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_estimator"
MANUAL_CODE = "TFM699"

__all__ = ["GUIDE", "MANUAL_CODE", "estimators_to_keras"]


def estimators_to_keras(texts: list[str], context: NotebookContext | None = None
                        ) -> list[tuple[str, tuple[Finding, ...]]] | None:
    """For each code cell, (new text, findings with ranges in the original text); None without estimators."""
    texts = list(texts)
    context = context if context is not None else NotebookContext.from_cells(texts)
    cells = read_cells(texts, context)
    if not triggers(cells):
        return None
    names = _names()
    try:
        rewriter = Rewriter(cells, context)
        rewriter.run()
        rendered = [render(cell) for cell in cells]
    except Refused as refusal:
        return _refused(cells, refusal, names)
    # A custom model_fn's Keras model is a proposal: the whole rewrite is then one unsafe fix.
    safety = Applicability.UNSAFE if rewriter.custom_models else Applicability.SAFE
    return [(text, _findings(cell, names, safety)) for cell, text in zip(cells, rendered)]


def _names() -> dict[str, str]:
    from ..registry import all_rules

    return {rule.code: rule.name for rule in all_rules()}


def _findings(cell, names, safety: Applicability) -> tuple[Finding, ...]:
    source = Source(cell.text)
    notes = sorted(set(cell.notes), key=lambda n: (n[1], n[2], n[0]))
    return tuple(Finding(code, names.get(code, code), message, source.range(start, end), safety,
                         Fix(()), GUIDE) for code, start, end, message in notes)


def _refused(cells, refusal: Refused, names) -> list[tuple[str, tuple[Finding, ...]]]:
    blamed = refusal.cell
    if blamed is None:
        blamed = next((c.index for c in cells if c.refs is not None and any(
            r.api.startswith("estimator.") for r in c.refs.refs)), 0)
    out = []
    for cell in cells:
        if cell.index != blamed:
            out.append((cell.text, ()))
            continue
        source = Source(cell.text)
        if refusal.node is not None and hasattr(refusal.node, "lineno"):
            start, end = cell.span(refusal.node)
        else:
            start, end = 0, len(cell.text.rstrip())
        message = "the estimators were not rewritten to Keras: " + refusal.reason
        finding = Finding(MANUAL_CODE, names.get(MANUAL_CODE, MANUAL_CODE), message, source.range(start, end),
                          Applicability.MANUAL, None, GUIDE)
        out.append((cell.text, (finding,)))
    return out
