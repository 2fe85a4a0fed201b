"""Results as a plain-text table (for the terminal) and as Markdown (for the README)."""

from __future__ import annotations

from .measurement import format_value
from .runner import Results


def _rows(results: Results) -> list[tuple[str, str, str, str]]:
    rows = []
    for m in results.measurements:
        budget = m.budget.describe(m.unit) if m.budget else ""
        rows.append((m.label, format_value(m.value, m.unit), budget, m.verdict))
    return rows


def text_table(results: Results) -> str:
    header = ("measurement", "value", "budget", "result")
    rows = [header] + _rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(results: Results) -> str:
    lines = ["| measurement | value | budget | result |", "|---|---:|---|---|"]
    lines += [f"| {label} | {value} | {budget} | {verdict} |" for label, value, budget, verdict in _rows(results)]
    return "\n".join(lines)


def headline(results: Results) -> str:
    """Machine, versions and mode in one paragraph, to print above the table."""
    m, v = results.machine, results.versions
    tf = v.get("tensorflow-cpu") or v.get("tensorflow") or "not installed"
    mode = "quick (numbers not meaningful)" if results.settings.quick else "full"
    start, end = m.get("load_average_at_start"), m.get("load_average_at_end")
    # Other work on a 2-core machine skews timings; the load average says whether there was any.
    load_text = f"; load average {start[0]:.1f} at start" if start else ""
    load_text += f", {end[0]:.1f} at end" if start and end else ""
    return (f"{m['cpu']}, {m['usable_cores']} cores, {m['memory_gib']} GiB; Python {v['python']}, "
            f"TensorFlow {tf}, libcst {v.get('libcst', '?')}, tf2-migrate {v.get('tf2-migrate') or '?'}; "
            f"mode {mode}{load_text}")


def commands(results: Results) -> str:
    """What ran on each side of the folder comparisons, once per scenario and side."""
    lines = []
    for m in results.measurements:
        if m.key.startswith("folders.") and m.key.endswith("_s"):
            outputs = m.details.get("outputs", {})
            lines.append(f"{m.label}: {outputs.get('written', '?')}/{outputs.get('inputs', '?')} outputs written, "
                         f"{outputs.get('usable', '?')} usable; exit codes {m.details.get('exit_codes')}")
            lines += [f"    {command}" for command in m.details.get("command", [])]
    return "\n".join(lines)


def problems(results: Results) -> list[str]:
    found = [f"suite {name} could not run: {error}" for name, error in results.suite_errors.items()]
    for m in results.measurements:
        line = f"{m.label}: {m.details['error']}" if "error" in m.details else None
        if line and line not in found:
            found.append(line)
    return found

