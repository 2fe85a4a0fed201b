"""diff.py: tolerance rule, NaN/inf handling, shapes, one-sided names, printed numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kernel_helpers.compare.capture import Captured
from kernel_helpers.compare.diff import (
    PRINTED,
    Row,
    compare_arrays,
    compare_printed,
    compare_values,
)


def cap(name, value, kind="array", note=""):
    return Captured(name, None if value is None else np.asarray(value), kind, note)


def test_equal_values_pass_with_zero_error() -> None:
    row = compare_arrays("w", np.array([1.0, 2.0], np.float32), np.array([1.0, 2.0], np.float32))
    assert row == Row("w", (2,), "float32", 0.0, 0.0, True, "")


def test_tolerance_is_atol_plus_rtol_times_original() -> None:
    # |diff| = 1e-5 with |original| = 1 is within atol 1e-5 + rtol 1e-6.
    assert compare_arrays("a", np.array([1.0]), np.array([1.0 + 1e-5])).ok
    # Twice as far is not.
    row = compare_arrays("a", np.array([1.0]), np.array([1.0 + 2.2e-5]))
    assert not row.ok
    assert row.max_abs_err == pytest.approx(2.2e-5)
    assert row.max_rel_err == pytest.approx(2.2e-5)
    # Large values use the relative part: 1e6 * 1e-6 = 1 allowed.
    assert compare_arrays("big", np.array([1e6]), np.array([1e6 + 0.9])).ok
    assert not compare_arrays("big", np.array([1e6]), np.array([1e6 + 1.1])).ok


def test_custom_tolerances_are_used() -> None:
    assert compare_arrays("a", np.array([1.0]), np.array([1.04]), rtol=0.05, atol=0.0).ok
    assert not compare_arrays("a", np.array([1.0]), np.array([1.06]), rtol=0.05, atol=0.0).ok


def test_nan_and_inf() -> None:
    assert compare_arrays("n", np.array([np.nan, 1.0]), np.array([np.nan, 1.0])).ok
    one_sided = compare_arrays("n", np.array([np.nan, 1.0]), np.array([0.0, 1.0]))
    assert not one_sided.ok and math.isinf(one_sided.max_abs_err)
    assert compare_arrays("i", np.array([np.inf]), np.array([np.inf])).ok
    assert not compare_arrays("i", np.array([np.inf]), np.array([-np.inf])).ok
    assert not compare_arrays("i", np.array([np.inf]), np.array([1e300])).ok


def test_relative_error_against_zero() -> None:
    row = compare_arrays("z", np.array([0.0, 0.0]), np.array([0.0, 1e-7]))
    assert row.ok  # within atol
    assert math.isinf(row.max_rel_err)


def test_shape_mismatch_fails_unless_only_unit_axes_differ() -> None:
    row = compare_arrays("s", np.zeros((2, 3)), np.zeros((3, 2)))
    assert not row.ok and "shape" in row.note
    squeezed = compare_arrays("s", np.ones((1, 3)), np.ones(3))
    assert squeezed.ok and "shape (1, 3) vs (3,)" in squeezed.note


def test_dtype_difference_is_noted_but_values_decide() -> None:
    row = compare_arrays("d", np.array([1.5], np.float32), np.array([1.5], np.float64))
    assert row.ok and "dtype float32 vs float64" in row.note


def test_booleans_compare_exactly() -> None:
    assert compare_arrays("b", np.array([True, False]), np.array([True, False])).ok
    row = compare_arrays("b", np.array([True, False]), np.array([True, True]))
    assert not row.ok and "1 of 2 differ" in row.note


def test_integers() -> None:
    assert compare_arrays("k", np.array([3]), np.array([3])).ok
    assert not compare_arrays("k", np.array([3]), np.array([4])).ok


def test_compare_values_orders_and_handles_one_sided_names() -> None:
    original = {"w": cap("w", [1.0, 2.0]), "x": cap("x", None, "skipped", "it needs a placeholder"),
                "sess": cap("sess", None, "skipped")}
    migrated = {"w": cap("w", [1.0, 2.5]), "x": cap("x", [4.0]), "extra": cap("extra", 1.0)}
    rows = compare_values(original, migrated)
    assert [row.name for row in rows] == ["w", "x", "extra"]
    assert not rows[0].ok and rows[0].max_abs_err == pytest.approx(0.5)
    assert rows[1].ok and rows[1].max_abs_err is None and "it needs a placeholder" in rows[1].note
    assert rows[2].ok and "only in the migrated cell" in rows[2].note


def test_compare_printed() -> None:
    assert compare_printed("", "no numbers here") is None
    same = compare_printed("loss 0.5\n", "tf.Tensor(0.5, shape=(), dtype=float32)\n")
    assert same.name == PRINTED and same.ok
    different = compare_printed("loss 0.5\n", "loss 0.6\n")
    assert not different.ok and different.max_abs_err == pytest.approx(0.1)
    count = compare_printed("1 2 3\n", "1 2\n")
    assert not count.ok and "3 numbers" in count.note
    graph_tensor = compare_printed('Tensor("add:0", shape=(2,), dtype=float32)\n', "[1. 2.]\n")
    assert graph_tensor.ok and "only the migrated cell printed numbers" in graph_tensor.note


def test_row_to_dict_is_json_safe() -> None:
    import json

    row = Row("r", (2, 3), "float32", math.inf, math.nan, False, "n")
    data = row.to_dict()
    assert data["shape"] == [2, 3] and data["max_abs_err"] == "inf" and data["max_rel_err"] == "nan"
    json.dumps(data, allow_nan=False)


def test_recomputed_tf1_tensors_do_not_fail_but_show_the_difference() -> None:
    original = {"loss": cap("loss", 0.25, kind="recomputed"), "w": cap("w", [1.0], kind="graph_variable")}
    migrated = {"loss": cap("loss", 0.30, kind="tensor"), "w": cap("w", [1.5], kind="variable")}
    loss, w = compare_values(original, migrated)
    assert loss.ok and loss.max_abs_err == pytest.approx(0.05) and "recomputed" in loss.note
    assert not w.ok
