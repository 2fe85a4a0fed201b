"""IPython magics: ``%load_ext kernel_helpers``, then

* ``%%tf2_migrate [--level compat|tf2] [--unsafe-fixes] [--apply]`` shows the proposed rewrite of the
  cell (two panes with a line diff, the findings, Apply and Copy). It never runs the cell's code.
* ``%%tf2_compare [--rtol R] [--atol A] [--timeout S] [--migrated VAR]`` runs the cell as TF1 in the
  reference kernel and its migration (or the code in the string variable ``VAR``) here, and shows the
  comparison; ``%tf2_compare --reset`` restarts the reference side.
* ``%tf2_migrate_notebook IN [-o OUT] [--verify] [--report DIR] [--timeout S]`` migrates a notebook
  file into a new one (the input is never written) and, with ``--verify``, executes and compares both.

Apply: a kernel can replace a cell's text only in the reply to that cell's execution (the
``set_next_input`` payload with ``replace=True``), never from a widget click, which arrives as a comm
message. So ``--apply`` replaces the text at once, and the Apply button arms the rewrite for the next
run of the same cell. Either way the output of that run keeps the original in its left pane.
"""

from __future__ import annotations

import hashlib
import html
import os
from importlib import import_module
from pathlib import Path

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display

__all__ = ["MigrationMagics", "load_ipython_extension", "unload_ipython_extension"]

#: Bound in a cell pasted from a TF1 tutorial without its import cell; assumed only when nothing binds it.
_CONVENTIONAL_IMPORT = "import tensorflow as tf\n"


