"""Compare a TF1 callable with its TF2 successor: keyword renames, dropped keywords, argument order.

Keyword renames are read from TensorFlow's own source: TF1 wrappers accept a deprecated alias and
resolve it with ``deprecation.deprecated_argument_lookup(new_name, new_value, old_name, old_value)``,
or mark it with ``@deprecation.deprecated_args(date, instructions, *old_names)`` whose instructions
name the replacement ("keep_dims is deprecated, use keepdims instead").
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from dataclasses import dataclass

_NAMED = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Params:
    """The parts of a signature that matter for rewriting call sites."""

    positional: tuple[str, ...]
    named: frozenset[str]
    required: frozenset[str]
    var_keyword: bool


def params_of(obj) -> Params | None:
    """Parameters of a function, or of a class's constructor; ``None`` when Python cannot tell."""
    from .walker import unwrap

    target = obj
    drop_first = False
    if inspect.isclass(obj):
        # inspect.signature(cls) may follow a metaclass __call__ (tf.Variable's) and report (*args, **kwargs).
        target = obj.__init__
        drop_first = True
    try:
        signature = inspect.signature(unwrap(target) if drop_first else target)
    except (TypeError, ValueError):
        return None
    parameters = list(signature.parameters.values())
    if drop_first and parameters and parameters[0].kind in _POSITIONAL:
        parameters = parameters[1:]
    if drop_first and _is_opaque(parameters):
        return None  # object.__init__ or a bare (*args, **kwargs) passthrough
    return Params(
        positional=tuple(p.name for p in parameters if p.kind in _POSITIONAL),
        named=frozenset(p.name for p in parameters if p.kind in _NAMED),
        required=frozenset(p.name for p in parameters if p.kind in _NAMED and p.default is inspect.Parameter.empty),
        var_keyword=any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters),
    )


def _is_opaque(parameters) -> bool:
    return all(p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD) for p in parameters)


def _source_tree(obj) -> ast.AST | None:
    from .walker import unwrap

    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        source = inspect.getsource(unwrap(target))
    except (OSError, TypeError):
        return None
    try:
        return ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return None


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _argument(call: ast.Call, position: int, keyword: str):
    if position < len(call.args):
        return call.args[position]
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    return None


def deprecated_aliases(obj, new_params: Params) -> dict[str, str]:
    """``{old_keyword: new_keyword}`` stated in ``obj``'s source, limited to keywords that ``new_params`` accepts."""
    tree = _source_tree(obj)
    if tree is None:
        return {}
    renames: dict[str, str] = {}
    transformed: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = _called_name(node)
        if called == "deprecated_argument_lookup":
            new = _string(_argument(node, 0, "new_name"))
            old = _string(_argument(node, 2, "old_name"))
            old_value = _argument(node, 3, "old_value")
            # Only a pass-through is a rename: nn.dropout hands over ``1 - keep_prob`` as "keep_prob",
            # which needs a value rewrite, not a keyword rename.
            if old and not (isinstance(old_value, ast.Name) and old_value.id == old):
                transformed.add(old)
            elif new and old and new in new_params.named:
                renames.setdefault(old, new)
        elif called == "deprecated_args":
            for old, new in _renames_from_instructions(node, new_params).items():
                renames.setdefault(old, new)
    # The body's own lookup is the more precise fact: an instruction such as "use rate instead of
    # keep_prob" does not say that the value changes too.
    return {old: new for old, new in renames.items() if old not in transformed}


def _renames_from_instructions(call: ast.Call, new_params: Params) -> dict[str, str]:
    instructions = _string(call.args[1]) if len(call.args) > 1 else None
    # (name, value) tuples deprecate one value of an argument, not the argument itself.
    olds = [name for name in map(_string, call.args[2:]) if name]
    if not instructions or not olds:
        return {}
    mentioned = []
    for word in _IDENTIFIER.findall(instructions):
        if word in new_params.named and word not in olds and word not in mentioned:
            mentioned.append(word)
    # "fn1/fn2 are deprecated in favor of the true_fn/false_fn arguments" pairs in order; anything
    # ambiguous is left to the upgrade-script cross-check.
    if len(mentioned) != len(olds):
        return {}
    return dict(zip(olds, mentioned, strict=True))


def removed_keywords(old: Params, new: Params, renames: dict[str, str]) -> frozenset[str]:
    """Keywords of ``old`` that ``new`` neither has nor renames. Unknown when ``new`` takes ``**kwargs``."""
    if new.var_keyword:
        return frozenset()
    return frozenset(name for name in old.named if name not in new.named and name not in renames)


def first_changed_position(old: Params, new: Params, renames: dict[str, str]) -> int | None:
    """The first position at which an ``old`` positional argument would bind to another ``new`` parameter.

    ``None`` when every position of an ``old`` call means the same in ``new`` (after renames).
    """
    for index, name in enumerate(old.positional):
        name = renames.get(name, name)
        # Past the end of new's named positions an argument would land in *args or fail: either
        # way it no longer means what it meant.
        if index >= len(new.positional) or new.positional[index] != name:
            return index
    return None


def is_drop_in(old: Params, new: Params, renames: dict[str, str]) -> bool:
    """Whether a call of ``old`` can become a call of ``new`` by keyword edits alone.

    A required argument of either side without a counterpart on the other means the two are
    different functions that happen to share a name (``summary.scalar``'s ``tensor`` vs ``data``,
    ``saved_model.load``'s ``sess``).
    """
    renamed_old_required = {renames.get(name, name) for name in old.required}
    old_counterparts = {renames.get(name, name) for name in old.named}
    if not new.var_keyword and not renamed_old_required <= new.named:
        return False
    return new.required <= old_counterparts
