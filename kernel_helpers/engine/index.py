"""One pass over a cell's syntax tree that finds every reference to TensorFlow.

Rules read the index instead of walking the tree themselves, so a cell is walked once however many
rules there are (the analysis runs on every keystroke).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .context import TF, NotebookContext, import_bindings, is_tf
from .source import Source


def dotted(node: ast.AST) -> list[str] | None:
    """``["tf", "nn", "dropout"]`` for ``tf.nn.dropout``; None unless the node is a pure name chain."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def split_api(qualname: str) -> tuple[str, str]:
    """``("v1", "nn.dropout")`` for ``tensorflow.nn.dropout``; namespaces are v1, compat.v1 and v2.

    Plain ``tensorflow.X`` is read as the TF1 API: that is what the code being migrated was written against.
    """
    rest = qualname[len(TF) + 1:] if qualname != TF else ""
    for prefix, namespace in (("compat.v1", "compat.v1"), ("compat.v2", "v2")):
        if rest == prefix:
            return namespace, ""
        if rest.startswith(prefix + "."):
            return namespace, rest[len(prefix) + 1:]
    return "v1", rest


@dataclass(frozen=True)
class TfRef:
    """A name or attribute chain that resolves into TensorFlow, e.g. ``tf.nn.dropout`` or ``placeholder``."""

    node: ast.expr
    qualname: str
    base: str
    base_qual: str
    start: int
    end: int
    call: ast.Call | None = None
    #: "v1", "compat.v1" or "v2", and the API name within it (``split_api``); every rule reads them
    namespace: str = ""
    api: str = ""


@dataclass(frozen=True)
class ImportRef:
    node: ast.Import | ast.ImportFrom
    start: int
    end: int
    #: (bound name, qualified name, alias node)
    bindings: tuple[tuple[str, str, ast.alias], ...]


@dataclass
class CellIndex:
    source: Source
    tree: ast.Module
    context: NotebookContext
    refs: list[TfRef] = field(default_factory=list)
    imports: list[ImportRef] = field(default_factory=list)
    #: calls of the form ``<expr>.name(...)`` on values that are not TensorFlow names, by ``name``
    #: (methods of TF objects, e.g. ``dataset.make_one_shot_iterator()``)
    method_calls: dict[str, list[ast.Call]] = field(default_factory=dict)
    #: attribute reads ``<expr>.name`` on values that are not TensorFlow names, by ``name``
    attributes: dict[str, list[ast.Attribute]] = field(default_factory=dict)
    #: names bound by this cell's own imports (for import insertion and root aliases)
    cell_bindings: dict[str, str] = field(default_factory=dict)
    #: results that several rules share, computed once per cell (see ``engine.moves``)
    memo: dict = field(default_factory=dict)

    def root_alias(self) -> str | None:
        names = [n for n, q in self.cell_bindings.items() if q == TF]
        if "tf" in names:
            return "tf"
        return names[0] if names else self.context.root_alias()

    def bound(self, name: str) -> str | None:
        """What ``name`` is bound to by imports visible to this cell (None when unbound or not an import)."""
        return self.cell_bindings.get(name, self.context.bindings.get(name))

    @property
    def touches_tensorflow(self) -> bool:
        return bool(self.refs) or any(is_tf(q) for q in self.cell_bindings.values()) or self.context.touches_tensorflow


def build_index(source: Source, tree: ast.Module, context: NotebookContext) -> CellIndex:
    index = CellIndex(source, tree, context)
    _Indexer(index).run()
    return index


_LOCAL = None  # a name bound by something other than an import: not TensorFlow


