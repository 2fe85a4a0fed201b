"""TFM504 flags-to-absl."""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from kernel_helpers.engine.calls import argument
from kernel_helpers.engine.context import import_bindings, is_tf
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.index import argument_names, dotted, function_locals, split_api
from kernel_helpers.engine.registry import Rule, register

#: the spellings of TF1's flags module (``tensorflow.python.platform.flags`` is the module behind both)
FLAG_MODULES = ("flags", "app.flags", "python.platform.flags")
#: TF1's ``run``, which parses the command line before calling ``main``
RUNS = ("app.run", "python.platform.app.run")
#: TF calls that parse the flags themselves (``tf.test.main`` runs absltest)
TF_PARSERS = RUNS + ("test.main",)
ABSL_PARSERS = ("absl.app.run", "absl.testing.absltest.main")
#: TF1's DEFINE wrappers also took the keyword names of TF 1.4; absl's functions do not
OLD_KEYWORDS = {"flag_name": "name", "default_value": "default", "docstring": "help"}
WRAPPED_DEFINES = {"DEFINE_string", "DEFINE_boolean", "DEFINE_bool", "DEFINE_float", "DEFINE_integer"}
#: what TF's module adds to ``from absl.flags import *``: not absl names
NOT_ABSL = {"tf_decorator"}


