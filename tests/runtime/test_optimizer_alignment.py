"""With optimizer alignment installed, Keras 3's Adam gives TF1's AdamOptimizer numbers to the bit; without it, not.

The reference is TF1's own optimizer in a graph (``tf.compat.v1.train.AdamOptimizer``, the fused ApplyAdam kernel),
fed the same gradients: large and tiny, for two variables, so that a power multiplied once per variable instead of
once per step would show.
"""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from kernel_helpers.runtime import optimizer_alignment  # noqa: E402

STEPS = 300
RNG = np.random.RandomState(0)
SCALES = RNG.uniform(0.01, 10, size=(STEPS, 1)).astype(np.float32)
GRADIENTS = [(RNG.normal(size=(STEPS, 7)).astype(np.float32) * SCALES),
             (RNG.normal(size=(STEPS, 3, 2)).astype(np.float32) * SCALES.reshape(STEPS, 1, 1))]
START = [np.linspace(-1, 1, 7, dtype=np.float32), np.ones((3, 2), np.float32)]
HYPER = {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}


def tf1_adam(**hyper) -> list[np.ndarray]:
    with tf.Graph().as_default():
        variables = [tf.compat.v1.Variable(start) for start in START]
        fed = [tf.compat.v1.placeholder(tf.float32, start.shape) for start in START]
        step = tf.compat.v1.train.AdamOptimizer(**hyper).apply_gradients(zip(fed, variables))
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            for i in range(STEPS):
                session.run(step, {f: g[i] for f, g in zip(fed, GRADIENTS)})
            return session.run(variables)


def keras_adam(**hyper) -> list[np.ndarray]:
    variables = [tf.Variable(start) for start in START]
    optimizer = tf.keras.optimizers.Adam(learning_rate=hyper["learning_rate"], beta_1=hyper["beta1"],
                                         beta_2=hyper["beta2"], epsilon=hyper["epsilon"])
    for i in range(STEPS):
        optimizer.apply_gradients([(tf.constant(g[i]), v) for g, v in zip(GRADIENTS, variables)])
    return [v.numpy() for v in variables]


@pytest.fixture()
def aligned():
    optimizer_alignment.install()
    try:
        yield
    finally:
        optimizer_alignment.uninstall()


@pytest.fixture(scope="module")
def reference():
    return tf1_adam(**HYPER)


def test_plain_keras_adam_drifts_from_tf1(reference):
    # What the alignment is for: without it, the same algorithm rounds differently.
    assert any(not np.array_equal(k, t) for k, t in zip(keras_adam(**HYPER), reference))


def test_aligned_keras_adam_is_bitwise_tf1(aligned, reference):
    for keras_values, tf1_values in zip(keras_adam(**HYPER), reference):
        np.testing.assert_array_equal(keras_values, tf1_values)


def test_aligned_with_other_hyperparameters(aligned):
    hyper = {"learning_rate": 0.003, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}
    for keras_values, tf1_values in zip(keras_adam(**hyper), tf1_adam(**hyper)):
        np.testing.assert_array_equal(keras_values, tf1_values)


def test_aligned_inside_tf_function(aligned, reference):
    variables = [tf.Variable(start) for start in START]
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-8)

    @tf.function
    def step(gradients):
        optimizer.apply_gradients(zip(gradients, variables))

    for i in range(STEPS):
        step([tf.constant(g[i]) for g in GRADIENTS])
    for variable, tf1_values in zip(variables, reference):
        np.testing.assert_array_equal(variable.numpy(), tf1_values)


def test_uninstall_restores_keras_adam(reference):
    adam = tf.keras.optimizers.Adam
    before = {name: adam.__dict__.get(name) for name in ("build", "update_step", "apply")}
    optimizer_alignment.install()
    assert optimizer_alignment.installed() and adam.__dict__["apply"] is not None
    optimizer_alignment.uninstall()
    assert not optimizer_alignment.installed()
    assert {name: adam.__dict__.get(name) for name in before} == before
    assert any(not np.array_equal(k, t) for k, t in zip(keras_adam(**HYPER), reference))


def test_amsgrad_keeps_keras_arithmetic(aligned):
    variable = tf.Variable([1.0, 2.0])
    optimizer = tf.keras.optimizers.Adam(0.1, amsgrad=True)
    optimizer.apply_gradients([(tf.constant([0.5, -0.5]), variable)])
    assert not hasattr(optimizer, "_tf2_migrate_tf1_beta_powers") or \
        optimizer._tf2_migrate_tf1_beta_powers is None
    np.testing.assert_allclose(variable.numpy(), [0.9, 2.1], rtol=1e-5)
