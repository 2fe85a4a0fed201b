"""Shared assertions for rule tests: migrate a snippet and compare with the expected text."""

from __future__ import annotations

import textwrap

from kernel_helpers import analyze, migrate


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def migrated(before: str, *, level: str = "compat", unsafe: bool = False) -> str:
    return migrate(dedent(before), level=level, unsafe=unsafe).source


def assert_migrates(before: str, after: str, *, level: str = "compat", unsafe: bool = False) -> None:
    result = migrated(before, level=level, unsafe=unsafe)
    assert result == dedent(after)
    # every golden case is also an idempotence case
    assert migrated(result, level=level, unsafe=unsafe) == result


def codes(source: str, *, level: str = "compat") -> list[str]:
    return [f.code for f in analyze(dedent(source), level=level)]


def assert_lifted(source: str) -> str:
    """Level tf2 lifts the graph in ``source`` completely: valid Python, no ``tf.compat.v1`` and no placeholder left,
    and migrating the result again changes nothing. Returns the migrated text."""
    import ast

    result = migrate(dedent(source), level="tf2").source
    ast.parse(result)
    assert "compat.v1" not in result and ".placeholder(" not in result, result
    assert migrate(result, level="tf2").source == result
    return result


def assert_refused(source: str, reason: str) -> None:
    """Level tf2 refuses to lift the graph in ``source``: one manual TFM199 that gives ``reason``, and the graph
    keeps TF1's runtime (TFM103)."""
    from kernel_helpers import migrate

    result = migrate(dedent(source), level="tf2")
    manual = [f for f in result.remaining if f.code == "TFM199"]
    assert len(manual) == 1 and reason in manual[0].message, [f.message for f in manual]
    assert "tf.compat.v1.disable_v2_behavior()" in result.source