@register
class FlagsToAbsl(Rule):
    """`tf.app.flags`, `tf.flags` and `tf.app.run`: absl's flags and app in TF 2.

    ## What it does
    Rewrites TF1's flags module (`tf.app.flags`, `tf.flags`, their `tf.compat.v1` spellings, aliases and
    imports of them) to `absl.flags`: `flags = tf.app.flags` becomes `from absl import flags`, so other cells'
    `flags.DEFINE_*` keep working. The TF 1.4 keywords (`flag_name`, `default_value`, `docstring`) of the
    `DEFINE_*` wrappers become `name`, `default` and `help`. `tf.app.run(main, argv)` becomes
    `absl.app.run(main, argv, flags_parser=...)`, with a parser that tolerates unknown flags as TF's did
    (so it also runs in a notebook kernel, whose command line holds `-f <connection file>`). A `tf.app.run()`
    without `main` ran `__main__.main`: it becomes `absl.app.run(main)` when the cell defines a module-level
    `main`, and is reported otherwise.

    TF1's `FLAGS` parsed `sys.argv` on the first read of a flag; absl's raises `UnparsedFlagAccessError`.
    A cell that defines flags or binds `FLAGS`/the flags module and never parses them (no `FLAGS(argv)`,
    `mark_as_parsed()`, `app.run` or `test.main`) gets `FLAGS(sys.argv, known_only=True)` after the last
    such statement: flags given on the command line are still honoured, and the kernel's `-f` is ignored
    (TF1's implicit parse failed on it, the well-known `UnrecognizedFlagError: Unknown command line flag 'f'`).
    When it ends the cell it gets a `;`, so that a notebook does not print the returned argument list.

    ## Why
    TF 2 has no `tf.app` or `tf.flags`; they were wrappers of absl, and `tf.compat.v1.flags` is kept only
    for old code.

    ## Example
    ```python
    import tensorflow as tf
    flags = tf.app.flags
    flags.DEFINE_float("learning_rate", 0.01, "step size")
    FLAGS = flags.FLAGS
    print(FLAGS.learning_rate)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    from absl import flags
    import sys
    flags.DEFINE_float("learning_rate", 0.01, "step size")
    FLAGS = flags.FLAGS
    FLAGS(sys.argv, known_only=True)
    print(FLAGS.learning_rate)
    ```

    ## Fix safety
    Safe: the same flag objects. The inserted parse ignores unknown command-line flags where TF1's first read
    raised on them; a module that defines flags now parses when it is run, so flags defined later (in a
    module imported afterwards) are parsed by the next parse, not by the first read. Flag reads that run
    before the flags are defined or parsed (a module-level read above the parse point, or flags defined
    inside a function) are reported instead, and the code stays on `tf.compat.v1`.
    """

    code = "TFM504"
    name = "flags-to-absl"
    level = "graph"  # its output runs with TF1's graph runtime too
    priority = 55

    def check(self, cell):
        if not (any(_tf_path(ref.qualname) is not None or _is_tf_parser(ref.qualname, RUNS) for ref in cell.refs)
                or any(_tf_path(q) is not None for imp in cell.imports for _, q, _ in imp.bindings)):
            return
        scan = _Scan(cell)
        yield from self._keywords(cell, scan)
        yield from self._runs(cell, scan)
        problem = scan.problem()
        if problem is not None:
            node, message = problem
            start, end = cell.source.span(node)
            yield self.finding(cell, start, end, message, Applicability.MANUAL)
            return
        yield from self._imports(cell, scan)
        yield from self._bindings(cell, scan)
        yield from self._uses(cell, scan)
        yield from self._parse(cell, scan)

    # -- the fixes --------------------------------------------------------------------------------------
    def _keywords(self, cell, scan):
        for call, member in scan.defines:
            if member not in WRAPPED_DEFINES:
                continue
            given = {k.arg for k in call.keywords}
            edits = []
            for keyword in call.keywords:
                new = OLD_KEYWORDS.get(keyword.arg)
                if new is not None and new not in given:
                    start = cell.source.offset(keyword.lineno, keyword.col_offset)
                    edits.append((start, start + len(keyword.arg), new))
            if edits:
                names = ", ".join(f"`{cell.source.text[s:e]}`" for s, e, _ in edits)
                yield self.finding(cell, edits[0][0], edits[-1][1],
                                   f"{names}: TF 1.4's keyword names, which absl's `{member}` does not take",
                                   edits=edits)

    def _runs(self, cell, scan):
        for call in scan.runs:
            start, end = cell.source.span(call)
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                yield self.finding(cell, start, end, "`tf.app.run` with unpacked arguments: rewrite it to "
                                   "`absl.app.run(main, argv)` by hand", Applicability.MANUAL)
                continue
            if len(call.args) > 2 or any(k.arg not in ("main", "argv") for k in call.keywords):
                continue  # TF's run rejects these too
            main = argument(call, "main", 0)
            edits = []
            if main is None or (isinstance(main, ast.Constant) and main.value is None):
                if not scan.main_defined(call):
                    yield self.finding(cell, start, end, "`tf.app.run()` without `main` runs `__main__.main`; "
                                       "pass the function: `absl.app.run(main)`", Applicability.MANUAL)
                    continue
                if main is not None:
                    edits.append((*cell.source.span(main), "main"))
            app, app_imports = scan.alias("absl.app", start)
            flags, flags_imports = scan.flags_alias(start)
            parser = f"flags_parser=lambda args: {flags}.FLAGS(args, known_only=True)"
            edits.append((*cell.source.span(call.func), f"{app}.run"))
            values = [*call.args, *(k.value for k in call.keywords)]
            if values:
                if main is None:  # only keywords (``argv=``) are given
                    first = min(cell.source.offset(k.lineno, k.col_offset) for k in call.keywords)
                    edits.append((first, first, "main, "))
                last = max(cell.source.span(v)[1] for v in values)
                edits.append((last, last, f", {parser}"))
            else:
                edits.append((end - 1, end - 1, f"main, {parser}"))
            yield self.finding(cell, start, end, "`tf.app.run` is `absl.app.run` in TF 2; TF's parser ignored "
                               "unknown flags, and so does the one passed", edits=edits,
                               imports=app_imports + flags_imports)

    def _imports(self, cell, scan):
        for imp in cell.imports:
            node = imp.node
            if isinstance(node, ast.ImportFrom):
                groups: dict[str, list[str]] = {}
                changed = False
                for name, qualname, alias in imp.bindings:
                    target = _absl_target(qualname)
                    if target is None:
                        module, member = node.module, alias.name
                    else:
                        (module, _, member), changed = target.rpartition("."), True
                    groups.setdefault(module, []).append(member if member == name else f"{member} as {name}")
                if not changed:
                    continue
                line_start = cell.source.text.rfind("\n", 0, imp.start) + 1
                alone = not cell.source.text[line_start:imp.start].strip()
                separator = "\n" + cell.source.text[line_start:imp.start] if alone else "; "
                text = separator.join(f"from {module} import {', '.join(names)}" for module, names in groups.items())
                yield self.finding(cell, imp.start, imp.end, "TF1's flags module is `absl.flags` in TF 2",
                                   edits=[(imp.start, imp.end, text)])
            else:
                for name, qualname, alias in imp.bindings:
                    if alias.asname and _absl_target(alias.name) == "absl.flags":
                        start, end = cell.source.span(alias)
                        yield self.finding(cell, start, end, "TF1's flags module is `absl.flags` in TF 2",
                                           edits=[(start, end, f"absl.flags as {alias.asname}")])

    def _bindings(self, cell, scan):
        for binding in scan.module_bindings:
            start, end = cell.source.span(binding.stmt)
            name = binding.name
            text = "from absl import flags" + ("" if name == "flags" else f" as {name}")
            yield self.finding(cell, start, end, "TF1's flags module is `absl.flags` in TF 2",
                               edits=[(start, end, text)])

    def _uses(self, cell, scan):
        converted = {id(b.stmt.value) for b in scan.module_bindings}
        for ref in cell.refs:
            path = _tf_path(ref.qualname)
            if path is None or id(ref.node) in converted:
                continue
            members = path.split(".") if path else []
            if members and (members[0].startswith("_") or members[0] in NOT_ABSL):
                continue
            module_qual = ref.qualname.rsplit(".", len(members))[0] if members else ref.qualname
            if not module_qual.startswith(ref.base_qual + "."):
                continue  # named through an import of the module (or of a member): that import is rewritten
            node = ref.node
            for _ in members:
                node = node.value
            start, end = cell.source.span(node)
            text, imports = scan.flags_alias(start)
            old = cell.source.text[start:end]
            yield self.finding(cell, start, end, f"`{old}` is `absl.flags` in TF 2", edits=[(start, end, text)],
                               imports=imports)

    def _parse(self, cell, scan):
        point = scan.parse_point
        if point is None:
            return
        anchor, offset, last = point
        flags_object = scan.flags_object(offset)
        imports: tuple[str, ...] = ("import sys",)
        if flags_object is None:
            alias, alias_imports = scan.flags_alias(offset)
            flags_object, imports = f"{alias}.FLAGS", imports + alias_imports
        text = f"\n{flags_object}(sys.argv, known_only=True)" + (";" if last else "")
        start, end = cell.source.span(anchor)
        yield self.finding(cell, start, end, "TF1's `FLAGS` parsed `sys.argv` on the first read; absl's must be "
                           "parsed before it is read (`known_only=True` also works in a notebook kernel)",
                           edits=[(offset, offset, text)], imports=imports)


