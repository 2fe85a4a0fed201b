"""Random alignment on the TF2 side (this process: TF2 + Keras 3).

The TF1 side is checked against these values in tests/compare (through the reference kernel).
"""

from __future__ import annotations

import numpy as np
import pytest

from kernel_helpers.runtime import random_alignment as ra

tf = pytest.importorskip("tensorflow")


def test_sample_is_deterministic_and_keyed_by_epoch_and_draw() -> None:
    a = ra.sample("normal", (3, 4), epoch=1, k=0)
    assert np.array_equal(a, ra.sample("normal", (3, 4), epoch=1, k=0))
    assert not np.array_equal(a, ra.sample("normal", (3, 4), epoch=1, k=1))
    assert not np.array_equal(a, ra.sample("normal", (3, 4), epoch=2, k=0))
    truncated = ra.sample("truncated_normal", (10000,), epoch=0, k=0)
    assert np.abs(truncated).max() <= 2.0 and truncated.std() < 0.95
    uniform = ra.sample("uniform", (10000,), epoch=0, k=0)
    assert 0.0 <= uniform.min() and uniform.max() < 1.0
    ints = ra.sample("integers", (1000,), epoch=0, k=0, low=3, high=7)
    assert set(np.unique(ints)) == {3, 4, 5, 6}


def test_aligned_ops_draw_from_the_sample() -> None:
    with ra.aligned(epoch=5):
        normal = tf.random.normal([2, 3], mean=1.0, stddev=0.5)
        uniform = tf.random.uniform([4], minval=-2.0, maxval=2.0)
        truncated = tf.random.truncated_normal([5], stddev=0.1)
        integers = tf.random.uniform([6], minval=0, maxval=10, dtype=tf.int32)
        assert ra.draws() == 4
    np.testing.assert_array_equal(normal.numpy(), (1.0 + 0.5 * ra.sample("normal", (2, 3), 5, 0)).astype(np.float32))
    np.testing.assert_array_equal(uniform.numpy(), (-2.0 + 4.0 * ra.sample("uniform", (4,), 5, 1)).astype(np.float32))
    np.testing.assert_array_equal(truncated.numpy(), (0.1 * ra.sample("truncated_normal", (5,), 5, 2)).astype(np.float32))
    assert integers.dtype == tf.int32 and integers.numpy().tolist() == ra.sample("integers", (6,), 5, 3, low=0, high=10).tolist()


def test_the_same_block_twice_gives_the_same_values() -> None:
    def build():
        layer = tf.keras.layers.Dense(4)
        layer.build((None, 3))
        variable = tf.Variable(tf.random.normal([3]))
        return layer.kernel.numpy(), variable.numpy()

    with ra.aligned(epoch=9):
        first = build()
    with ra.aligned(epoch=9):
        second = build()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    # Glorot uniform bounds of a (3, 4) kernel: sqrt(6 / 7)
    assert np.abs(first[0]).max() <= np.sqrt(6.0 / 7.0)


def test_keras_initializers_and_dropout_are_aligned() -> None:
    with ra.aligned(epoch=3):
        kernel = tf.keras.initializers.GlorotUniform()((5, 2))
        normal = tf.keras.initializers.RandomNormal(stddev=0.2)((3,))
        dropped = tf.keras.layers.Dropout(0.5)(tf.ones([8]), training=True)
        assert ra.draws() == 3
    limit = np.sqrt(6.0 / 7.0)
    np.testing.assert_allclose(kernel.numpy(), (-limit + 2 * limit * ra.sample("uniform", (5, 2), 3, 0)).astype(np.float32))
    np.testing.assert_allclose(normal.numpy(), (0.2 * ra.sample("normal", (3,), 3, 1)).astype(np.float32))
    keep = ra.sample("uniform", (8,), 3, 2) >= 0.5
    np.testing.assert_array_equal(dropped.numpy(), np.where(keep, 2.0, 0.0).astype(np.float32))


def test_outside_the_block_randomness_is_untouched() -> None:
    with ra.aligned(epoch=1):
        pass
    assert not ra.is_active() and not ra.installed()
    assert tf.random.normal.__name__ == "random_normal"
    a = tf.random.normal([4]).numpy()
    b = tf.random.normal([4]).numpy()
    assert not np.array_equal(a, b)


