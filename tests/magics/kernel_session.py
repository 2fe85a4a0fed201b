"""A real IPython kernel for the magics tests, driven through jupyter_client."""

from __future__ import annotations

import os
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

REPO = Path(__file__).resolve().parents[2]


class KernelSession:
    def __init__(self, cwd: Path):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["IPYTHONDIR"] = str(cwd / ".ipython")
        self.km, self.kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(cwd), startup_timeout=60)

    def run(self, code: str, timeout: float = 60) -> tuple[dict, list[dict]]:
        """Execute ``code``; the execute_reply content and the iopub messages it caused."""
        messages: list[dict] = []
        reply = self.kc.execute_interactive(code, output_hook=messages.append, timeout=timeout)
        return reply["content"], messages

    def comm_msg(self, comm_id: str, data: dict, timeout: float = 30) -> None:
        """Send a widget message as a frontend would, and wait until the kernel has handled it."""
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.kc.shell_channel.send(msg)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self.kc.get_iopub_msg(timeout=timeout)
            if (reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]
                    and reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle"):
                return
        raise TimeoutError("the kernel did not handle the comm message")

    def shutdown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def displays(messages: list[dict]) -> list[dict]:
    return [m["content"]["data"] for m in messages if m["msg_type"] in ("display_data", "execute_result")]


def widget_states(messages: list[dict]) -> dict[str, dict]:
    """comm id -> widget state, for the widgets a cell created."""
    return {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in messages
            if m["msg_type"] == "comm_open" and m["content"].get("target_name") == "jupyter.widget"}


def errors(messages: list[dict]) -> list[str]:
    return [f"{m['content']['ename']}: {m['content']['evalue']}" for m in messages if m["msg_type"] == "error"]
