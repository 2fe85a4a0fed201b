"""Numeric comparison of captured values, one :class:`Row` per name.

A value passes when every element satisfies ``|migrated - original| <= atol + rtol * |original|``
(numpy's ``allclose`` rule with the original as the reference), NaNs count as equal when both
sides have them at the same place, and infinities must match exactly.  The TF2 migration guide
validates with rtol 1e-6 and atol 1e-5, hence the defaults.

A TF1 graph tensor that reads variables is recomputed after the cell (kind ``"recomputed"``);
after training steps that is not the value the eager side last computed, so a difference there
is shown but not counted as a failure.  Variables and fetched values are always compared.

Names that have a value on one side only are listed with ``ok=True`` and a note: migrated code
legitimately drops TF1 plumbing (placeholders, sessions, initializer ops) or binds new names,
and a real difference shows up in the values that both sides compute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .capture import Captured, numbers_in

__all__ = ["PRINTED", "Row", "compare_arrays", "compare_printed", "compare_values"]

#: Row name used for the numbers printed by the cell.
PRINTED = "<printed>"


@dataclass(frozen=True)
class Row:
    name: str
    shape: tuple | None
    dtype: str | None
    max_abs_err: float | None
    max_rel_err: float | None
    ok: bool
    note: str = ""

    def to_dict(self) -> dict:
        """JSON-safe: tuples become lists, non-finite errors become the strings "inf"/"nan"."""
        return {
            "name": self.name,
            "shape": list(self.shape) if self.shape is not None else None,
            "dtype": self.dtype,
            "max_abs_err": _json_float(self.max_abs_err),
            "max_rel_err": _json_float(self.max_rel_err),
            "ok": self.ok,
            "note": self.note,
        }


def _json_float(value: float | None) -> float | str | None:
    if value is None:
        return None
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return float(value)


def compare_values(original: Mapping[str, Captured], migrated: Mapping[str, Captured], *,
                   rtol: float = 1e-6, atol: float = 1e-5) -> list[Row]:
    """One row per name with a value on at least one side, in the original's order."""
    names = list(original) + [name for name in migrated if name not in original]
    rows: list[Row] = []
    for name in names:
        before, after = original.get(name), migrated.get(name)
        before_value = before.value if before is not None else None
        after_value = after.value if after is not None else None
        if before_value is None and after_value is None:
            continue
        if before_value is None or after_value is None:
            rows.append(_one_sided(name, before, after))
            continue
        row = compare_arrays(name, before_value, after_value, rtol=rtol, atol=atol)
        if not row.ok and before.kind == "recomputed":
            # e.g. a TF1 loss tensor read after the training loop vs the eager loss of the last
            # step: different moments, so a difference is not evidence of a wrong migration.
            why = "not counted: the TF1 tensor was recomputed after the cell from the variables' final values"
            row = Row(row.name, row.shape, row.dtype, row.max_abs_err, row.max_rel_err, True,
                      "; ".join(filter(None, [row.note, why])))
        rows.append(row)
    return rows


def _one_sided(name: str, before: Captured | None, after: Captured | None) -> Row:
    present = before if before is not None and before.value is not None else after
    side = "original" if present is before else "migrated"
    other = after if present is before else before
    other_side = "migrated" if side == "original" else "original"
    if other is None or other.kind == "missing":
        why = f"not bound in the {other_side} cell"
    else:
        why = f"{other_side}: {other.note or other.kind}"
    value = present.value
    return Row(name, tuple(value.shape), str(value.dtype), None, None, True,
               f"only in the {side} cell, not compared ({why})")


