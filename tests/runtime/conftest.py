from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def tf1_kernel():
    """One reference kernel (TF1 runtime) for a test module; always shut down."""
    pytest.importorskip("tensorflow")
    pytest.importorskip("tf_keras")
    from kernel_helpers.compare.reference import ReferenceKernel

    kernel = ReferenceKernel(tf1=True, align_random=False)
    try:
        kernel.start()
        yield kernel
    finally:
        kernel.shutdown()


@pytest.fixture()
def run(tf1_kernel, tmp_path):
    """Run TF1 code in the reference kernel, fail the test on an error, return its stdout."""
    def run_cell(code: str, timeout: float = 120) -> str:
        outcome = tf1_kernel.execute(code, timeout=timeout)
        assert outcome.status == "ok", f"{outcome.error}\n{outcome.traceback}"
        return outcome.stdout

    run_cell.tmp_path = tmp_path
    return run_cell
