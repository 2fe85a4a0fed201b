"""Helpers for the API-table tests: child processes with a chosen Keras mode."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def installed(*modules: str) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in modules)


def child_env(legacy_keras: bool) -> dict:
    """The environment for a child Python: this checkout importable, TF quiet, Keras mode as asked."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    env.pop("TF_USE_LEGACY_KERAS", None)
    if legacy_keras:
        env["TF_USE_LEGACY_KERAS"] = "1"
    return env


def run_json(script: str, request: dict, *, legacy_keras: bool, timeout: float = 300) -> dict:
    """Run ``tests/api/<script>`` with ``request`` on stdin and return its JSON answer."""
    completed = subprocess.run(
        [sys.executable, str(HERE / script)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=child_env(legacy_keras),
        cwd=REPO_ROOT,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout)


requires_tf = pytest.mark.skipif(not installed("tensorflow"), reason="TensorFlow is not installed")
requires_legacy = pytest.mark.skipif(not installed("tensorflow", "tf_keras"), reason="tf_keras is not installed")
