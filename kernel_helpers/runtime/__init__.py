"""The TF1 reference runtime: unmodified TF1 notebooks on TensorFlow 2.21.

``activate()`` must run before TensorFlow is imported in the process (Compare's reference kernel
does it first thing).  Submodules:

* :mod:`.activation` - ``activate()``: legacy Keras, v1 behaviour, ``import tensorflow`` -> v1 API;
* :mod:`.contrib` - ``tf.contrib`` forwarded to tf_slim / core TensorFlow, clear errors otherwise;
* :mod:`.datasets`, :mod:`.samples` - offline tutorial loaders and the bundled synthetic samples;
* :mod:`.random_alignment` - the k-th random draw gives the same values on both Compare sides;
* :mod:`.sessions` - reading graph values through the live (or last closed) session;
* :mod:`.cell_hooks` - the last cell's wall time and its random-alignment epoch.

Importing this package imports neither TensorFlow nor tf_keras.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["activate", "info", "is_active"]


def __getattr__(name):
    if name in __all__:
        return getattr(import_module("kernel_helpers.runtime.activation"), name)
    raise AttributeError(f"module 'kernel_helpers.runtime' has no attribute {name!r}")
