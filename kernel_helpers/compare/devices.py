"""Which device each side of a Compare runs on, and GPU memory growth on both sides.

Both kernels of a Compare share the machine's GPUs.  TensorFlow grabs nearly all GPU memory on
first use unless memory growth is on, so the second kernel would fail to allocate; both sides turn
growth on before their first op (the reference kernel also gets ``TF_FORCE_GPU_ALLOW_GROWTH``,
which TF1 sessions honour).  ``CUDA_VISIBLE_DEVICES`` is inherited by the reference kernel.

Every function takes an optional ``config``: the ``tf.config`` module by default, or any object
with the same ``list_physical_devices`` / ``experimental.set_memory_growth`` /
``experimental.get_memory_growth`` / ``experimental.get_device_details`` methods.  That is the
seam the unit tests use with a fake device list (no GPU is needed to test this module).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["describe", "enable_memory_growth", "gpus", "report"]


def _config(config: Any) -> Any:
    if config is not None:
        return config
    import tensorflow as tf  # lazily: the engine and the server never import TensorFlow

    return tf.config


def gpus(config: Any = None) -> list[Any]:
    """The visible physical GPUs (after ``CUDA_VISIBLE_DEVICES``)."""
    try:
        return list(_config(config).list_physical_devices("GPU"))
    except Exception:  # noqa: BLE001 - a broken CUDA install must not break Compare
        return []


def enable_memory_growth(config: Any = None) -> list[str]:
    """Turn memory growth on for every visible GPU; return notes about GPUs where it failed.

    TensorFlow refuses the change once the GPUs are initialized (a kernel that already ran GPU
    code); then growth stays as it was and a note says so.
    """
    config = _config(config)
    notes = []
    for device in gpus(config):
        try:
            if not config.experimental.get_memory_growth(device):
                config.experimental.set_memory_growth(device, True)
        except (RuntimeError, ValueError) as error:
            notes.append(f"memory growth not changed on {_name(device)}: {error}")
    return notes


def _name(device: Any) -> str:
    name = getattr(device, "name", str(device))
    return name.replace("/physical_device:", "")


def describe(config: Any = None) -> str:
    """``"GPU:0 (NVIDIA T4)"`` for the GPU that TensorFlow places ops on by default, else ``"CPU"``."""
    config = _config(config)
    found = gpus(config)
    if not found:
        return "CPU"
    first = found[0]
    label = _name(first)
    try:
        details = config.experimental.get_device_details(first) or {}
    except Exception:  # noqa: BLE001
        details = {}
    model = details.get("device_name")
    extra = f", {len(found)} visible" if len(found) > 1 else ""
    return f"{label} ({model}{extra})" if model else (f"{label} ({len(found)} visible)" if extra else label)


def report(config: Any = None) -> dict[str, Any]:
    """A JSON-safe summary: the device, the visible GPUs, their memory growth and the CUDA mask."""
    config = _config(config)
    found = gpus(config)
    growth = []
    for device in found:
        try:
            growth.append(bool(config.experimental.get_memory_growth(device)))
        except Exception:  # noqa: BLE001
            growth.append(None)
    return {
        "device": describe(config),
        "gpus": [_name(device) for device in found],
        "memory_growth": growth,
        "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
    }
