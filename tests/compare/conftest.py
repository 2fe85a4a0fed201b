from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def compare_api():
    """The Compare API with its reference kernel; the kernel is shut down after the module."""
    pytest.importorskip("tensorflow")
    pytest.importorskip("tf_keras")
    from kernel_helpers.compare import api

    try:
        yield api
    finally:
        kernel = api._reference["kernel"]
        api.shutdown()
        assert kernel is None or not kernel.is_alive()
