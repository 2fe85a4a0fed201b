"""The machine and the versions a benchmark ran on, recorded beside its numbers.

Versions are read from package metadata: importing TensorFlow here would cost seconds and memory, and the
engine under test must not need it.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ("tensorflow-cpu", "tensorflow", "tf-keras", "tf-slim", "libcst", "nbformat", "tf2-migrate")


def machine() -> dict:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": _memory_gib(),
        "load_average_at_start": load_average(),
    }


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load: other work on a small machine skews every timing, so it is recorded."""
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else None


def versions() -> dict:
    found = {"python": platform.python_version(), "python_executable": sys.executable}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if "tf2-migrate" not in found:
        found["tf2-migrate"] = _checkout_version()
    return found


def _checkout_version() -> str | None:
    # A bare checkout (not pip-installed) still has its version in the package.
    try:
        import kernel_helpers
    except ImportError:
        return None
    return f"{kernel_helpers.__version__} (checkout)"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None
