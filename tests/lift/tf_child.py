"""Run TF programs in a child process and print the values they bind, as JSON.

``python tf_child.py tf1 a.py b.py`` runs each file with ``import tensorflow`` giving the TF1 API in graph
mode (``tf.compat.v1`` with v2 behaviour disabled); ``tf2`` runs them eagerly on TF2 with Keras 3.
Each file runs in a fresh namespace and a fresh default graph; a file that starts with ``# aligned random
draws`` runs with ``kernel_helpers.runtime.random_alignment`` active, so both sides draw the same numbers.
"""

import builtins
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if sys.argv[1:2] == ["tf1"]:
    # tf.layers (tf.compat.v1.layers) exists only with the legacy Keras, chosen before TensorFlow is imported.
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np  # noqa: E402
import tensorflow  # noqa: E402


def tf1_builtins():
    from kernel_helpers.runtime.activation import _install_contrib, _repair_tf_slim_imports

    v1 = tensorflow.compat.v1
    v1.disable_v2_behavior()
    # tf.contrib (slim, layers) as the reference runtime gives it: forwarded to tf_slim and core TensorFlow.
    _repair_tf_slim_imports()
    _install_contrib(tensorflow, v1, tensorflow.compat.v2)
    real_import = builtins.__import__

    def tf1_import(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "tensorflow" and not fromlist and level == 0:
            return v1
        return real_import(name, globals, locals, fromlist, level)

    namespace = dict(vars(builtins))
    namespace["__import__"] = tf1_import
    return namespace


def plain(value):
    if isinstance(value, (bool, int, float, np.generic)):
        return float(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value.astype(float).tolist()
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (int, float, np.generic, np.ndarray))
                                                          for v in value):
        return [plain(v) for v in value]
    return None


def main():
    mode, paths = sys.argv[1], sys.argv[2:]
    bins = tf1_builtins() if mode == "tf1" else dict(vars(builtins))
    results = {}
    for path in paths:
        if mode == "tf1":
            tensorflow.compat.v1.reset_default_graph()
        namespace = {"__builtins__": bins, "__name__": "__main__"}
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        code = compile(text, path, "exec")
        try:
            if text.startswith("# aligned random draws\n"):
                from kernel_helpers.runtime import random_alignment

                with random_alignment.aligned(0):
                    exec(code, namespace)
            else:
                exec(code, namespace)
            values = {k: plain(v) for k, v in namespace.items() if not k.startswith("__")}
            results[path] = {"values": {k: v for k, v in values.items() if v is not None}}
        except Exception as error:  # reported to the test, which shows it
            results[path] = {"error": f"{type(error).__name__}: {error}"}
    print("@@RESULT@@" + json.dumps(results))


if __name__ == "__main__":
    main()
