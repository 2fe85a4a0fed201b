"""The benchmark corpus: deterministic TF1 inputs, generated into a folder at run time.

Nothing is downloaded. Every file comes from :mod:`benchmarks.snippets` and a fixed seed, so two runs (and
two machines) time the same bytes. The corpus has

- one 50-line cell (and its Python 2 twin) for the per-cell analysis latency;
- ``notebooks/``: tutorial-sized notebooks of 10-30 cells, a quarter of them written for Python 2, plus any
  notebooks found under the repository's ``notebooks/tf1/`` (copied unchanged into ``notebooks/tutorials/``);
- ``scripts/``: the same notebooks as ``.py`` files, the way ``jupyter nbconvert --to script`` writes them
  (magics become ``get_ipython()`` calls);
- ``large/``: a few notebooks of about 200 cells (fewer in quick runs), where the work of migrating
  outweighs process start-up.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import nbformat

from . import snippets
from .snippets import Style

SEED = 20190930  # any fixed number; this one is TF 2.0's release date

#: Lines in the cell timed by the analysis benchmark (the budget is for cells of at most 50 lines).
CELL_LINES = 50

Cell = tuple[str, str]  # (cell type, source)


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    cells: int
    lines: int
    python2: bool


@dataclass
class Corpus:
    root: Path
    cell: str
    cell_python2: str
    notebooks_dir: Path
    scripts_dir: Path
    large_dir: Path
    notebooks: list[CorpusFile] = field(default_factory=list)
    scripts: list[CorpusFile] = field(default_factory=list)
    large: list[CorpusFile] = field(default_factory=list)

    def summary(self) -> dict:
        def group(files: list[CorpusFile]) -> dict:
            return {
                "files": len(files),
                "cells": sum(f.cells for f in files),
                "lines": sum(f.lines for f in files),
                "python2_files": sum(f.python2 for f in files),
            }

        return {
            "seed": SEED,
            "cell_lines": len(self.cell.splitlines()),
            "notebooks": group(self.notebooks),
            "scripts": group(self.scripts),
            "large_notebooks": group(self.large),
        }


def write_corpus(root: Path, *, notebooks: int = 40, large: int = 3, large_cells: int = 200,
                 tutorials: Path | None = None, max_tutorials: int | None = None) -> Corpus:
    """Generate the corpus under ``root`` (which must be empty or absent) and describe it.

    ``tutorials`` is a folder of real TF1 notebooks to add to the generated ones (skipped when absent);
    ``max_tutorials`` caps how many of them are used, for quick runs.
    """
    root.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(
        root=root,
        cell=analysis_cell(Style()),
        cell_python2=analysis_cell(Style(python2=True)),
        notebooks_dir=root / "notebooks",
        scripts_dir=root / "scripts",
        large_dir=root / "large",
    )
    for folder in (corpus.notebooks_dir, corpus.scripts_dir, corpus.large_dir):
        folder.mkdir()
    for i in range(notebooks):
        rng = random.Random(SEED + i)
        style = _style_for(i)
        cells = tutorial_cells(rng, style, target=rng.randint(10, 30))
        _add_pair(corpus, f"tutorial_{i:02d}", cells, style.python2, _kernel_for(style))
    for i in range(large):
        rng = random.Random(SEED + 1000 + i)
        cells = tutorial_cells(rng, Style(), target=large_cells)
        path = corpus.large_dir / f"large_{i:02d}.ipynb"
        _write_notebook(path, cells, _kernel_for(Style()))
        corpus.large.append(_describe(path, cells, python2=False))
    for source in _tutorial_notebooks(tutorials, max_tutorials):
        _add_real_tutorial(corpus, source)
    return corpus


def _style_for(index: int) -> Style:
    # A quarter of the notebooks are Python 2, and slim is imported both ways: both are common in the wild.
    slim = ("import tensorflow.contrib.slim as slim" if index % 2 == 0
            else "from tensorflow.contrib import slim")
    return Style(python2=index % 4 == 1, slim_import=slim)


def _kernel_for(style: Style) -> dict:
    if style.python2:
        return {"name": "python2", "display_name": "Python 2", "language": "python"}
    return {"name": "python3", "display_name": "Python 3", "language": "python"}


def tutorial_cells(rng: random.Random, style: Style, *, target: int) -> list[Cell]:
    """The first ``target`` cells of an endless tutorial: set-up, then model after model, each with extras."""
    stream = _cell_stream(rng, style)
    return [next(stream) for _ in range(target)]


def _cell_stream(rng: random.Random, style: Style) -> Iterator[Cell]:
    serial = count()
    yield "markdown", f"# TensorFlow tutorial {rng.randrange(100)}\nA model on MNIST-sized data, TF 1.x style."
    if rng.random() < 0.6:
        yield "code", snippets.install_cell(rng, style, next(serial))
    yield "code", snippets.imports_cell(rng, style, next(serial))
    while True:
        for alternatives in snippets.PIPELINE:
            if rng.random() < 0.35:
                yield "markdown", rng.choice(snippets.MARKDOWN)
            yield "code", rng.choice(alternatives)(rng, style, next(serial))
        for _ in range(rng.randint(1, 4)):
            yield "code", rng.choice(snippets.EXTRAS)(rng, style, next(serial))


def analysis_cell(style: Style) -> str:
    """A cell of exactly :data:`CELL_LINES` lines: imports, a model, its loss, optimizer and training loop."""
    rng = random.Random(SEED)
    chunks = [
        snippets.imports_cell(rng, style, 0),
        snippets.placeholders_cell(rng, style, 0),
        snippets.contrib_layers_cell(rng, style, 0),
        snippets.loss_cell(rng, style, 0),
        snippets.optimizer_cell(rng, style, 0),
        snippets.interactive_session_cell(rng, style, 0),
        snippets.renamed_ops_cell(rng, style, 0),
    ]
    lines: list[str] = []
    for chunk in chunks:
        chunk_lines = chunk.splitlines()
        if len(lines) + len(chunk_lines) <= CELL_LINES:
            lines += chunk_lines
    # Padding with more renamed ops keeps the cell at the budget's size whichever chunks fitted.
    for k in range(CELL_LINES - len(lines)):
        lines.append(f"z_{k} = tf.log(tf.to_float(tf.random_normal([2, 2])) + 1.0)")
    return "\n".join(lines) + "\n"


def _add_pair(corpus: Corpus, stem: str, cells: list[Cell], python2: bool, kernel: dict) -> None:
    notebook = corpus.notebooks_dir / f"{stem}.ipynb"
    _write_notebook(notebook, cells, kernel)
    corpus.notebooks.append(_describe(notebook, cells, python2))
    script = corpus.scripts_dir / f"{stem}.py"
    script.write_text(notebook_to_script(cells), encoding="utf-8")
    corpus.scripts.append(_describe(script, cells, python2))


def _write_notebook(path: Path, cells: list[Cell], kernel: dict) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = kernel
    nb.metadata["language_info"] = {"name": "python"}
    execution = count(1)
    for index, (kind, source) in enumerate(cells):
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            number = next(execution)
            cell = nbformat.v4.new_code_cell(source, execution_count=number)
            # Real tutorials are saved with their outputs, which both tools must carry through.
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"[{number}] done\n")]
        cell.id = f"cell-{index:04d}"  # nbformat draws random ids; fixed ones keep the corpus deterministic
        nb.cells.append(cell)
    nbformat.validate(nb)
    with path.open("w", encoding="utf-8") as handle:
        nbformat.write(nb, handle)


def _describe(path: Path, cells: list[Cell], python2: bool) -> CorpusFile:
    lines = sum(len(src.splitlines()) for kind, src in cells if kind == "code")
    return CorpusFile(path=path, cells=len(cells), lines=lines, python2=python2)


def _tutorial_notebooks(folder: Path | None, limit: int | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return found if limit is None else found[:limit]


def _add_real_tutorial(corpus: Corpus, source: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    cells = [(c.get("cell_type", ""), _joined(c.get("source", ""))) for c in data.get("cells", [])]
    cells = [(kind, src) for kind, src in cells if kind in ("code", "markdown")]
    python2 = "python2" in json.dumps(data.get("metadata", {}).get("kernelspec", {}))
    target = corpus.notebooks_dir / "tutorials" / source.name
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(source, target)
    corpus.notebooks.append(_describe(target, cells, python2))
    script = corpus.scripts_dir / "tutorials" / (source.stem + ".py")
    script.parent.mkdir(exist_ok=True)
    script.write_text(notebook_to_script(cells), encoding="utf-8")
    corpus.scripts.append(_describe(script, cells, python2))


def _joined(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def notebook_to_script(cells: list[Cell]) -> str:
    """The notebook as ``nbconvert --to script`` would write it: IPython syntax as ``get_ipython()`` calls."""
    parts = ["#!/usr/bin/env python\n# coding: utf-8\n"]
    for kind, source in cells:
        if kind == "markdown":
            parts.append("\n".join(("# " + line).rstrip() for line in source.splitlines()) + "\n")
        else:
            parts.append("# In[ ]:\n\n\n" + _script_code(source) + "\n")
    return "\n\n".join(parts)


def _script_code(source: str) -> str:
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        name, _, args = lines[0][2:].partition(" ")
        body = "\n".join(lines[1:]) + "\n"
        return f"get_ipython().run_cell_magic({name!r}, {args!r}, {body!r})"
    out = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith("%"):
            name, _, args = stripped[1:].partition(" ")
            out.append(f"{indent}get_ipython().run_line_magic({name!r}, {args!r})")
        elif stripped.startswith("!"):
            out.append(f"{indent}get_ipython().system({stripped[1:]!r})")
        else:
            out.append(line)
    return "\n".join(out)
