"""Suite: Compare's overhead beyond running the two sides, with a warm reference kernel (budget ≤ 20%).

A TF1 training cell (a small regression trained for a few hundred steps) is compared with its migration
several times. ``CompareResult.timings`` splits each call into the original's and the migrated cell's own run
times and the rest (capture, transfer, diff); the overhead is the rest divided by the two runs.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from .measurement import Budget, Measurement

if TYPE_CHECKING:
    from .runner import BenchContext

LIMIT = 0.20
STEPS = 300

ORIGINAL = f"""
import numpy as np
import tensorflow as tf
xs = np.linspace(-1, 1, 64).astype("float32").reshape(-1, 1)
ys = 3 * xs + 0.5
x = tf.placeholder(tf.float32, [None, 1]); y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(tf.zeros([1, 1])); b = tf.Variable(tf.zeros([1]))
loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
sess = tf.Session(); sess.run(tf.global_variables_initializer())
for _ in range({STEPS}):
    sess.run(train, feed_dict={{x: xs, y: ys}})
w_value, b_value = sess.run([w, b])
"""

MIGRATED = f"""
import numpy as np
import tensorflow as tf
xs = np.linspace(-1, 1, 64).astype("float32").reshape(-1, 1)
ys = 3 * xs + 0.5
w = tf.Variable(tf.zeros([1, 1])); b = tf.Variable(tf.zeros([1]))
opt = tf.keras.optimizers.SGD(0.1)
for _ in range({STEPS}):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(xs, w) + b - ys))
    opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
w_value, b_value = w.numpy(), b.numpy()
"""


def run(context: BenchContext) -> list[Measurement]:
    from kernel_helpers.compare import compare, shutdown, warm_up

    runs = 2 if context.settings.quick else 7
    context.progress("starting the reference kernel for the Compare benchmark")
    warm_up()
    try:
        compare(ORIGINAL, MIGRATED)  # first call: TensorFlow and Keras warm up on both sides
        ratios, details = [], []
        for _ in range(runs):
            result = compare(ORIGINAL, MIGRATED)
            t = result.timings
            ratios.append(t["overhead"] / (t["original"] + t["migrated"]))
            details.append({k: t.get(k) for k in ("original", "migrated", "overhead", "total")} | {"ok": result.ok})
    finally:
        shutdown()
    return [Measurement("compare.overhead_ratio", f"Compare overhead beyond both sides ({STEPS}-step training cell)",
                        statistics.median(ratios) * 100, "%", Budget(LIMIT * 100), {"runs": details})]
