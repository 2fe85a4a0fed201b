"""The reference kernel: a second IPython kernel that runs original TF1 code.

One is started per user kernel, lazily, with ``jupyter_client``, and reused.  It runs
``kernel_helpers.runtime.activate()`` before anything else, so TF1 notebooks run unmodified
there, while the user's kernel keeps TF2 and Keras 3.  Whatever the original code does (raise,
hang, ``os.abort()``, a segfault in TensorFlow) happens in that process: the user's kernel only
sees a message.

* :meth:`ReferenceKernel.execute` runs code with a timeout.  On timeout the kernel is
  interrupted (state kept); if it does not stop within a grace period it is restarted (state
  lost, and the outcome says so).  A kernel that dies is detected within a fraction of a second
  and restarted on next use.
* The kernel inherits this process's environment (``CUDA_VISIBLE_DEVICES`` included) and working
  directory, so relative data paths and GPU masks mean the same on both sides; it also gets
  ``TF_FORCE_GPU_ALLOW_GROWTH`` so the two kernels can share a GPU.
* ``JPY_PARENT_PID`` (set by ``jupyter_client``) makes the kernel exit when the user's kernel dies.

Start-up cost is dominated by importing TensorFlow and tf_keras in the new process (about 5-7 s
on the 2-core CI machine, measured in ``startup_seconds`` and reported by Compare as
``timings["reference_start"]``).  :meth:`ReferenceKernel.warm_up` starts it in the background so
that the first Compare does not wait for all of it.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import site
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Execution", "ReferenceKernel", "ReferenceKernelError"]

KERNEL_NAME = "tf2-migrate-reference"
# How often a quiet kernel is checked for death while waiting for output.
_POLL_SECONDS = 0.1
# After an interrupt, how long the kernel may take to stop before it is restarted.
_INTERRUPT_GRACE_SECONDS = 5.0
# Start-up chatter of ipykernel and TensorFlow in the kernel's log, left out of crash reports.
_LOG_NOISE = ("I0000", "W0000", "E0000", "WARNING: All log messages before absl", "[IPKernelApp] WARNING | Kernel is running over TCP",
              "To enable the following instructions", "This TensorFlow binary is optimized")


class ReferenceKernelError(RuntimeError):
    """The reference kernel could not be started (its message says why and what to do)."""


@dataclass
class Execution:
    """What one execute request did.

    ``status`` is ``"ok"``, ``"error"`` (the code raised), ``"timeout"`` (interrupted after the
    timeout), ``"died"`` (the kernel process ended) or ``"failed"`` (the kernel could not start).
    """

    status: str
    stdout: str = ""
    stderr: str = ""
    error: str | None = None
    traceback: str = ""
    elapsed: float = 0.0
    user_expressions: dict[str, Any] = field(default_factory=dict)
    restarted: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _bootstrap_code(tf1: bool, align_random: bool) -> str:
    # Runs first in the new kernel; binds no names in the user namespace.
    if tf1:
        return (f"__import__('kernel_helpers.runtime.activation', fromlist=['activate'])"
                f".activate(align_random={align_random!r})\n")
    return ("__import__('kernel_helpers.runtime.cell_hooks', fromlist=['install']).install()\n"
            + ("__import__('kernel_helpers.runtime.random_alignment', fromlist=['install']).install()\n"
               "__import__('kernel_helpers.runtime.random_alignment', fromlist=['activate']).activate(True)\n"
               if align_random else ""))


# The device is only asked when TensorFlow is loaded anyway (a plain kernel stays light).
_INFO_EXPRESSION = (
    "__import__('json').dumps({'device': __import__('kernel_helpers.compare.devices', fromlist=['describe'])"
    ".describe() if 'tensorflow' in __import__('sys').modules else None, 'runtime': (lambda i: i.to_dict() if i else None)(__import__('kernel_helpers.runtime.activation',"
    " fromlist=['info']).info()), 'pid': __import__('os').getpid()})"
)


class ReferenceKernel:
    """A lazily started, reusable kernel running the TF1 reference runtime.

    ``tf1=False`` gives a plain kernel (TF2, Keras 3) with the same machinery, for callers that
    run migrated code out of process (``tf2-migrate --verify``).
    """

    def __init__(self, *, tf1: bool = True, align_random: bool = True, startup_timeout: float = 180.0,
                 env: dict[str, str] | None = None, cwd: str | None = None,
                 interrupt_grace: float = _INTERRUPT_GRACE_SECONDS) -> None:
        self.tf1 = tf1
        self.interrupt_grace = interrupt_grace
        self.align_random = align_random
        self.startup_timeout = startup_timeout
        self._extra_env = dict(env or {})
        self._cwd = cwd
        self._manager: Any = None
        self._client: Any = None
        self._lock = threading.RLock()
        self._warming: threading.Thread | None = None
        self._warm_error: BaseException | None = None
        self.startup_seconds: float | None = None
        self.info: dict[str, Any] = {}
        self.restarts = 0
        #: how many kernels were started so far: a change means earlier state is gone
        self.generation = 0
        self._scratch = tempfile.mkdtemp(prefix="tf2m-compare-")
        self._log_path: str | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._manager is not None

    def is_alive(self) -> bool:
        manager = self._manager
        if manager is None:
            return False
        try:
            return bool(manager.is_alive())
        except Exception:  # noqa: BLE001
            return False

    def start(self) -> float:
        """Start the kernel if needed and wait until the runtime is active; returns start seconds."""
        warming = self._warming
        if warming is not None and warming is not threading.current_thread():
            warming.join()
            self._warming = None
            if self._warm_error is not None:
                error, self._warm_error = self._warm_error, None
                raise ReferenceKernelError(str(error)) from error
        with self._lock:
            if self._manager is not None and self.is_alive():
                return 0.0
            if self._manager is not None:
                self._cleanup()
            return self._start()

    def warm_up(self) -> None:
        """Start the kernel in a background thread (returns at once)."""
        with self._lock:
            if self._manager is not None or self._warming is not None:
                return

            def run() -> None:
                try:
                    self.start()
                except BaseException as error:  # noqa: BLE001 - re-raised by the next start()
                    self._warm_error = error

            self._warming = threading.Thread(target=run, name="tf2m-reference-warm-up", daemon=True)
            self._warming.start()

    def _start(self) -> float:
        from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
        from jupyter_client.manager import KernelManager

        spec = KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="tf2-migrate reference (TF1)",
            language="python",
            env={},
        )

        class _Specs(KernelSpecManager):
            def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
                return spec

        began = time.perf_counter()
        for attempt in (1, 2):
            try:
                manager, client = self._launch(lambda: KernelManager(kernel_name=KERNEL_NAME,
                                                                     kernel_spec_manager=_Specs()))
                break
            except Exception as error:
                # jupyter_client picks free ports, then the kernel binds them: a kernel starting at the same
                # moment (Compare starts both sides together) can take one in between. New ports fix it.
                if attempt == 1 and "Address already in use" in self.log_tail(lines=200):
                    continue
                raise ReferenceKernelError(
                    f"the reference kernel could not start ({type(error).__name__}: {error}); "
                    f"check that ipykernel is installed for {sys.executable}") from error
        self._manager, self._client = manager, client
        setup = self._execute_locked(_bootstrap_code(self.tf1, self.align_random), timeout=self.startup_timeout,
                                     silent=True, user_expressions={"info": _INFO_EXPRESSION})
        if not setup.ok:
            self._cleanup()
            raise ReferenceKernelError(
                "the reference kernel started but the TF1 runtime failed to activate: "
                f"{setup.error or setup.status}\n{setup.traceback}")
        self.info = _json_expression(setup.user_expressions.get("info"))
        self.startup_seconds = time.perf_counter() - began
        self.generation += 1
        return self.startup_seconds

    def _launch(self, make_manager):
        """A started kernel and its ready client; the kernel is stopped again when it does not become ready."""
        manager = make_manager()
        try:
            # The kernel's own stdout/stderr (TensorFlow's C++ logs, fatal error reports) go to a
            # log file, whose tail explains a crash.
            self._log_path = self.scratch_path(f"kernel-{self.generation + 1}.log")
            with open(self._log_path, "wb") as log:
                manager.start_kernel(env=self._environment(), cwd=self._cwd or os.getcwd(),
                                     stdout=log, stderr=log)
            client = manager.client()
            client.start_channels()
            client.wait_for_ready(timeout=self.startup_timeout)
        except Exception:
            _quietly_stop(manager)
            raise
        return manager, client

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self._extra_env)
        if self.tf1:
            env["TF_USE_LEGACY_KERAS"] = "1"
        else:
            env.pop("TF_USE_LEGACY_KERAS", None)
        env.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        # The kernel must import this very copy of kernel_helpers (a checkout is not installed).
        package_root = str(Path(__file__).resolve().parents[2])
        if package_root not in _site_dirs():
            parts = [package_root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
            env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
        return env

    def interrupt(self) -> None:
        with self._lock:
            if self._manager is not None and self.is_alive():
                self._manager.interrupt_kernel()

    def restart(self) -> float:
        """A fresh kernel (state lost); returns the start-up seconds."""
        with self._lock:
            self._cleanup()
            self.restarts += 1
            return self._start()

    def shutdown(self) -> None:
        """Stop the kernel and remove its scratch files (safe to call twice)."""
        warming = self._warming
        if warming is not None and warming is not threading.current_thread():
            warming.join(timeout=self.startup_timeout)
        with self._lock:
            self._cleanup()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def _cleanup(self) -> None:
        manager, client = self._manager, self._client
        self._manager = self._client = None
        if client is not None:
            try:
                client.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        if manager is not None:
            _quietly_stop(manager)

    def __enter__(self) -> ReferenceKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def scratch_path(self, name: str) -> str:
        """A path in this kernel's scratch folder (removed by :meth:`shutdown`)."""
        os.makedirs(self._scratch, exist_ok=True)
        return str(Path(self._scratch) / name)

    def exit_description(self) -> str:
        """How the kernel process ended ("killed by signal 9 (SIGKILL)", "exit code 1")."""
        process = getattr(getattr(self._manager, "provisioner", None), "process", None)
        code = getattr(process, "returncode", None) if process is not None else None
        if code is None and process is not None:
            try:
                code = process.poll()
            except Exception:  # noqa: BLE001
                code = None
        if code is None:
            return "it stopped responding"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = "unknown signal"
            return f"killed by signal {-code} ({name})"
        return f"exit code {code}"

    # -- running code ------------------------------------------------------------------------

    def execute(self, code: str, *, timeout: float = 60.0, silent: bool = False,
                user_expressions: dict[str, str] | None = None, metadata: dict[str, Any] | None = None) -> Execution:
        """Run ``code``; never raises for anything the code does.

        ``user_expressions`` are evaluated after the code, in the same request, when it ran
        without error; ``metadata`` travels in the request (``{"tf2m_epoch": n}`` starts random
        alignment's epoch ``n`` right before the code runs).
        """
        try:
            self.start()
        except ReferenceKernelError as error:
            return Execution("failed", error=str(error))
        with self._lock:
            return self._execute_locked(code, timeout=timeout, silent=silent, user_expressions=user_expressions,
                                        metadata=metadata)

    def execute_many(self, requests: list[dict[str, Any]], *, timeout: float = 60.0) -> list[Execution]:
        """Send several execute requests at once and collect their outcomes in order.

        The kernel runs them one after another; sending them together saves a round trip per
        request.  ``timeout`` applies to each request from the moment the previous one ended.
        """
        try:
            self.start()
        except ReferenceKernelError as error:
            return [Execution("failed", error=str(error)) for _ in requests]
        with self._lock:
            ids = [self._send(request["code"], silent=request.get("silent", False),
                              user_expressions=request.get("user_expressions"), metadata=request.get("metadata"))
                   for request in requests]
            outcomes: list[Execution] = []
            for msg_id in ids:
                previous = outcomes[-1] if outcomes else None
                if previous is not None and (previous.status in ("died", "failed") or previous.restarted):
                    # The process is gone. Its last messages may be lost with it, so which of the
                    # pending requests killed it is unknown: they all share the outcome.
                    outcomes.append(Execution(previous.status, error=previous.error, traceback=previous.traceback,
                                              restarted=previous.restarted))
                    continue
                if previous is not None and previous.status == "timeout":
                    outcomes.append(Execution("failed", error="not run: the request before it timed out"))
                    continue
                outcomes.append(self._collect(msg_id, timeout))
            return outcomes

    def _execute_locked(self, code: str, *, timeout: float, silent: bool, user_expressions: dict[str, str] | None,
                        metadata: dict[str, Any] | None = None) -> Execution:
        return self._collect(self._send(code, silent=silent, user_expressions=user_expressions, metadata=metadata),
                             timeout)

    def _send(self, code: str, *, silent: bool, user_expressions: dict[str, str] | None,
              metadata: dict[str, Any] | None) -> str:
        """Send an execute request (with request metadata, which the client's execute() lacks)."""
        content = {"code": code, "silent": silent, "store_history": not silent,
                   "user_expressions": user_expressions or {}, "allow_stdin": False, "stop_on_error": False}
        message = self._client.session.msg("execute_request", content, metadata=metadata or {})
        self._client.shell_channel.send(message)
        return message["header"]["msg_id"]

    def _collect(self, msg_id: str, timeout: float) -> Execution:
        client = self._client
        began = time.perf_counter()
        deadline = began + timeout
        stdout: list[str] = []
        stderr: list[str] = []
        outcome = Execution("ok")
        idle = False
        while not idle:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return self._timed_out(msg_id, timeout, stdout, stderr, began)
            try:
                message = client.get_iopub_msg(timeout=min(_POLL_SECONDS, remaining))
            except queue.Empty:
                if not self.is_alive():
                    return self._died(stdout, stderr, began)
                continue
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                (stdout if content.get("name") == "stdout" else stderr).append(content.get("text", ""))
            elif kind == "error":
                outcome.status = "error"
                outcome.error = f"{content.get('ename')}: {content.get('evalue')}"
                outcome.traceback = _strip_ansi("\n".join(content.get("traceback", [])))
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
        reply = self._reply(msg_id, deadline)
        if reply is not None:
            content = reply["content"]
            if content.get("status") == "error" and outcome.status == "ok":
                outcome.status = "error"
                outcome.error = f"{content.get('ename')}: {content.get('evalue')}"
                outcome.traceback = _strip_ansi("\n".join(content.get("traceback", [])))
            outcome.user_expressions = content.get("user_expressions", {}) or {}
        outcome.stdout, outcome.stderr = "".join(stdout), "".join(stderr)
        outcome.elapsed = time.perf_counter() - began
        return outcome

    def _reply(self, msg_id: str, deadline: float) -> dict | None:
        # The reply is sent before the idle status, so it is already queued.
        while True:
            try:
                reply = self._client.get_shell_msg(timeout=max(0.5, deadline - time.perf_counter()))
            except queue.Empty:
                return None
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply

    def _timed_out(self, msg_id: str, timeout: float, stdout: list[str], stderr: list[str],
                   began: float) -> Execution:
        self.interrupt()
        grace_end = time.perf_counter() + self.interrupt_grace
        stopped = False
        while time.perf_counter() < grace_end:
            try:
                message = self._client.get_iopub_msg(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not self.is_alive():
                    break
                continue
            if (message.get("parent_header", {}).get("msg_id") == msg_id and message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"):
                stopped = True
                break
        if stopped:
            self._reply(msg_id, time.perf_counter() + 1.0)
            error = (f"timed out after {timeout:g} s: the reference kernel was interrupted "
                     "(its state is kept, but the cell did not finish)")
            restarted = False
        else:
            self._cleanup()
            error = (f"timed out after {timeout:g} s and did not stop when interrupted: the reference kernel "
                     "was shut down and starts afresh on the next Compare (its state is lost)")
            restarted = True
        return Execution("timeout", "".join(stdout), "".join(stderr), error,
                         elapsed=time.perf_counter() - began, restarted=restarted)

    def log_tail(self, lines: int = 15) -> str:
        """The end of the kernel process's own output (fatal errors, TensorFlow's C++ log)."""
        if not self._log_path:
            return ""
        try:
            with open(self._log_path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 8192))
                text = handle.read().decode("utf-8", "replace")
        except OSError:
            return ""
        kept = [line for line in text.splitlines() if line.strip() and not line.startswith(_LOG_NOISE)]
        return "\n".join(kept[-lines:])

    def _died(self, stdout: list[str], stderr: list[str], began: float) -> Execution:
        how = self.exit_description()
        self._cleanup()
        error = (f"the reference kernel died while running the original code ({how}); "
                 "it starts afresh on the next Compare (its state is lost). Your kernel is unaffected.")
        tail = self.log_tail()
        return Execution("died", "".join(stdout), "".join(stderr), error, traceback=tail,
                         elapsed=time.perf_counter() - began, restarted=True)


def _quietly_stop(manager: Any) -> None:
    try:
        manager.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        try:
            manager.cleanup_resources()
        except Exception:  # noqa: BLE001
            pass


def _site_dirs() -> set[str]:
    dirs = set()
    try:
        dirs.update(site.getsitepackages())
    except AttributeError:
        pass
    try:
        dirs.add(site.getusersitepackages())
    except AttributeError:
        pass
    return {str(Path(d).resolve()) for d in dirs}


def _json_expression(entry: Any) -> dict[str, Any]:
    import ast
    import json

    if not isinstance(entry, dict) or entry.get("status") != "ok":
        return {}
    text = entry.get("data", {}).get("text/plain", "")
    try:
        return json.loads(ast.literal_eval(text))
    except (ValueError, SyntaxError):
        return {}


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
