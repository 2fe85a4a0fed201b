"""Performance of tf2-migrate, measured against its budgets and side by side with ``tf_upgrade_v2``.

Run ``python -m benchmarks`` from the repository root (``make bench``); see ``benchmarks/__main__.py``.
Timings are never tests: the test suite only checks that the benchmarks run and produce every number.
"""
