"""capture.py: which names a cell binds, converting values, the capture file, printed numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kernel_helpers.compare.capture import (
    Captured,
    bound_names,
    capture_code,
    capture_values,
    load_capture,
    load_meta,
    numbers_in,
    write_capture,
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("a = 1\nb, (c, *d) = f()\n", ["a", "b", "c", "d"], id="unpacking"),
        pytest.param("x = 1\nx += 2\ny: int = 3\nz: int\n", ["x", "y"], id="augmented-and-annotated"),
        pytest.param("import numpy as np\nfrom os import path\nnp = 1\n", ["np"], id="import-then-value"),
        pytest.param("v = 1\nimport v\n", [], id="value-then-import"),
        pytest.param("def f():\n    inner = 1\nclass C:\n    attr = 2\nr = f()\n", ["r"], id="no-function-bodies"),
        pytest.param("for i in range(3):\n    acc = i\nwith open('f') as fh:\n    data = 1\n",
                     ["i", "acc", "fh", "data"], id="compound-statements"),
        pytest.param("if True:\n    a = 1\nelse:\n    b = 2\ntry:\n    c = 3\nexcept E:\n    d = 4\n",
                     ["a", "b", "c", "d"], id="branches"),
        pytest.param("_private = 1\n__dunder = 2\npublic = 3\n", ["public"], id="private-names"),
        pytest.param("obj.attr = 1\nitems[0] = 2\n", [], id="attribute-targets"),
        pytest.param("squares = [k * k for k in range(3)]\nif (n := 10) > 5:\n    pass\n",
                     ["squares", "n"], id="comprehension-and-walrus"),
        pytest.param("%matplotlib inline\nfiles = !ls\nx = 1\n", ["files", "x"], id="magics-masked"),
        pytest.param("%%time\nloss = 0.5\n", ["loss"], id="python-cell-magic"),
        pytest.param("%%bash\necho hi\n", [], id="foreign-cell-magic"),
        pytest.param("print 'python 2'\n", [], id="syntax-error"),
        pytest.param("a = 1\nb = 2\na = 3\n", ["a", "b"], id="first-binding-order"),
    ],
)
def test_bound_names(source: str, expected: list[str]) -> None:
    assert bound_names(source) == expected


def test_capture_values_converts_numbers_arrays_and_sequences() -> None:
    namespace = {
        "n": 3,
        "f": 2.5,
        "flag": True,
        "arr": np.arange(6, dtype=np.float32).reshape(2, 3),
        "nums": [1.0, 2.0, 3.0],
        "ragged": [np.zeros(2), np.ones(3), None],
        "mapping": {"a": np.float32(1.5), "b": "text"},
        "text": "hello",
        "module": np,
        "function": len,
        "objects": np.array(["a", "b"]),
    }
    captured = capture_values(namespace, list(namespace) + ["missing"])
    assert captured["n"].value.item() == 3 and captured["n"].kind == "number"
    assert captured["f"].value.item() == 2.5
    assert captured["flag"].value.dtype == np.bool_
    assert captured["arr"].value.shape == (2, 3) and captured["arr"].value.dtype == np.float32
    assert captured["nums"].value.tolist() == [1.0, 2.0, 3.0]
    # sess.run([a, b]) results of different shapes are expanded element by element
    assert captured["ragged[0]"].value.shape == (2,)
    assert captured["ragged[1]"].value.shape == (3,)
    assert captured["ragged[2]"].value is None
    assert captured["mapping['a']"].value.item() == 1.5
    for name in ("text", "module", "function", "objects"):
        assert captured[name].value is None and captured[name].kind == "skipped", name
    assert captured["missing"].kind == "missing"


def test_capture_values_keeps_going_after_a_broken_value() -> None:
    class Broken:
        dtype = "float32"
        shape = (2,)

        def numpy(self):
            raise RuntimeError("device lost")

        def assign(self, value):  # looks like a variable
            raise AssertionError

    captured = capture_values({"bad": Broken(), "good": 1.0}, ["bad", "good"])
    assert captured["bad"].value is None
    assert "device lost" in captured["bad"].note
    assert captured["good"].value.item() == 1.0


def test_capture_values_reads_eager_tensors_and_variables() -> None:
    tf = pytest.importorskip("tensorflow")
    namespace = {
        "t": tf.constant([[1.0, 2.0]]),
        "v": tf.Variable([3, 4], dtype=tf.int64),
        "layer": tf.keras.layers.Dense(2),
    }
    captured = capture_values(namespace, ["t", "v", "layer"])
    assert captured["t"].kind == "tensor" and captured["t"].value.tolist() == [[1.0, 2.0]]
    assert captured["v"].kind == "variable" and captured["v"].value.dtype == np.int64
    assert captured["layer"].value is None


def test_write_and_load_capture_round_trip(tmp_path) -> None:
    path = str(tmp_path / "cap.npz")
    write_capture({"a": np.eye(2), "s": "text", "x": 7}, ["a", "s", "x", "gone"], path, meta={"elapsed": 0.5})
    loaded = load_capture(path)
    assert set(loaded) == {"a", "s", "x", "gone"}
    np.testing.assert_array_equal(loaded["a"].value, np.eye(2))
    assert loaded["x"].value.item() == 7
    assert loaded["s"] == Captured("s", None, "skipped", "text")
    assert load_meta(path) == {"elapsed": 0.5}
    sidecar = json.loads((tmp_path / "cap.npz.json").read_text())
    assert sidecar["a"]["shape"] == [2, 2] and sidecar["a"]["dtype"] == "float64"


def test_capture_code_runs_without_binding_names(tmp_path) -> None:
    path = str(tmp_path / "c.npz")
    namespace = {"__name__": "__main__", "w": np.ones(3), "k": 2}
    exec(capture_code(["w", "k"], path), namespace)  # noqa: S102
    assert set(namespace) == {"__name__", "w", "k", "__builtins__"}
    loaded = load_capture(path)
    assert loaded["w"].value.tolist() == [1.0, 1.0, 1.0]
    assert loaded["k"].value.item() == 2


def test_load_capture_of_missing_file_is_empty(tmp_path) -> None:
    assert load_capture(str(tmp_path / "nothing.npz")) == {}
    assert load_meta(str(tmp_path / "nothing.npz")) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("step 10: loss 0.25\n", [10.0, 0.25], id="plain"),
        pytest.param("[[1. 2.5]\n [-3e-05 4]]\n", [1.0, 2.5, -3e-05, 4.0], id="numpy-array"),
        pytest.param("tf.Tensor([1. 2.], shape=(2,), dtype=float32)\n", [1.0, 2.0], id="eager-tensor"),
        pytest.param('Tensor("add_1:0", shape=(2, 3), dtype=float32)\n', [], id="graph-tensor"),
        pytest.param("<tf.Variable 'dense/kernel:0' shape=(1,) dtype=float32, numpy=array([0.5], dtype=float32)>",
                     [0.5], id="variable"),
        pytest.param("conv2d_1 float32 x2 layer3.weight\n", [], id="numbers-inside-names"),
        pytest.param("hidden1/kernel:0 (2, 32)\nloss:0.5 b:1\n", [2.0, 32.0, 0.5], id="bare-variable-names"),
        pytest.param("loss nan, grad inf, -inf\nInformation\n", "nan-inf", id="non-finite"),
        pytest.param("Epoch 1/5 - 12ms/step - acc: 0.9\n", [1.0, 5.0, 0.9], id="keras-progress"),
    ],
)
def test_numbers_in(text: str, expected) -> None:
    found = numbers_in(text)
    if expected == "nan-inf":
        assert np.isnan(found[0]) and found[1:] == [np.inf, -np.inf]
    else:
        assert found == expected
