"""Run TF1 optimizers in a graph and their Keras 3 translations eagerly; print the largest differences.

Reads JSON ``[[tf1_constructor, keras_constructor, definitions], ...]`` (source text using ``tf``; the
definitions are the classes the Keras constructor needs) from argv[1]. Both see
the same initial values and the same gradient sequence, including small gradients where epsilons matter.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

W0 = np.array([0.5, -1.0, 2.0, 0.0], np.float32)
STEPS = 8


def coefficients(step):
    # Large and tiny gradients: a wrong epsilon or accumulator start shows on the tiny ones.
    return (np.array([1.0, -2.0, 0.5, 1e-4], np.float32) * (step + 1) * (1e-3 if step % 2 else 1.0))


def tf1(constructor):
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        w = v1.Variable(W0)
        c = v1.placeholder(tf.float32, [4])
        loss = tf.reduce_sum(c * w) + 0.5 * tf.reduce_sum(w * w)
        train = eval(constructor, {"tf": v1}).minimize(loss)
        out = []
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            for step in range(STEPS):
                session.run(train, {c: coefficients(step)})
                out.append(session.run(w))
    return np.array(out)


def tf2(constructor, definitions):
    namespace = {"tf": tf}
    exec(definitions, namespace)
    optimizer = eval(constructor, namespace)
    w = tf.Variable(W0)
    out = []
    for step in range(STEPS):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(coefficients(step) * w) + 0.5 * tf.reduce_sum(w * w)
        optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
        out.append(w.numpy())
    return np.array(out)


def main():
    results = []
    for old, new, definitions in json.loads(sys.argv[1]):
        a, b = tf1(old), tf2(new, definitions)
        results.append({"tf1": old, "keras": new, "exact": bool(np.array_equal(a, b)),
                        "max_abs": float(np.abs(a - b).max()),
                        "max_rel": float((np.abs(a - b) / np.maximum(np.abs(a), 1e-6)).max())})
    print("@@RESULT@@" + json.dumps(results))


if __name__ == "__main__":
    main()