# -- name resolution ---------------------------------------------------------------------------------------
def _tf_path(qualname: str | None) -> str | None:
    """The member path within TF1's flags module ("" for the module itself), or None."""
    if not is_tf(qualname):
        return None
    namespace, api = split_api(qualname)
    if namespace not in ("v1", "compat.v1"):
        return None
    for module in FLAG_MODULES:
        if api == module:
            return ""
        if api.startswith(module + "."):
            return api[len(module) + 1:]
    return None


def _absl_path(qualname: str | None) -> str | None:
    if qualname == "absl.flags":
        return ""
    if qualname is not None and qualname.startswith("absl.flags."):
        return qualname[len("absl.flags."):]
    return None


def _is_tf_parser(qualname: str | None, apis: tuple[str, ...]) -> bool:
    if not is_tf(qualname):
        return False
    namespace, api = split_api(qualname)
    return namespace in ("v1", "compat.v1") and api in apis


def _absl_target(qualname: str) -> str | None:
    """What an import of ``qualname`` becomes: the absl module, or one public member of it."""
    path = _tf_path(qualname)
    if path is None:
        return None
    if path == "":
        return "absl.flags"
    if "." in path or path.startswith("_") or path in NOT_ABSL:
        return None
    return f"absl.flags.{path}"


@dataclass
class _Binding:
    """``name = <TF1's flags module>`` or ``name = <its FLAGS>``, the only binding of ``name`` in the cell."""

    stmt: ast.Assign
    name: str
    path: str