def compare_arrays(name: str, original: np.ndarray, migrated: np.ndarray, *,
                   rtol: float = 1e-6, atol: float = 1e-5) -> Row:
    """Compare two arrays under the module's tolerance rule."""
    original = np.asarray(original)
    migrated = np.asarray(migrated)
    notes: list[str] = []
    if original.dtype != migrated.dtype:
        notes.append(f"dtype {original.dtype} vs {migrated.dtype}")
    if original.shape != migrated.shape:
        if original.size == migrated.size and np.squeeze(original).shape == np.squeeze(migrated).shape:
            # (1, 3) vs (3,): a kept batch axis, same values.
            notes.append(f"shape {original.shape} vs {migrated.shape}")
            migrated = migrated.reshape(original.shape)
        else:
            return Row(name, tuple(original.shape), str(original.dtype), None, None, False,
                       "; ".join(notes + [f"shape {original.shape} vs {migrated.shape}"]))
    if original.dtype.kind == "b" or migrated.dtype.kind == "b":
        return _compare_exact(name, original, migrated, notes)
    try:
        a = original.astype(np.complex128 if original.dtype.kind == "c" else np.float64)
        b = migrated.astype(np.complex128 if migrated.dtype.kind == "c" else np.float64)
    except (TypeError, ValueError):
        return Row(name, tuple(original.shape), str(original.dtype), None, None, False,
                   "; ".join(notes + ["values are not numeric"]))
    max_abs, max_rel, within = _errors(a, b, rtol, atol)
    return Row(name, tuple(original.shape), str(original.dtype), max_abs, max_rel, within, "; ".join(notes))


def _compare_exact(name: str, original: np.ndarray, migrated: np.ndarray, notes: list[str]) -> Row:
    differ = int(np.count_nonzero(original.astype(bool) != migrated.astype(bool)))
    if differ:
        notes.append(f"{differ} of {original.size} differ")
    error = 0.0 if not differ else 1.0
    return Row(name, tuple(original.shape), str(original.dtype), error, error, not differ, "; ".join(notes))


def _errors(original: np.ndarray, migrated: np.ndarray, rtol: float, atol: float) -> tuple[float, float, bool]:
    """(max abs error, max rel error, all within tolerance) with NaN/inf handled elementwise."""
    if original.size == 0:
        return 0.0, 0.0, True
    both_nan = np.isnan(original) & np.isnan(migrated)
    one_nan = np.isnan(original) ^ np.isnan(migrated)
    infinite = np.isinf(original) | np.isinf(migrated)
    inf_mismatch = infinite & ~(original == migrated)
    finite = ~(both_nan | one_nan | infinite)
    abs_err = np.zeros(original.shape, dtype=np.float64)
    rel_err = np.zeros(original.shape, dtype=np.float64)
    delta = np.abs(migrated[finite] - original[finite])
    scale = np.abs(original[finite])
    abs_err[finite] = delta
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_err[finite] = np.where(scale > 0, delta / np.where(scale > 0, scale, 1.0),
                                   np.where(delta > 0, np.inf, 0.0))
    abs_err[one_nan | inf_mismatch] = np.inf
    rel_err[one_nan | inf_mismatch] = np.inf
    within = bool(np.all(delta <= atol + rtol * scale)) and not bool(np.any(one_nan | inf_mismatch))
    return float(abs_err.max()), float(rel_err.max()), within


def compare_printed(original_stdout: str, migrated_stdout: str, *,
                    rtol: float = 1e-6, atol: float = 1e-5) -> Row | None:
    """A row for the numbers each side printed, or None when neither printed a number.

    Printed numbers are rounded to their printed digits, so the tolerance also absorbs a
    difference in the last printed digit when the values are close.
    """
    before = numbers_in(original_stdout or "")
    after = numbers_in(migrated_stdout or "")
    if not before and not after:
        return None
    if not before or not after:
        # Typically a TF1 cell printing a graph tensor (a name and a shape, no values): there
        # is nothing to compare against, which is not a difference in results.
        side = "original" if before else "migrated"
        count = len(before or after)
        return Row(PRINTED, (count,), "float64", None, None, True,
                   f"only the {side} cell printed numbers ({count}), not compared")
    if len(before) != len(after):
        return Row(PRINTED, (len(before),), "float64", None, None, False,
                   f"the original printed {len(before)} numbers, the migrated cell {len(after)}")
    row = compare_arrays(PRINTED, np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64),
                         rtol=rtol, atol=atol)
    return row
