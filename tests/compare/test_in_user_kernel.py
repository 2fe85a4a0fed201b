"""Compare called from inside a real user kernel, the way the JupyterLab sidebar calls it."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.kernel

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def user_kernel():
    pytest.importorskip("tensorflow")
    from jupyter_client.manager import start_new_kernel

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.pop("TF_USE_LEGACY_KERAS", None)
    manager, client = start_new_kernel(kernel_name="python3", env=env, startup_timeout=120)
    try:
        yield manager, client
    finally:
        client.stop_channels()
        if manager.has_kernel:  # the test itself shuts it down when it gets that far
            manager.shutdown_kernel(now=True)


def run(client, code: str, expression: str | None = None, timeout: float = 240):
    reply = client.execute_interactive(code, timeout=timeout, user_expressions={"value": expression} if expression else {},
                                       output_hook=lambda message: None)
    content = reply["content"]
    assert content["status"] == "ok", content
    if expression:
        value = content["user_expressions"]["value"]
        assert value["status"] == "ok", value
        return value["data"]
    return None


def test_compare_from_a_user_kernel_and_survive_a_killed_reference(user_kernel) -> None:
    manager, client = user_kernel
    data = run(client, (
        "from kernel_helpers.compare import compare\n"
        "import tensorflow as tf\n"
        "r = compare('import tensorflow as tf\\n'\n"
        "            'W = tf.Variable(tf.random_normal([3, 2]))\\n'\n"
        "            'sess = tf.Session()\\n'\n"
        "            'sess.run(tf.global_variables_initializer())\\n'\n"
        "            'out = sess.run(tf.matmul(tf.ones([1, 3]), W))\\n',\n"
        "            'import tensorflow as tf\\n'\n"
        "            'W = tf.Variable(tf.random.normal([3, 2]))\\n'\n"
        "            'out = tf.matmul(tf.ones([1, 3]), W).numpy()\\n')\n"
    ), expression="r")
    payload = data["application/vnd.tf2-migrate.compare+json"]
    assert payload["ok"] is True, payload
    assert {row["name"] for row in payload["rows"]} >= {"W", "out"}
    assert 'class="tf2m-compare-result"' in data["text/html"]
    # the migrated cell ran in the user's namespace, with Keras 3
    assert run(client, "", expression="(out.shape, int(__import__('keras').__version__[0]))")["text/plain"] == "((1, 2), 3)"
    reference_pid = json.loads(run(client, "", expression=(
        "__import__('json').dumps(__import__('kernel_helpers.compare.api', fromlist=['x'])"
        ".reference_kernel().info['pid'])"))["text/plain"].strip("'"))

    data = run(client, "r2 = compare('import os\\nos.kill(os.getpid(), 9)\\n')\n", expression="r2.to_dict()")
    payload = eval(data["text/plain"], {"true": True, "false": False, "null": None})
    assert payload["ok"] is False and "killed by signal 9" in payload["error"]
    # the user's kernel and its state are fine
    assert manager.is_alive()
    assert run(client, "", expression="float(out.sum()) == float(W.numpy().sum(axis=0).sum())")["text/plain"] == "True"

    # Shutting the user kernel down also stops its reference kernel.
    new_pid = json.loads(run(client, "r3 = compare('z = 1\\n', 'z = 1\\n')\n", expression=(
        "__import__('json').dumps(__import__('kernel_helpers.compare.api', fromlist=['x'])"
        ".reference_kernel().info['pid'])"))["text/plain"].strip("'"))
    assert new_pid != reference_pid
    client.stop_channels()
    manager.shutdown_kernel(now=False)
    deadline = time.time() + 15
    while time.time() < deadline and _alive(new_pid):
        time.sleep(0.2)
    assert not _alive(new_pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie waiting for its parent counts as gone
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except OSError:
        return False
