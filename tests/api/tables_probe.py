"""Child-process half of test_tables: which dotted names fail a getattr walk from ``tensorflow``.

    python tables_probe.py < {"names": ["math.log", "compat.v1.placeholder", ...]}

Answers ``{"missing": [names whose walk raised]}``. The caller picks the Keras mode through
``TF_USE_LEGACY_KERAS``.
"""

import json
import sys
import warnings


def missing(names):
    import tensorflow as tf

    absent = []
    for name in names:
        obj = tf
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for part in name.split("."):
                    obj = getattr(obj, part)
        except Exception:
            absent.append(name)
    return absent


if __name__ == "__main__":
    json.dump({"missing": missing(json.load(sys.stdin)["names"])}, sys.stdout)
