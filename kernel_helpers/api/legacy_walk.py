"""Subprocess half of the generator: read the TF1 names that only exist with legacy Keras.

``tf.compat.v1.layers``, ``tf.compat.v1.nn.rnn_cell`` and the TF1 Keras helpers are served by the
``tf_keras`` package, and only when ``TF_USE_LEGACY_KERAS=1`` is set before TensorFlow is imported.
The variable is read once per process, so the generator runs this module as a child process:

    TF_USE_LEGACY_KERAS=1 python -m kernel_helpers.api.legacy_walk < request.json > answer.json

The request is ``{"paths": [v1 names the main walk could not read]}``. The answer lists, for every
name found under those paths and under ``tf.compat.v1.keras``, its kind and its TF2 export names.
"""

from __future__ import annotations

import json
import os
import sys


def collect(paths: list[str]) -> dict:
    import tensorflow as tf

    from .exports import tf_v2_names
    from .walker import MODULE, ApiWalker, Symbol, kind_of, unwrap

    if not os.environ.get("TF_USE_LEGACY_KERAS"):
        raise RuntimeError("legacy_walk needs TF_USE_LEGACY_KERAS=1 set before TensorFlow is imported")
    walker = ApiWalker(os.path.join(os.path.dirname(tf.__file__), "_api"))
    found: dict[str, Symbol] = {}
    unreadable: list[str] = []
    for path in [*paths, "keras"]:
        try:
            obj = _resolve(tf.compat.v1, path)
        except Exception:
            unreadable.append(path)
            continue
        found[path] = Symbol(path, kind_of(obj), obj)
        if found[path].kind == MODULE:
            result = walker.walk(obj, path)
            found.update(result.symbols)
            unreadable.extend(result.unreadable)
    import tf_keras

    return {
        "tf_keras_version": tf_keras.__version__,
        "symbols": {
            name: {"kind": symbol.kind, "v2": sorted(tf_v2_names(unwrap(symbol.obj)))}
            for name, symbol in sorted(found.items())
        },
        "unreadable": sorted(set(unreadable)),
    }


def _resolve(root, dotted: str):
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def main() -> int:
    request = json.load(sys.stdin)
    json.dump(collect(request["paths"]), sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
