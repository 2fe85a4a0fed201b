"""The reference kernel's process handling: errors, timeouts, crashes, restarts, environment.

Uses a light kernel (no TF1 runtime) so that the restarts after crashes are quick; the TF1
kernel itself is exercised in tests/runtime and tests/compare.
"""

from __future__ import annotations

import os
import time

import pytest

from kernel_helpers.compare.reference import ReferenceKernel

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def kernel():
    os.environ["TF2M_TEST_MARKER"] = "inherited"
    light = ReferenceKernel(tf1=False, align_random=False, env={"CUDA_VISIBLE_DEVICES": "7"}, interrupt_grace=1.0)
    try:
        yield light
    finally:
        light.shutdown()
        os.environ.pop("TF2M_TEST_MARKER", None)
    assert not light.is_alive()


def test_lazy_start_and_output(kernel) -> None:
    assert not kernel.started
    outcome = kernel.execute("value = 6 * 7\nprint(value)\nimport sys; print('warn', file=sys.stderr)")
    assert kernel.started and kernel.startup_seconds > 0
    assert outcome.status == "ok" and outcome.stdout == "42\n" and outcome.stderr == "warn\n"
    assert kernel.info["pid"] != os.getpid()


def test_state_is_kept_between_requests(kernel) -> None:
    assert kernel.execute("print(value + 1)").stdout == "43\n"


def test_environment_and_working_directory_are_inherited(kernel) -> None:
    outcome = kernel.execute(
        "import os\nprint(os.environ.get('TF2M_TEST_MARKER'), os.environ.get('CUDA_VISIBLE_DEVICES'),"
        " os.environ.get('TF_FORCE_GPU_ALLOW_GROWTH'), os.getcwd(), os.environ['JPY_PARENT_PID'])")
    assert outcome.stdout.split() == ["inherited", "7", "true", os.getcwd(), str(os.getpid())]


def test_an_exception_is_reported(kernel) -> None:
    outcome = kernel.execute("def f():\n    raise ValueError('bad shape')\nf()")
    assert outcome.status == "error"
    assert outcome.error == "ValueError: bad shape"
    assert "raise ValueError" in outcome.traceback and "\x1b[" not in outcome.traceback


def test_timeout_interrupts_and_keeps_state(kernel) -> None:
    began = time.perf_counter()
    outcome = kernel.execute("import time\nprint('started', flush=True)\ntime.sleep(30)", timeout=1.0)
    assert time.perf_counter() - began < 10
    assert outcome.status == "timeout" and "interrupted" in outcome.error and not outcome.restarted
    assert outcome.stdout == "started\n"
    assert kernel.execute("print(value)").stdout == "42\n"


def test_a_cell_that_ignores_interrupts_gets_the_kernel_restarted(kernel) -> None:
    generation = kernel.generation
    code = ("import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n    time.sleep(0.05)\n")
    outcome = kernel.execute(code, timeout=0.5)
    assert outcome.status == "timeout" and outcome.restarted and "state is lost" in outcome.error
    after = kernel.execute("print('value' in globals())")
    assert after.stdout == "False\n" and kernel.generation == generation + 1


@pytest.mark.parametrize(("code", "how"), [
    ("import os\nos.kill(os.getpid(), 9)", "killed by signal 9 (SIGKILL)"),
    ("import os\nos.abort()", "killed by signal 6 (SIGABRT)"),
    ("import ctypes\nctypes.string_at(0)", "killed by signal 11 (SIGSEGV)"),
    ("import os\nos._exit(3)", "exit code 3"),
])
def test_a_dying_kernel_is_reported_and_replaced(kernel, code: str, how: str) -> None:
    began = time.perf_counter()
    outcome = kernel.execute(code, timeout=30)
    assert time.perf_counter() - began < 5
    assert outcome.status == "died" and how in outcome.error and "Your kernel is unaffected" in outcome.error
    assert kernel.execute("print('back')").stdout == "back\n"


def test_execute_many_stops_after_a_crash(kernel) -> None:
    outcomes = kernel.execute_many([{"code": "x = 1"}, {"code": "import os; os._exit(1)"}, {"code": "print(x)"}])
    # The reply to the first request can die with the process before it is sent.
    assert outcomes[0].status in ("ok", "died")
    assert [o.status for o in outcomes[1:]] == ["died", "died"]
    assert all("exit code 1" in o.error for o in outcomes if o.status == "died")


def test_execute_many_skips_the_rest_after_a_timeout(kernel) -> None:
    outcomes = kernel.execute_many([{"code": "import time; time.sleep(20)"}, {"code": "print('late')"}], timeout=0.5)
    assert [o.status for o in outcomes] == ["timeout", "failed"]
    assert kernel.execute("print('alive')").stdout == "alive\n"


@pytest.mark.parametrize("log, launches", [
    (b"zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:5')\n", 2),
    (b"ModuleNotFoundError: No module named 'ipykernel'\n", 1),
])
def test_a_kernel_that_lost_its_ports_to_another_is_started_once_more(tmp_path, log, launches) -> None:
    """jupyter_client's port race (two kernels starting together) gets one more start, other failures none."""
    reference = ReferenceKernel(tf1=False, align_random=False)
    calls = []

    def launch(make_manager):
        calls.append(1)
        reference._log_path = str(tmp_path / f"kernel-{len(calls)}.log")
        with open(reference._log_path, "wb") as handle:
            handle.write(log if len(calls) == 1 else b"still failing\n")
        raise RuntimeError(f"Kernel didn't respond ({len(calls)})")

    reference._launch = launch
    with pytest.raises(Exception) as raised:
        reference.start()
    assert len(calls) == launches
    assert f"({launches})" in str(raised.value)
