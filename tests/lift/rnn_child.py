"""Run RNN cases in a child process and print what they computed, as JSON.

``python rnn_child.py tf1 cases.json`` builds each case's TF1 cell and ``tf.nn.dynamic_rnn`` in a graph
(``tf.compat.v1`` with v2 behaviour disabled, legacy Keras cells); ``tf2`` execs the migrated definitions and
runs the migrated call eagerly on TF2 + Keras 3. Random draws are aligned on both sides
(``kernel_helpers.runtime.random_alignment``), so the cells start from the same weights when they draw them in
the same order and shape. Each case reports its first outputs and final state, the state's structure, the
number of random draws (weights and the first run's dropout masks), and the loss before each of 5 Adam steps and
after the last.

A case is ``{"cell": text, "run": text, "definitions": text (tf2), "layer": text (tf2), "epoch": int,
"lengths": bool}``; the texts see ``tf``, ``x`` (batch-major inputs), ``lengths``, ``cell`` and ``layer``.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if sys.argv[1:2] == ["tf1"]:
    # tf.compat.v1.nn.rnn_cell exists only with the legacy Keras, chosen before TensorFlow is imported.
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from kernel_helpers.runtime import random_alignment  # noqa: E402

X = np.random.RandomState(7).standard_normal((3, 5, 4)).astype(np.float32)
LENGTHS = np.array([5, 2, 4], np.int32)
STEPS = 5


def loss_of(outputs, state):
    # Reads every output and every part of the state, so every weight gets a gradient.
    loss = tf.reduce_mean(tf.square(outputs - 0.5))
    for part in tf.nest.flatten(state):
        loss += tf.reduce_mean(tf.square(part - 0.25))
    return loss


def describe(state):
    if hasattr(state, "_fields"):
        children = ",".join(describe(s) for s in state)
        return f"{type(state).__name__}[{','.join(state._fields)}]({children})"
    if isinstance(state, tuple):
        return "(" + ",".join(describe(s) for s in state) + ")"
    return "tensor" if hasattr(state, "shape") else type(state).__name__


def tf1(case):
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        namespace = {"tf": v1, "x": v1.constant(X), "lengths": v1.constant(LENGTHS)}
        if "tf_slim" in case["cell"]:
            import tf_slim  # what tf.contrib.layers forwards to in the reference runtime

            namespace["tf_slim"] = tf_slim
        # Runs are aligned too: a DropoutWrapper draws its masks when the graph runs, one draw per step and layer.
        with random_alignment.aligned(case["epoch"]), v1.Session() as session:
            namespace["cell"] = eval(case["cell"], namespace)
            outputs, state = eval(case["run"], namespace)
            loss = loss_of(outputs, state)
            train = v1.train.AdamOptimizer(0.01, epsilon=1e-8).minimize(loss)
            session.run(v1.global_variables_initializer())
            first_outputs, first_state = session.run([outputs, state])
            draws = random_alignment.draws()
            losses = []
            for _ in range(STEPS):
                # One run per step (the loss before the update), as the eager step computes the loss once.
                losses.append(session.run([train, loss])[1])
            losses.append(session.run(loss))
    return first_outputs, first_state, describe(state), draws, losses


def tf2(case):
    namespace = {"tf": tf, "x": tf.constant(X), "lengths": tf.constant(LENGTHS)}
    exec(case["definitions"], namespace)
    with random_alignment.aligned(case["epoch"]):
        namespace["cell"] = eval(case["cell"], namespace)
        namespace["layer"] = eval(case["layer"], namespace)
        first_outputs, first_state = eval(case["run"], namespace)  # the layer builds its weights here
        draws = random_alignment.draws()
        optimizer = tf.keras.optimizers.Adam(0.01, epsilon=1e-8)
        variables = namespace["layer"].trainable_variables
        losses = []
        for _ in range(STEPS):
            with tf.GradientTape() as tape:
                loss = loss_of(*eval(case["run"], namespace))
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            losses.append(loss.numpy())
        losses.append(loss_of(*eval(case["run"], namespace)).numpy())
    arrays = tf.nest.map_structure(lambda t: t.numpy(), first_state)
    return first_outputs.numpy(), arrays, describe(first_state), draws, losses


def main():
    mode, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as handle:
        cases = json.load(handle)
    run = tf1 if mode == "tf1" else tf2
    results = {}
    for name, case in cases.items():
        try:
            outputs, state, structure, draws, losses = run(case)
            results[name] = {"outputs": outputs.tolist(),
                             "state": [np.asarray(s).tolist() for s in tf.nest.flatten(state)],
                             "structure": structure, "draws": draws, "losses": [float(v) for v in losses]}
        except Exception as error:  # reported to the test, which shows it
            results[name] = {"error": f"{type(error).__name__}: {error}"}
    print("@@RESULT@@" + json.dumps(results))


if __name__ == "__main__":
    main()