class _Indexer:
    def __init__(self, index: CellIndex):
        self.index = index
        self.scopes: list[dict[str, str | None]] = [dict(index.context.bindings)]

    def run(self) -> None:
        for stmt in self.index.tree.body:
            self.stmt(stmt)

    # -- scopes ---------------------------------------------------------------------------------------
    def lookup(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind_target(self, target: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self.scopes[-1][target.id] = _LOCAL
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self.bind_target(elt)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value)
        else:  # attribute or subscript targets read their base
            self.expr(target)

    def new_scope(self, bound: set[str]) -> None:
        self.scopes.append({name: _LOCAL for name in bound})

    # -- statements -----------------------------------------------------------------------------------
    def stmt(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bindings = tuple(import_bindings(node))
            start, end = self.index.source.span(node)
            self.index.imports.append(ImportRef(node, start, end, bindings))
            for name, qualname, _ in bindings:
                self.scopes[-1][name] = qualname
                if len(self.scopes) == 1:
                    self.index.cell_bindings[name] = qualname
        elif isinstance(node, ast.Assign):
            self.expr(node.value)
            for target in node.targets:
                self.bind_target(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            if node.value is not None:
                self.expr(node.value)
            if isinstance(node, ast.AnnAssign):
                self.expr(node.annotation)
            self.bind_target(node.target)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expr(node.iter)
            self.bind_target(node.target)
            self.body(node.body + node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.bind_target(item.optional_vars)
            self.body(node.body)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for expr in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if expr is not None:
                    self.expr(expr)
            self.scopes[-1][node.name] = _LOCAL
            self.new_scope(function_locals(node))
            self.body(node.body)
            self.scopes.pop()
        elif isinstance(node, ast.ClassDef):
            for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
                self.expr(expr)
            self.scopes[-1][node.name] = _LOCAL
            self.new_scope(set())
            self.body(node.body)
            self.scopes.pop()
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.body(node.body)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expr(handler.type)
                if handler.name:
                    self.scopes[-1][handler.name] = _LOCAL
                self.body(handler.body)
            self.body(node.orelse + node.finalbody)
        else:
            self.children(node)

    def body(self, stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            self.stmt(stmt)

    def children(self, node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self.stmt(child)
            elif isinstance(child, ast.expr):
                self.expr(child)
            else:
                self.children(child)

    # -- expressions ----------------------------------------------------------------------------------
    def expr(self, node: ast.expr, call: ast.Call | None = None) -> None:
        if isinstance(node, ast.Constant):
            return  # the commonest leaf: nothing to resolve
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self.reference(node, [node.id], call)
            return
        if isinstance(node, ast.Attribute):
            parts = dotted(node)
            if parts is None or not self.reference(node, parts, call):
                self.member(node, call)
                if parts is None:
                    self.expr(node.value)
            return
        if isinstance(node, ast.Call):
            self.expr(node.func, call=node)
            for arg in node.args:
                self.expr(arg)
            for keyword in node.keywords:
                self.expr(keyword.value)
        elif isinstance(node, ast.NamedExpr):
            self.expr(node.value)
            self.bind_target(node.target)
        elif isinstance(node, ast.Lambda):
            for expr in [*node.args.defaults, *node.args.kw_defaults]:
                if expr is not None:
                    self.expr(expr)
            self.new_scope(argument_names(node.args))
            self.expr(node.body)
            self.scopes.pop()
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            self.new_scope(set())
            for generator in node.generators:
                self.expr(generator.iter)
                self.bind_target(generator.target)
                for condition in generator.ifs:
                    self.expr(condition)
            for part in ("elt", "key", "value"):
                if hasattr(node, part):
                    self.expr(getattr(node, part))
            self.scopes.pop()
        else:
            self.children(node)

    def reference(self, node: ast.expr, parts: list[str], call: ast.Call | None) -> bool:
        if not isinstance(getattr(node, "ctx", ast.Load()), ast.Load):
            return False
        base_qual = self.lookup(parts[0])
        if not is_tf(base_qual):
            return False
        qualname = ".".join([base_qual, *parts[1:]])
        start, end = self.index.source.span(node)
        namespace, api = split_api(qualname)
        self.index.refs.append(TfRef(node, qualname, parts[0], base_qual, start, end, call, namespace, api))
        return True

    def member(self, node: ast.Attribute, call: ast.Call | None) -> None:
        if call is not None:
            self.index.method_calls.setdefault(node.attr, []).append(call)
        else:
            self.index.attributes.setdefault(node.attr, []).append(node)


def argument_names(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def function_locals(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names a function binds anywhere in its own body: Python makes them local for the whole body."""
    bound = argument_names(func.args)
    declared_global: set[str] = set()
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            continue
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared_global.update(node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            continue  # function-level imports are bound by stmt() as imports, in order
        stack.extend(ast.iter_child_nodes(node))
    return bound - declared_global
