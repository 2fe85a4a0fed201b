"""Reading TF1 graph values after a cell ran: the live session, or the last one that closed.

TF1 cells compute in a ``tf.Session`` that is often a ``with`` block, closed when the cell ends.
The runtime keeps weak references to every session, and when one closes it first reads the
values of the graph's global variables (what they were when the session ended), so that Compare
can still report trained weights after ``with tf.Session() as sess: ...``.

:func:`evaluate` never runs anything that would change the kernel's state: a tensor whose graph
would run an assignment, an optimizer update, an iterator or a queue is reported, not evaluated.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np

__all__ = ["evaluate", "install", "live_sessions"]

_sessions: list[weakref.ref] = []
# (id(graph), variable name) -> value when the last session on that graph closed
_closed_values: dict[tuple[int, str], np.ndarray] = {}
_lock = threading.Lock()
_installed = {"flag": False}

# Stateful ops that only read state, or that the random alignment turns into constants.
_READ_ONLY_STATEFUL = frozenset({
    "VarHandleOp", "VariableV2", "Variable", "ReadVariableOp", "VarIsInitializedOp", "IsVariableInitialized",
    "RandomStandardNormal", "RandomUniform", "RandomUniformInt", "TruncatedNormal", "RandomShuffle",
    "PyFunc", "PyFuncStateless", "EagerPyFunc", "Placeholder", "PlaceholderWithDefault",
})
# Ops that take a reference variable as input only to read it.
_REF_READERS = frozenset({"Identity", "IsVariableInitialized", "RefIdentity"})


def install() -> None:
    """Track sessions from now on (idempotent)."""
    if _installed["flag"]:
        return
    from tensorflow.python.client import session as session_module

    base = session_module.BaseSession
    original_init, original_close = base.__init__, base.close

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        with _lock:
            _sessions.append(weakref.ref(self))

    def close(self):
        if not getattr(self, "_closed", True) and not getattr(self, "_tf2m_scratch", False):
            _remember_variables(self)
        return original_close(self)

    __init__.__wrapped__ = original_init
    close.__wrapped__ = original_close
    base.__init__ = __init__
    base.close = close
    _installed["flag"] = True


def _remember_variables(session: Any) -> None:
    try:
        graph = session.graph
        variables = graph.get_collection("variables")
        if not variables:
            return
        try:
            values = session.run(variables)
        except Exception:  # noqa: BLE001 - some are uninitialized: read them one by one
            values = []
            for variable in variables:
                try:
                    values.append(session.run(variable))
                except Exception:  # noqa: BLE001
                    values.append(None)
        for variable, value in zip(variables, values):
            if value is not None:
                _closed_values[(id(graph), variable.name)] = np.asarray(value)
    except Exception:  # noqa: BLE001 - closing must never fail because of this
        return


def _forget(session: Any) -> None:
    with _lock:
        _sessions[:] = [ref for ref in _sessions if ref() is not session]


def live_sessions(graph: Any = None) -> list[Any]:
    """Open sessions, newest first, optionally only those on ``graph``."""
    with _lock:
        alive = [ref() for ref in _sessions]
        _sessions[:] = [ref for ref, session in zip(list(_sessions), alive) if session is not None]
    found = [s for s in reversed(alive) if s is not None and not getattr(s, "_closed", False)]
    if graph is not None:
        found = [s for s in found if s.graph is graph]
    return found


def evaluate(value: Any) -> tuple[np.ndarray | None, str]:
    """(value as numpy or None, note) for a TF1 graph tensor or variable."""
    graph = getattr(value, "graph", None)
    if graph is None:
        return None, "not a graph tensor"
    is_variable = hasattr(value, "initializer") and hasattr(value, "initial_value")
    blocker = _blocking_op(value)
    if blocker is not None:
        return None, blocker
    if not is_variable and reads_variables(value):
        array, note = _evaluate_tensor(value, graph)
        return array, note or RECOMPUTED_NOTE
    return _evaluate_tensor(value, graph) if not is_variable else _evaluate_variable(value, graph)


#: Note on a tensor that reads variables: its value is recomputed after the cell ran, from the
#: variables' values then (after training steps, not what the cell last computed).
RECOMPUTED_NOTE = "recomputed after the cell from the variables' current values"


def reads_variables(value: Any) -> bool:
    """Whether the graph behind ``value`` reads any variable."""
    for op in _ops_behind(value):
        if op.type in ("VarHandleOp", "VariableV2", "Variable", "ReadVariableOp"):
            return True
    return False


def _ops_behind(value: Any):
    op = getattr(value, "op", None)
    if op is None:
        return
    seen = set()
    stack = [op]
    while stack:
        current = stack.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        yield current
        stack.extend(tensor.op for tensor in current.inputs)
        stack.extend(current.control_inputs)


def _evaluate_tensor(value: Any, graph: Any) -> tuple[np.ndarray | None, str]:
    for session in live_sessions(graph):
        try:
            return np.asarray(session.run(value)), ""
        except Exception as error:  # noqa: BLE001
            if type(error).__name__ != "FailedPreconditionError":
                return None, f"not evaluated: {type(error).__name__}: {_first_line(error)}"
            break
    return _in_fresh_session(graph, value, "evaluated in a fresh session")


def _evaluate_variable(value: Any, graph: Any) -> tuple[np.ndarray | None, str]:
    target = value
    for session in live_sessions(graph):
        try:
            return np.asarray(session.run(target)), ""
        except Exception as error:  # noqa: BLE001
            if type(error).__name__ != "FailedPreconditionError":
                return None, f"not evaluated: {type(error).__name__}: {_first_line(error)}"
            break  # uninitialized in the live session: fall back below
    remembered = _closed_values.get((id(graph), value.name))
    if remembered is not None:
        return remembered, "value when its session closed"
    return _in_fresh_session(graph, value.initial_value, "initial value (no session initialized it)")


def _in_fresh_session(graph: Any, tensor: Any, note: str) -> tuple[np.ndarray | None, str]:
    from tensorflow.python.client import session as session_module

    if _blocking_op(tensor) is not None:
        return None, _blocking_op(tensor)
    try:
        # A scratch session: it only reads, is not tracked and remembers nothing when it closes.
        with session_module.Session(graph=graph) as session:
            session._tf2m_scratch = True
            _forget(session)
            return np.asarray(session.run(tensor)), note
    except Exception as error:  # noqa: BLE001
        reason = _first_line(error)
        if type(error).__name__ == "FailedPreconditionError":
            reason = "it reads variables that no session initialized"
        return None, f"not evaluated: {reason}"


def _blocking_op(value: Any) -> str | None:
    """Why evaluating ``value`` would be wrong (a feed needed, state changed), or None."""
    for current in _ops_behind(value):
        if current.type == "Placeholder":
            return f"not evaluated: it needs a value for placeholder '{current.name}'"
        stateful = getattr(current.op_def, "is_stateful", False) if current.op_def is not None else False
        # TF1 reference variables are changed by ops that take them as ref inputs (Assign,
        # AssignAdd, ApplyAdam, ...); those ops are not marked stateful.
        mutates_ref = current.type not in _REF_READERS and any(
            getattr(tensor.dtype, "_is_ref_dtype", False) for tensor in current.inputs)
        if (stateful and current.type not in _READ_ONLY_STATEFUL) or mutates_ref:
            return f"not evaluated: it would run the stateful op '{current.name}' ({current.type})"
    return None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__