def test_functions_inside_tf_function_with_dynamic_shapes() -> None:
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def noisy(x):
        return x + tf.random.normal(tf.shape(x))

    with ra.aligned(epoch=2):
        out = noisy(tf.zeros([5])).numpy()
    np.testing.assert_allclose(out, ra.sample("normal", (5,), 2, 0).astype(np.float32))


def _keras_dropout():
    layer = tf.keras.layers.Dropout(0.5)
    return lambda x: layer(x, training=True)


@pytest.mark.parametrize("make_dropout", [lambda: lambda x: tf.nn.dropout(x, rate=0.5), _keras_dropout],
                         ids=["tf.nn.dropout", "keras-Dropout"])
def test_a_graph_dropout_mask_is_drawn_each_time_it_runs(make_dropout) -> None:
    # In a graph (here a tf.function; a TF1 session alike) the mask op is built once but must draw a new
    # mask at every run, in run order, as eager code does at every call.
    step = tf.function(make_dropout())
    with ra.aligned(epoch=4):
        first, second = step(tf.ones([8])).numpy(), step(tf.ones([8])).numpy()
        assert ra.draws() == 2
    for k, mask in enumerate((first, second)):
        keep = ra.sample("uniform", (8,), 4, k) >= 0.5
        np.testing.assert_array_equal(mask, np.where(keep, 2.0, 0.0).astype(np.float32))
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("positional", [False, True])
def test_a_graph_while_loop_runs_one_iteration_at_a_time(positional) -> None:
    """So the masks drawn in its steps come in step order; ``parallel_iterations`` may be given by position too."""
    seen = {}

    def record(*args, **kwargs):
        seen["args"], seen["kwargs"] = args, kwargs

    [sequential] = ra._sequential_while_loop(type("Module", (), {"while_loop": staticmethod(record)})).values()
    if positional:
        sequential("cond", "body", ["vars"], None, 32, True)
        assert seen["args"][4] == 1 and "parallel_iterations" not in seen["kwargs"]
    else:
        sequential("cond", "body", ["vars"], parallel_iterations=32)
        assert seen["kwargs"]["parallel_iterations"] == 1


NOTEBOOK_LAYER = """
class Net(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(2)

    def build(self, input_shape):
        super().build(input_shape)

    def call(self, x):
        return self.dense(x)
"""


def test_a_notebook_layer_draws_its_weights_with_the_key_of_the_cell_that_made_it() -> None:
    """The lifting makes a model function's Keras layer where TF1 built the graph; Keras builds it at the first
    call, a cell later: its Dense kernel (made in its __init__) is still drawn with the first cell's key, after
    that cell's own draws. A Keras layer made by itself draws where it is built."""
    namespace = {"__name__": "__main__", "tf": tf}
    exec(NOTEBOOK_LAYER, namespace)
    original_init = tf.keras.layers.Layer.__init__
    ra.install()
    ra.activate(True)
    try:
        ra.begin(4)
        tf.random.normal([3])  # epoch 4, draw 0
        net = namespace["Net"]()
        plain = tf.keras.layers.Dense(2)
        ra.begin(5)
        tf.random.normal([2])  # epoch 5, draw 0
        net(tf.ones([1, 3]))  # epoch 4, draw 1
        plain(tf.ones([1, 3]))  # epoch 5, draw 1
        assert ra.draws() == 2
        second = namespace["Net"]()
        second(tf.ones([1, 3]))  # made and built in epoch 5: draw 2
    finally:
        ra.activate(False)
        ra.uninstall()
    assert tf.keras.layers.Layer.__init__ is original_init
    limit = np.sqrt(6.0 / 5.0)

    def glorot(epoch, k):
        return (-limit + 2 * limit * ra.sample("uniform", (3, 2), epoch, k)).astype(np.float32)

    np.testing.assert_allclose(net.dense.kernel.numpy(), glorot(4, 1), rtol=1e-6)
    np.testing.assert_allclose(plain.kernel.numpy(), glorot(5, 1), rtol=1e-6)
    np.testing.assert_allclose(second.dense.kernel.numpy(), glorot(5, 2), rtol=1e-6)
