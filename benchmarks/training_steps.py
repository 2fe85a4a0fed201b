"""Suite: how fast a lifted notebook trains, against TF1's ``session.run`` of the original.

One TF1 program (a 784-128-10 ``tf.layers`` MLP trained with Adam on batches of 100, fed through placeholders) runs
in three child processes, each timing its 300 steps one by one:

- ``tf1``: the original, with ``tf`` the TF1 API in graph mode (``tensorflow.compat.v1`` with v2 behaviour off and
  the legacy Keras its ``tf.layers`` need), as the reference runtime runs it;
- ``traced``: its migration at level tf2, whose train step is a ``tf.function`` (TFM102);
- ``eager``: the same migration with ``tf.config.run_functions_eagerly(True)``, the step run op by op, as it was
  before the steps were traced.

Reported: the median step of each after the first 20 (the first call traces), the traced step against TF1's and the
eager step against the traced one. ``tf_upgrade_v2``'s output is not timed: it keeps the placeholders and sessions,
which do not run under TF2's default behaviour at all.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from typing import TYPE_CHECKING

from .measurement import Measurement

if TYPE_CHECKING:
    from .runner import BenchContext

STEPS = 300
WARM_UP = 20

PROGRAM = f"""
import time
import numpy as np
import tensorflow as tf
rng = np.random.RandomState(0)
xs = rng.rand(10, 100, 784).astype(np.float32)
ys = np.eye(10, dtype=np.float32)[rng.randint(0, 10, (10, 100))]
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
hidden = tf.layers.dense(x, 128, activation=tf.nn.relu)
logits = tf.layers.dense(hidden, 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train = tf.train.AdamOptimizer(0.001).minimize(loss)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
times = []
for i in range({STEPS}):
    start = time.perf_counter()
    sess.run(train, feed_dict={{x: xs[i % 10], y: ys[i % 10]}})
    times.append(time.perf_counter() - start)
"""

TF1_IMPORT = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()"
EAGER = "import tensorflow as tf\ntf.config.run_functions_eagerly(True)"
REPORT = "\nimport json\nprint('@@TIMES@@' + json.dumps(times))\n"


def variants() -> dict[str, tuple[str, dict[str, str]]]:
    """name -> (program text, extra environment)."""
    from kernel_helpers import migrate

    migrated = migrate(PROGRAM, level="tf2").source
    if "@tf.function" not in migrated:
        raise RuntimeError("the migrated program's train step is not a tf.function")
    return {
        "tf1": (PROGRAM.replace("import tensorflow as tf", TF1_IMPORT), {"TF_USE_LEGACY_KERAS": "1"}),
        "traced": (migrated, {}),
        "eager": (migrated.replace("import tensorflow as tf", EAGER, 1), {}),
    }


def step_times(program: str, environment: dict[str, str], workdir) -> list[float]:
    path = workdir / "program.py"
    path.write_text(program + REPORT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    env.update(environment, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=600, env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("@@TIMES@@")]
    if not lines:
        raise RuntimeError(f"the program did not finish: {done.stderr[-2000:]}")
    return json.loads(lines[-1][len("@@TIMES@@"):])


def run(context: BenchContext) -> list[Measurement]:
    workdir = context.workdir / "training"
    workdir.mkdir(parents=True, exist_ok=True)
    medians, details = {}, {}
    for name, (program, environment) in variants().items():
        context.progress(f"training steps: {name}")
        times = step_times(program, environment, workdir)
        medians[name] = statistics.median(times[WARM_UP:]) * 1e3
        details[name] = {"first_step_ms": times[0] * 1e3, "median_ms": medians[name], "steps": len(times)}
    return [
        Measurement("training.tf1_step_ms", "TF1 session.run step (MLP, batch 100)", medians["tf1"], "ms",
                    details=details),
        Measurement("training.traced_step_ms", "lifted tf.function step", medians["traced"], "ms"),
        Measurement("training.eager_step_ms", "lifted step run eagerly", medians["eager"], "ms"),
        Measurement("training.traced_vs_tf1", "lifted tf.function step / TF1 step",
                    medians["traced"] / medians["tf1"], "x"),
        Measurement("training.eager_vs_traced", "eager step / tf.function step",
                    medians["eager"] / medians["traced"], "x"),
    ]