@magics_class
class MigrationMagics(Magics):
    def __init__(self, shell):
        super().__init__(shell)
        # keys of the cells whose rewrite the Apply button armed for their next run
        self._armed: set[str] = set()
        # The imports of the session so far, built up incrementally: a long session has many cells.
        self._context = None
        self._cells_seen = 0

    # -- %%tf2_migrate --------------------------------------------------------------------

    @magic_arguments()
    @argument("--level", choices=("compat", "tf2"), default="tf2",
              help="compat: what tf_upgrade_v2 does; tf2 (default): idiomatic TF 2")
    @argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change numerics")
    @argument("--apply", action="store_true",
              help="replace the cell's text with the migrated code now (the output keeps the original)")
    @cell_magic
    def tf2_migrate(self, line, cell):
        """Show the TF2 rewrite of this cell as a diff with its findings; the cell's code is not run."""
        from kernel_helpers.widgets import MigrationProposal

        args = parse_argstring(self.tf2_migrate, line)
        migration = self._migrate(cell, args.level, args.unsafe_fixes)
        key = _cell_key(cell, args.level, args.unsafe_fixes)
        armed = key in self._armed
        self._armed.discard(key)
        apply_now = (args.apply or armed) and migration.changed
        if apply_now:
            self.shell.set_next_input(migration.source.rstrip("\n"), replace=True)
        proposal = MigrationProposal(
            cell, migration.source, migration.findings, level=args.level, unsafe=args.unsafe_fixes,
            hidden_unsafe=migration.hidden_unsafe, applied=apply_now,
            on_apply=lambda on: self._arm(key, on))
        display(proposal)

    def _arm(self, key: str, on: bool) -> None:
        if on:
            self._armed.add(key)
        else:
            self._armed.discard(key)

    def _migrate(self, cell: str, level: str, unsafe: bool):
        from kernel_helpers.engine.api import migrate
        from kernel_helpers.engine.context import NotebookContext

        context = self._session_context()
        if "tf" not in context.bindings:
            own = NotebookContext.from_cells([cell])
            if "tf" not in own.bindings:
                context.add_cell(_CONVENTIONAL_IMPORT)
        try:
            return migrate(cell, level=level, unsafe=unsafe, context=context)
        except ValueError as error:  # an unknown level
            raise UsageError(str(error)) from None

    def _session_context(self):
        """The imports of this session's raw inputs: the notebook's imports are usually in an earlier cell."""
        from kernel_helpers.engine.context import NotebookContext

        history = getattr(self.shell, "history_manager", None)
        raw = list(getattr(history, "input_hist_raw", []) or [])
        if self._context is None or len(raw) < self._cells_seen:  # a new or reset history
            self._context, self._cells_seen = NotebookContext(), 0
        for text in raw[self._cells_seen:]:
            if isinstance(text, str):
                self._context.add_cell(text)
        self._cells_seen = len(raw)
        return NotebookContext(dict(self._context.bindings), set(self._context.compiled_metrics))

    # -- %%tf2_compare --------------------------------------------------------------------

    @magic_arguments()
    @argument("--rtol", type=float, default=1e-6, help="relative tolerance (default 1e-6)")
    @argument("--atol", type=float, default=1e-5, help="absolute tolerance (default 1e-5)")
    @argument("--timeout", type=float, default=None, help="seconds the reference side may take")
    @argument("--migrated", metavar="VAR", default=None,
              help="name of a string variable holding the migrated code (default: migrate the cell)")
    @argument("--reset", action="store_true", help="restart the reference (TF1) side")
    @line_cell_magic
    def tf2_compare(self, line, cell=None):
        """Run the cell as TF1 (reference kernel) and migrated (here), and show values side by side."""
        args = parse_argstring(self.tf2_compare, line)
        if cell is None and not args.reset:
            raise UsageError("%%tf2_compare runs a cell: put the TF1 code below the magic line, "
                             "or use %tf2_compare --reset")
        comparison = import_module("kernel_helpers.compare")
        if args.reset:
            comparison.reset()
            display(_Message("tf2-migrate: the reference (TF1) side was restarted."))
        if cell is None:
            return
        if args.migrated is None:
            # Migrated here rather than by compare(), so the session's earlier imports count.
            migrated = self._migrate(cell, "tf2", False).source
        else:
            if args.migrated not in self.shell.user_ns:
                raise UsageError(f"--migrated: no variable named {args.migrated!r}")
            migrated = self.shell.user_ns[args.migrated]
            if not isinstance(migrated, str):
                raise UsageError(f"--migrated: {args.migrated!r} must hold the migrated code as a string, "
                                 f"not {type(migrated).__name__}")
        options = {"rtol": args.rtol, "atol": args.atol}
        if args.timeout is not None:
            options["timeout"] = args.timeout
        display(comparison.compare(cell, migrated, **options))

    # -- %tf2_migrate_notebook ------------------------------------------------------------

    @magic_arguments()
    @argument("input", help="the TF1 notebook (.ipynb); it is never modified")
    @argument("-o", "--output", default=None, help="where to write the migrated notebook "
                                                    "(default: INPUT.tf2.ipynb beside the input)")
    @argument("--level", choices=("compat", "tf2"), default="tf2")
    @argument("--unsafe-fixes", action="store_true")
    @argument("--verify", action="store_true", help="execute both notebooks and compare them cell by cell")
    @argument("--report", metavar="DIR", default=None,
              help="folder for the verify report (default: beside the output)")
    @argument("--timeout", type=float, default=None, help="seconds per cell when verifying")
    @line_magic
    def tf2_migrate_notebook(self, line):
        """Migrate a notebook file into a new file; with --verify, run both and compare."""
        from kernel_helpers.fileio import atomic_write
        from kernel_helpers.notebook.io import NotebookReadError
        from kernel_helpers.notebook.migrate import migrate_notebook
        from kernel_helpers.widgets import NotebookSummary

        args = parse_argstring(self.tf2_migrate_notebook, line)
        source = Path(os.path.expanduser(_unquote(args.input)))
        if not source.is_file():
            raise UsageError(f"no such notebook: {source}")
        target = Path(os.path.expanduser(_unquote(args.output))) if args.output else \
            source.with_name(source.stem + ".tf2" + source.suffix)
        if target.exists() and target.resolve() == source.resolve():
            raise UsageError("-o names the input itself; the input notebook is never overwritten")
        try:
            nbm = migrate_notebook(source, level=args.level, unsafe=args.unsafe_fixes)
        except (NotebookReadError, OSError, ValueError) as error:
            raise UsageError(f"cannot migrate {source}: {error}") from None
        if nbm.skipped:
            display(_Message(f"tf2-migrate: {source}: skipped: {nbm.skipped}"))
            return
        if nbm.validation_errors:
            raise UsageError("the migrated notebook does not validate: " + "; ".join(nbm.validation_errors[:3]))
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, nbm.dumps().encode("utf-8"))
        display(NotebookSummary(str(source), str(target), nbm))
        if args.verify:
            from kernel_helpers.notebook.verify import report_paths, verify_notebook, write_reports

            options = {} if args.timeout is None else {"timeout": args.timeout}
            result = verify_notebook(source, target, **options)
            md_path, html_path = report_paths(source, args.report if args.report else target.parent)
            write_reports(result, md_path, html_path)
            display(result)


class _Message:
    """A one-line note that renders as text and HTML alike."""

    def __init__(self, text: str):
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, "text/html": f"<p>{html.escape(self.text)}</p>"}


def _cell_key(cell: str, level: str, unsafe: bool) -> str:
    return hashlib.sha256(f"{level}\0{unsafe}\0{cell}".encode("utf-8")).hexdigest()


def _unquote(text: str) -> str:
    # magic_arguments keeps quotes that shlex-style splitting would strip in a shell.
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def load_ipython_extension(ipython) -> None:
    ipython.register_magics(MigrationMagics)


def unload_ipython_extension(ipython) -> None:
    # IPython has no API to unregister magics; reloading registers a fresh instance over them.
    pass
