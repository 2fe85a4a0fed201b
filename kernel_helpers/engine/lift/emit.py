"""Source text of the lifted code: tensor functions, train steps and the calls that replace graph runs."""

from __future__ import annotations

import ast

from ..edits import apply_edits
from .model import GraphName, Kind

INDENT = "    "


def call(graph: GraphName, arguments: list[str] | None = None) -> str:
    """``name(a, b)``; inside another tensor's function the placeholders are passed on by name."""
    if graph.kind not in (Kind.TENSOR, Kind.TRAIN, Kind.SUMMARY):
        return graph.name
    args = list(graph.params) if arguments is None else arguments
    return f"{graph.name}({', '.join(args)})"


def relative(segment: str, start: int, edits: list[tuple[int, int, str]]) -> str:
    return apply_edits(segment, [(s - start, e - start, r) for s, e, r in edits])


def fresh(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def tensor_function(name: str, signature: str, body: str, conversions: list[tuple[str, str]], tf: str) -> str:
    lines = [f"def {name}({signature}):"]
    # A feed was converted to the placeholder's dtype by the session; an eager op would reject a float64 array.
    for param, dtype in conversions:
        lines.append(f"{INDENT}{param} = {tf}.convert_to_tensor({param}, {dtype})")
    # Continuation lines of the body sit inside brackets (or after a backslash), where indentation does not
    # matter, so only the first line moves. Brackets around the whole value are not part of it: they come back.
    lines.append(f"{INDENT}return {body}" if "\n" not in body or _parses(body) else f"{INDENT}return ({body})")
    return "\n".join(lines)


def _parses(expression: str) -> bool:
    try:
        ast.parse(expression, mode="eval")
    except SyntaxError:
        return False
    return True


def watch(tape: str, variables: list[str]) -> list[str]:
    """``tape.watch([...])`` for variables made with ``trainable=False`` that a step differentiates (a ``var_list``
    may name them, as TF1 allowed): a tape records them only when told to."""
    return [f"{tape}.watch([{', '.join(variables)}])"] if variables else []


def train_step(graph: GraphName, tf: str, optimizer_text: str | None, signature: str,
               decorator: list[str], watched: list[str]) -> str:
    """The step ``minimize`` becomes; it watches ``watched`` (see :func:`watch`)."""
    params = ", ".join(graph.params)
    taken = {*graph.params, *graph.variables, graph.loss, graph.optimizer, graph.name, tf}
    tape, loss_value, variables = fresh("tape", taken), fresh("loss_value", taken), fresh("variables", taken)
    lines = []
    if optimizer_text is not None:
        lines.append(f"{graph.optimizer} = {optimizer_text}")
    lines += [
        *decorator,
        f"def {graph.name}({signature}):",
        # Batch normalization moves its averages in the forward pass of a step that ran its update ops (TF1's
        # `tf.control_dependencies(update_ops)`).
        f"{INDENT}with {graph.update_ops + ', ' if graph.update_ops else ''}{tf}.GradientTape() as {tape}:",
        *(f"{INDENT}{INDENT}{line}" for line in watch(tape, watched)),
        f"{INDENT}{INDENT}{loss_value} = {graph.loss}({params})",
        f"{INDENT}{variables} = [{', '.join(graph.variables)}]",
        f"{INDENT}{graph.optimizer}.apply_gradients(zip({tape}.gradient({loss_value}, {variables}), {variables}))",
        *([f"{INDENT}{graph.global_step}.assign_add(1)"] if graph.global_step is not None else []),
        # The loss before the update: what sess.run([train, loss]) fetched.
        f"{INDENT}return {loss_value}",
    ]
    return "\n".join(lines)


def step_loss(step: str, train: GraphName) -> str:
    """The loss a call of train step ``train`` returns (first, when the step returns gradient values too)."""
    return f"{step}[0]" if train.pipeline is not None and train.pipeline.returned else step


def fetch_helper(helper: str, params: tuple[str, ...], signature: str, train: GraphName, fetched: list[GraphName],
                 module_names: set[str], tf: str) -> str:
    taken = {*params, *module_names}
    lines = [f"def {helper}({signature}):"]
    returned = train.pipeline.returned if train.pipeline is not None else ()
    values = _read_before_the_step(fetched, {train.loss, *returned}, taken, lines)
    step = call(train)
    if returned:
        # The step returns the loss and the gradient values it computed, in the structure the notebook gave them.
        outputs = [fresh(f"{name}_value", taken) for name in (train.loss, *returned)]
        lines.append(f"{INDENT}{', '.join(outputs)} = {step}")
        values[train.loss] = f"{outputs[0]}.numpy()"
        values.update((name, f"{tf}.nest.map_structure(lambda tensor: tensor.numpy(), {output})")
                      for name, output in zip(returned, outputs[1:]))
    elif train.loss in {g.name for g in fetched} or train.returns_loss:
        values[train.loss] = fresh(f"{train.loss}_value", taken)
        lines.append(f"{INDENT}{values[train.loss]} = {step}.numpy()")
    else:
        lines.append(f"{INDENT}{step}")
    lines.append(f"{INDENT}return [{_run_values(fetched, values)}]")
    return "\n".join(lines)


def joint_steps_helper(helper: str, signature: str, trains: list[GraphName], fetched: list[GraphName],
                       module_names: set[str], tf: str, step: str | None = None,
                       decorator: tuple[str, ...] = ()) -> str:
    """A run of several train steps (a GAN's two): every loss and gradient is computed before any update is
    applied, as in the one TF1 run, and the other fetches see the variables before the updates. With ``step`` (a
    name) the losses, gradients and updates are a function of their own, written first with ``decorator`` (a
    ``tf.function``), which the helper calls between its reads and its ``.numpy()`` conversions."""
    taken = {*module_names, *(p for g in fetched for p in g.params)}
    tape = fresh("tape", taken)
    losses = {t.loss: fresh(f"{t.loss}_value", taken) for t in trains}
    body = [f"with {tf}.GradientTape(persistent=True) as {tape}:",
            *(f"{INDENT}{losses[t.loss]} = {t.loss}({', '.join(t.params)})" for t in trains)]
    updates = []
    for train in trains:
        variables, gradients = fresh(f"{train.name}_variables", taken), fresh(f"{train.name}_gradients", taken)
        body += [f"{variables} = [{', '.join(train.variables)}]",
                 f"{gradients} = {tape}.gradient({losses[train.loss]}, {variables})"]
        updates.append(f"{train.optimizer}.apply_gradients(zip({gradients}, {variables}))")
        if train.global_step is not None:
            updates.append(f"{train.global_step}.assign_add(1)")
    body += updates
    lines, outputs = [], ", ".join(losses.values())  # two losses at least: a tuple
    if step is not None:
        lines += [*decorator, f"def {step}({signature}):", *(INDENT + line for line in body), f"{INDENT}return {outputs}"]
    lines.append(f"def {helper}({signature}):")
    values = _read_before_the_step(fetched, set(losses), taken, lines)
    if step is not None:
        # A traced step has no parameter with a default (traced_steps.py): its signature is its parameters' names.
        lines.append(f"{INDENT}{outputs} = {step}({signature})")
    else:
        lines += [INDENT + line for line in body]
    values.update((loss, f"{value}.numpy()") for loss, value in losses.items())
    lines.append(f"{INDENT}return [{_run_values(fetched, values)}]")
    return "\n".join(lines)


def _read_before_the_step(fetched: list[GraphName], computed: set[str], taken: set[str],
                          lines: list[str]) -> dict[str, str]:
    """Lines that read every fetch but the train ops and what the steps compute themselves (``computed``) into fresh
    names, before the steps update the variables; the names by fetch."""
    values = {}
    for graph in fetched:
        if graph.kind is Kind.TRAIN or graph.name in computed:
            continue
        values[graph.name] = fresh(f"{graph.name}_value", taken)
        # A summary function returns its values as arrays already.
        suffix = "" if graph.kind is Kind.SUMMARY else ".numpy()"
        lines.append(f"{INDENT}{values[graph.name]} = {call(graph)}{suffix}")
    return values


def _run_values(fetched: list[GraphName], values: dict[str, str]) -> str:
    """What a run of ``fetched`` returns, from the names the helper gave their values: None for a train op (the
    loss for slim's ``create_train_op``, whose run returned it)."""
    return ", ".join((values[g.loss] if g.returns_loss else "None") if g.kind is Kind.TRAIN else values[g.name]
                     for g in fetched)
