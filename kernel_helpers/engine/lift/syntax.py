"""Small readings of Python syntax that the lifting's modules share."""

from __future__ import annotations

import ast
import io
import tokenize

from ..index import argument_names
from .model import NotLiftable


def argument(call: ast.Call, name: str, position: int | None) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def by_parameter(call: ast.Call, params) -> dict[str, ast.expr]:
    """The arguments a call gives, by parameter: the positional ones in ``params``' order, then the named ones."""
    return {**dict(zip(params, call.args)), **{k.arg: k.value for k in call.keywords}}


def named_arguments(call: ast.Call, positional: tuple[str, ...], what: str) -> dict[str, ast.expr]:
    """A TF1 call's arguments by parameter name, ``positional`` giving the order it took them in; refused (with
    ``what``, the call's name) when they are unpacked with * or ** or more are given by position."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise NotLiftable(f"`{what}` is called with *args or **kwargs", node=call)
    if len(call.args) > len(positional):
        raise NotLiftable(f"`{what}` is given positional arguments whose meaning changed between TF1 releases; "
                          "pass them by keyword", node=call)
    return by_parameter(call, positional)


def is_none(node: ast.expr | None) -> bool:
    """An argument left out, or given as None."""
    return node is None or isinstance(node, ast.Constant) and node.value is None


def sequence(values: list[str], like: ast.expr) -> str:
    if isinstance(like, ast.Tuple):
        return f"({values[0]},)" if len(values) == 1 else f"({', '.join(values)})"
    return f"[{', '.join(values)}]"


#: nodes under which one call would run several times
REPEATING = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
             ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def repeated(statements: list[ast.stmt]) -> set[int]:
    """The ids of the nodes that sit inside a loop, comprehension or nested function among ``statements``."""
    return {id(n) for stmt in statements for r in ast.walk(stmt) if isinstance(r, REPEATING)
            for n in ast.walk(r) if r is not n}


def store_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def walk_loads(node: ast.AST, shadow: frozenset[str] = frozenset()):
    """(node, is_local) over an expression, with names bound by lambdas and comprehensions as local."""
    def local(name: str, bound=shadow) -> bool:
        return name in bound

    yield node, local
    inner = shadow
    if isinstance(node, ast.Lambda):
        inner = shadow | argument_names(node.args)
    elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        inner = shadow | {n for g in node.generators for n in store_names(g.target)}
    for child in ast.iter_child_nodes(node):
        yield from walk_loads(child, frozenset(inner))


def body_without_docstring(func: ast.FunctionDef) -> list[ast.stmt]:
    """The function's statements after its docstring, if it has one."""
    documented = func.body and isinstance(func.body[0], ast.Expr) and isinstance(func.body[0].value, ast.Constant) \
        and isinstance(func.body[0].value.value, str)
    return func.body[1:] if documented else func.body


def returns_one_value(func: ast.FunctionDef) -> bool:
    """Whether every ``return`` of ``func`` gives one computed value (a call or arithmetic, or a name only ever bound
    to one), not a tuple, list or dict that a run would return as a structure."""
    single = (ast.Call, ast.BinOp, ast.UnaryOp, ast.Subscript)
    nested = {id(n) for d in ast.walk(func) if d is not func
              and isinstance(d, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in ast.walk(d)}
    returns = [n for n in ast.walk(func) if isinstance(n, ast.Return) and id(n) not in nested]
    bound: dict[str, list] = {}
    for node in ast.walk(func):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.With, ast.NamedExpr)) \
                and id(node) not in nested:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                for name in store_names(target) if target is not None else ():
                    plain = isinstance(node, ast.Assign) and isinstance(target, ast.Name)
                    bound.setdefault(name, []).append(node.value if plain else None)
    return bool(returns) and all(
        isinstance(r.value, single) or isinstance(r.value, ast.Name) and bound.get(r.value.id)
        and all(isinstance(v, single) for v in bound[r.value.id]) for r in returns)


def contains_fetch_site(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("run", "eval")
               for n in ast.walk(node))


def strings_across_lines(text: str) -> list[int]:
    """The first lines (1-based) of the string literals in ``text`` whose own text runs over a line break: triple-quoted
    ones and backslash-continued ones. Re-indenting their lines would change their values. Strings only joined across
    lines (``"a" \\`` then ``"b"``) are not among them. Text that does not tokenize counts as one, at line 1."""
    fstring_start = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+ splits f-strings into tokens
    found, opened = [], []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.start[0] != token.end[0]:
                found.append(token.start[0])
            elif fstring_start is not None and token.type == fstring_start:
                opened.append(token.start[0])
            elif fstring_start is not None and token.type == tokenize.FSTRING_END and opened:
                first = opened.pop()
                if first != token.end[0]:
                    found.append(first)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [1]
    return found