@dataclass
class _Scan:
    """One walk of the cell: where TF1 flags are defined, bound, read and parsed."""

    cell: object
    tracked: dict[str, str] = field(default_factory=dict)
    bindings: list[_Binding] = field(default_factory=list)
    #: (call, member) of TF1 ``DEFINE_*`` calls; module-level ones also anchor the parse
    defines: list[tuple[ast.Call, str]] = field(default_factory=list)
    anchors: list[ast.stmt] = field(default_factory=list)
    deferred_defines: list[ast.Call] = field(default_factory=list)
    #: module-level reads of a flag, in order
    reads: list[ast.Attribute] = field(default_factory=list)
    #: offsets of calls that parse the flags; and whether any is at module level
    parses: list[tuple[int, bool]] = field(default_factory=list)
    runs: list[ast.Call] = field(default_factory=list)

    def __post_init__(self):
        cell = self.cell
        self.refq: dict[int, str] = {}
        self.ref_nodes = {id(ref.node) for ref in cell.refs}
        for ref in cell.refs:
            node, qualname = ref.node, ref.qualname
            while True:
                self.refq[id(node)] = qualname
                if not isinstance(node, ast.Attribute):
                    break
                node, qualname = node.value, qualname.rpartition(".")[0]
        self.counts = _binding_counts(cell.tree)
        for stmt in _module_statements(cell.tree.body):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                qualname = self.qual(stmt.value)
                path = _tf_path(qualname)
                if self.counts[name] == 1 and path in ("", "FLAGS"):
                    self.tracked[name] = qualname
                    self.bindings.append(_Binding(stmt, name, path))
        for top in cell.tree.body:
            self.visit(top, top, deferred=False)

    # -- resolution ---------------------------------------------------------------------------------------
    def qual(self, node: ast.AST) -> str | None:
        qualname = self.refq.get(id(node))
        if qualname is not None:
            return qualname
        parts = dotted(node)
        if parts is None:
            return None
        head = self.tracked.get(parts[0])
        if head is None:
            head = self.cell.bound(parts[0])
            if head is None or not (head == "absl" or head.startswith("absl.")):
                return None
        return ".".join([head, *parts[1:]])

    def path(self, node: ast.AST) -> tuple[str, str] | None:
        """("tf" or "absl", member path) when ``node`` names the flags module or something in it."""
        qualname = self.qual(node)
        path = _tf_path(qualname)
        if path is not None:
            return "tf", path
        path = _absl_path(qualname)
        return ("absl", path) if path is not None else None

    # -- the walk -------------------------------------------------------------------------------------
    def visit(self, node: ast.AST, top: ast.stmt, deferred: bool, is_func: bool = False) -> None:
        if isinstance(node, ast.Call):
            self.call(node, top, deferred)
            self.visit(node.func, top, deferred, is_func=True)
            for child in [*node.args, *node.keywords]:
                self.visit(child, top, deferred)
            return
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and not is_func and not deferred:
            found = self.path(node.value)
            if found is not None and found[1] == "FLAGS":
                self.reads.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            for child in [*getattr(node, "decorator_list", []), *arguments.defaults, *arguments.kw_defaults]:
                if child is not None:
                    self.visit(child, top, deferred)
            body = node.body if isinstance(node.body, list) else [node.body]
            for child in body:
                self.visit(child, top, True)
            return
        for child in ast.iter_child_nodes(node):
            self.visit(child, top, deferred)

    def call(self, node: ast.Call, top: ast.stmt, deferred: bool) -> None:
        qualname = self.qual(node.func)
        found = self.path(node.func)
        offset = self.cell.source.span(node)[0]
        if found is not None:
            origin, path = found
            if path in ("FLAGS", "FLAGS.mark_as_parsed"):
                self.parses.append((offset, not deferred))
            elif origin == "tf" and path.startswith("DEFINE"):
                self.defines.append((node, path))
                if deferred:
                    self.deferred_defines.append(node)
                else:
                    self.anchors.append(top)
        elif _is_tf_parser(qualname, TF_PARSERS) or qualname in ABSL_PARSERS:
            self.parses.append((offset, not deferred))
            if _is_tf_parser(qualname, RUNS) and id(node.func) in self.ref_nodes:
                self.runs.append(node)

    # -- decisions ------------------------------------------------------------------------------------
    @cached_property
    def module_bindings(self) -> list[_Binding]:
        """``flags = tf.app.flags`` statements, which become ``from absl import flags``."""
        return [b for b in self.bindings if b.path == "" and id(b.stmt.value) in self.ref_nodes]

    @cached_property
    def parse_point(self) -> tuple[ast.stmt, int, bool] | None:
        """(anchor statement, offset, whether it ends the cell) of the parse to insert, if one is needed."""
        anchors = self.anchors + [self.top_of(b.stmt) for b in self.bindings]
        if self.parses or not anchors:
            return None
        anchor = max(anchors, key=lambda s: self.cell.source.span(s)[1])
        text = self.cell.source.text
        end = self.cell.source.span(anchor)[1]
        newline = text.find("\n", end)
        offset = len(text) if newline < 0 else newline
        last = not any(self.cell.source.span(s)[0] >= offset for s in self.cell.tree.body)
        return anchor, offset, last

    def top_of(self, node: ast.AST) -> ast.stmt:
        start = self.cell.source.span(node)[0]
        return next(s for s in reversed(self.cell.tree.body) if self.cell.source.span(s)[0] <= start)

    def problem(self) -> tuple[ast.AST, str] | None:
        """Why the flags cannot move to absl safely here, if they cannot."""
        source = self.cell.source
        module_parses = [offset for offset, module_level in self.parses if module_level]
        if self.parses:
            before = min(module_parses) if module_parses else None
        else:
            if self.deferred_defines:
                return self.deferred_defines[0], (
                    "flags defined inside a function are parsed, in TF1, on their first read; absl needs an "
                    "explicit parse after they are defined (`FLAGS(sys.argv, known_only=True)`)")
            point = self.parse_point
            before = point[1] if point is not None else -1
        for read in self.reads:
            if before is None or source.span(read)[0] < before:
                return read, (f"`{source.segment(read)}` is read before the flags are parsed: TF1 parsed "
                              "`sys.argv` on the first read, absl raises `UnparsedFlagAccessError`; parse them "
                              "first (`FLAGS(sys.argv, known_only=True)`), then move to `absl.flags`")
        if self.parse_point is not None:
            bound = self.cell.cell_bindings.get("sys", self.cell.context.bindings.get("sys"))
            if bound not in (None, "sys") or (self.counts["sys"] and self.cell.cell_bindings.get("sys") != "sys"):
                return self.parse_point[0], ("`sys` names something else here; parse the flags by hand "
                                        "(`FLAGS(sys.argv, known_only=True)`) and move to `absl.flags`")
        return None

    def main_defined(self, call: ast.Call) -> bool:
        """Whether ``main`` in the call's scope is a module-level binding of this cell (``__main__.main``)."""
        defined = any(name == "main" for stmt in _module_statements(self.cell.tree.body)
                      for name in _statement_names(stmt))
        if not defined:
            return False
        start, end = self.cell.source.span(call)
        for node in ast.walk(self.cell.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                s, e = self.cell.source.span(node)
                if s <= start and end <= e:
                    local = (argument_names(node.args) if isinstance(node, ast.Lambda) else function_locals(node))
                    if "main" in local:
                        return False
        return True

    # -- spelling -------------------------------------------------------------------------------------
    def alias(self, module: str, at: int) -> tuple[str, tuple[str, ...]]:
        """A name bound to ``module`` by an import (the cell's or the notebook's), else its dotted path."""
        for name, qualname in self.cell.context.bindings.items():
            if qualname == module and self.counts[name] == 0:
                return name, ()
        for imp in self.cell.imports:
            for name, qualname, _ in imp.bindings:
                if qualname == module and self._module_import(name, qualname) and imp.start < at:
                    return name, ()
        return module, (f"import {module}",)

    def _module_import(self, name: str, qualname: str) -> bool:
        """Whether a module-level import is the one binding of ``name`` in the cell."""
        return self.counts[name] == 1 and self.cell.cell_bindings.get(name) == qualname

    def flags_alias(self, at: int) -> tuple[str, tuple[str, ...]]:
        """How ``absl.flags`` is spelled at ``at`` once the cell is migrated."""
        name, imports = self.alias("absl.flags", at)
        if not imports:
            return name, ()
        # names bound to TF1's flags module by imports or ``flags = tf.app.flags``: both become absl's
        for name, qualname in self.cell.context.bindings.items():
            if _tf_path(qualname) == "" and self.counts[name] == 0:
                return name, ()
        for imp in self.cell.imports:
            for name, qualname, _ in imp.bindings:
                if _absl_target(qualname) == "absl.flags" and self._module_import(name, qualname) and imp.start < at:
                    return name, ()
        for binding in self.module_bindings:
            if self.cell.source.span(binding.stmt)[1] <= at:
                return binding.name, ()
        return "absl.flags", ("import absl.flags",)

    def flags_object(self, at: int) -> str | None:
        """A name bound to ``FLAGS`` before ``at``."""
        names = [b.name for b in self.bindings if b.path == "FLAGS" and self.cell.source.span(b.stmt)[1] <= at]
        return names[-1] if names else None


def _module_statements(body: list[ast.stmt]):
    """The statements that run in the module's scope: into blocks, not into functions or classes."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for part in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, part, None)
            if isinstance(inner, list):
                yield from _module_statements(inner)
        for handler in getattr(stmt, "handlers", []):
            yield from _module_statements(handler.body)
        for case in getattr(stmt, "cases", []):
            yield from _module_statements(case.body)


def _statement_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [name for name, _, _ in import_bindings(stmt)]
    if isinstance(stmt, ast.Assign):
        return [n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def _binding_counts(tree: ast.Module) -> Counter:
    """How often each name is bound anywhere in the cell (any scope, any kind of binding)."""
    counts: Counter = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            counts[node.id] += 1
        elif isinstance(node, ast.arg):
            counts[node.arg] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            counts[node.name] += 1
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for name, _, _ in import_bindings(node):
                counts[name] += 1
        elif isinstance(node, ast.ExceptHandler) and node.name:
            counts[node.name] += 1
        else:
            for attribute in ("name", "rest"):  # match patterns
                value = getattr(node, attribute, None) if type(node).__name__.startswith("Match") else None
                if isinstance(value, str):
                    counts[value] += 1
    return counts
