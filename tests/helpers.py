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
