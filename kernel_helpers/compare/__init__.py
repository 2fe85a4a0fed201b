"""Compare: run a TF1 cell and its migration side by side and compare what they compute.

``compare(original, migrated=None, *, rtol=1e-6, atol=1e-5, timeout=60) -> CompareResult`` runs the
original in the reference kernel (TF1 runtime) and the migrated code in this kernel (TF2,
Keras 3), with random draws aligned, and compares the values both cells bound and printed.
``reset()`` restarts the reference side; ``warm_up()`` starts it in the background.

Building blocks shared with the magics and ``tf2-migrate --verify``: :mod:`.capture`
(``bound_names``, ``capture_code``, ``load_capture``, ``numbers_in``), :mod:`.diff`
(``Row``, ``compare_values``, ``compare_printed``), :mod:`.reference` (``ReferenceKernel``) and
:mod:`.devices`.  Importing this package imports neither TensorFlow nor jupyter_client.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "compare": "kernel_helpers.compare.api",
    "reset": "kernel_helpers.compare.api",
    "shutdown": "kernel_helpers.compare.api",
    "warm_up": "kernel_helpers.compare.api",
    "reference_kernel": "kernel_helpers.compare.api",
    "CompareResult": "kernel_helpers.compare.result",
    "MIME_TYPE": "kernel_helpers.compare.result",
    "ReferenceKernel": "kernel_helpers.compare.reference",
    "Execution": "kernel_helpers.compare.reference",
    "Row": "kernel_helpers.compare.diff",
    "Captured": "kernel_helpers.compare.capture",
}

__all__ = [  # noqa: RUF022 - the same names as _EXPORTS
    "Captured", "CompareResult", "Execution", "MIME_TYPE", "ReferenceKernel", "Row",
    "compare", "reference_kernel", "reset", "shutdown", "warm_up",
]


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kernel_helpers.compare' has no attribute {name!r}")
    return getattr(import_module(module), name)
