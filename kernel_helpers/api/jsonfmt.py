"""Deterministic JSON layout for generated tables: one entry per line, so diffs stay readable."""

from __future__ import annotations

import json


def _inline(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def render(document: dict) -> str:
    """Top-level keys sorted; each dict entry or list item of a top-level value on its own line."""
    parts = []
    for key in sorted(document):
        value = document[key]
        if isinstance(value, dict) and value:
            body = ",\n".join(f"{_inline(k)}: {_inline(value[k])}" for k in sorted(value))
            parts.append(f"{_inline(key)}: {{\n{body}\n}}")
        elif isinstance(value, list) and value:
            body = ",\n".join(_inline(item) for item in value)
            parts.append(f"{_inline(key)}: [\n{body}\n]")
        else:
            parts.append(f"{_inline(key)}: {_inline(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
