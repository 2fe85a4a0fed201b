"""Small notebooks for tests, written the way nbformat writes them."""

from __future__ import annotations

import json

import nbformat


def make_notebook(*sources: str, list_sources: bool = True, markdown: str | None = "# Title") -> dict:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if markdown is not None:
        nb.cells.append(nbformat.v4.new_markdown_cell(markdown))
    for i, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source, execution_count=i + 1)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"out {i}\n")]
        nb.cells.append(cell)
    data = json.loads(nbformat.writes(nb))
    for cell in data["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = text.splitlines(keepends=True) if list_sources else text
    return data


def write_notebook(path, nb: dict) -> None:
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
