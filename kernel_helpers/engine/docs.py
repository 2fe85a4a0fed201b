"""Rule documentation generated from the rules themselves: the README table and the examples.

``python -m kernel_helpers.engine.docs`` rewrites the table between the README's ``rules-table`` markers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .registry import all_rules

BEGIN, END = "<!-- rules-table -->", "<!-- /rules-table -->"
SAFETY = {"No fix": "manual", "Unsafe": "unsafe", "Safe": "safe"}


def code_block(section: str) -> str:
    match = re.search(r"```python\n(.*?)```", section, flags=re.S)
    return match.group(1) if match else ""


def example(rule) -> tuple[str, str]:
    sections = rule.sections()
    return code_block(sections.get("Example", "")), code_block(sections.get("Use instead", ""))


def safety(rule) -> str:
    text = rule.sections().get("Fix safety", "")
    return next((label for word, label in SAFETY.items() if text.startswith(word)), "see notes")


def _inline(code: str) -> str:
    lines = [line for line in code.strip().splitlines() if not line.startswith("import tensorflow as tf")]
    return "<br>".join(f"`{line.strip()}`" for line in lines if line.strip()).replace("|", "\\|")


def rule_table() -> str:
    rows = ["| code | name | level | fix | what it does | before | after |",
            "|---|---|---|---|---|---|---|"]
    for rule in all_rules():
        before, after = example(rule)
        summary = rule.sections()["summary"].splitlines()[0].replace("|", "\\|")
        after_cell = _inline(after) if after.strip() != before.strip() else "(reported, not rewritten)"
        level = "tf2" if rule.level == "graph" else rule.level  # "graph" rules run at tf2 (and in kept graphs)
        rows.append(f"| {rule.code} | {rule.name} | {level} | {safety(rule)} | {summary} "
                    f"| {_inline(before)} | {after_cell} |")
    return "\n".join(rows)


def update_readme(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise ValueError(f"{path} has no {BEGIN} ... {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{rule_table()}\n{END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print(f"{readme}: {'updated' if update_readme(readme) else 'up to date'}")
