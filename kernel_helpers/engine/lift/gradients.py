"""Gradient pipelines (TFM102): ``compute_gradients`` or ``tf.gradients``, what the notebook does to the
gradients, then ``apply_gradients``, become one train step.

TF1 notebooks clip or scale gradients between computing and applying them::

    gradients, variables = zip(*optimizer.compute_gradients(loss))
    clipped, norm = tf.clip_by_global_norm(gradients, 5.0)
    train_op = optimizer.apply_gradients(zip(clipped, variables))

The statements from the gradient call to ``apply_gradients`` move, as written, into the train step after its
tape, and the gradient call becomes the tape's. A value they compute (``norm``) that the notebook fetches is
returned by the step after the loss, so ``sess.run([train_op, loss, norm])`` sees the values of that same step;
fetched without the step it is refused, as any use of it outside a graph run is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from . import emit
from .model import REWRITTEN, GraphName, Kind, NotLiftable
from .syntax import argument, contains_fetch_site, store_names

#: the gradients of a loss, by TF1 call: how the tape's gradient replaces it
GRADIENT_CALLS = ("compute_gradients", "gradients")
#: names a pipeline statement may read besides its own: variables and what lists them
READABLE = {Kind.VARIABLE, Kind.VARIABLES, Kind.LAYER, Kind.MODULE, Kind.GRADIENTS}


@dataclass(eq=False)
class Pipeline:
    loss: str
    #: the tape's names in the step: the tape, the loss value, and the variables list (None: the notebook's own)
    tape: str
    loss_value: str
    variables: str | None
    #: the variables differentiated, as text (for ``variables = [...]``)
    variables_text: str | None = None
    #: the statements' text in the step, in order
    lines: list[str] = field(default_factory=list)
    #: names the statements bind, in order; the ones the notebook reads elsewhere are returned by the step
    names: list[str] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    returned: tuple[str, ...] = ()
    #: variables made with ``trainable=False`` that the notebook differentiates: the tape must be told to watch them
    watched: list[str] = field(default_factory=list)
    #: the train step that applies them (None until ``apply_gradients`` is read)
    step: str | None = None


class GradientLifting:
    """The Lifter's reading of gradient pipelines (a mixin: it uses the Lifter's state)."""

    def gradient_definition(self, cell, stmt: ast.stmt) -> bool:
        if not isinstance(stmt, ast.Assign) or not self.pipelines and "gradients" not in cell.text:
            return False  # a pipeline starts in a cell that spells it
        value = stmt.value
        calls = [n for n in ast.walk(value) if isinstance(n, ast.Call) and self.gradient_kind(cell, n)]
        read = {self.names[n.id].pipeline for n in ast.walk(value) if isinstance(n, ast.Name)
                and self.kind(n.id) is Kind.GRADIENTS}
        if not calls and not read or contains_fetch_site(value) or any(p.step is not None for p in read):
            return False  # graph runs, and uses after the step, are read in phase 2 (a fetch with the step)
        if len(calls) + len(read) > 1:
            raise NotLiftable("one statement computes gradients twice, or combines two gradient computations",
                              cell.index, stmt)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr == "apply_gradients":
            self.gradient_step(cell, stmt, read.pop())
        elif calls:
            self.gradient_start(cell, stmt, calls[0])
        else:
            self.gradient_statement(cell, stmt, read.pop(), [])
        stmt._lift_done = True
        return True

    def gradient_kind(self, cell, call: ast.Call) -> str | None:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "compute_gradients":
            return "compute_gradients"
        return "gradients" if cell.api.get(id(call)) == "gradients" else None

    def gradient_start(self, cell, stmt: ast.Assign, call: ast.Call) -> None:
        kind = self.gradient_kind(cell, call)
        if kind == "compute_gradients":
            receiver = call.func.value
            if not (isinstance(receiver, ast.Name) and self.kind(receiver.id) is Kind.OPTIMIZER):
                raise NotLiftable("`compute_gradients` is called on something other than a TF1 optimizer",
                                  cell.index, call)
            loss, targets, allowed = argument(call, "loss", 0), argument(call, "var_list", 1), {"loss", "var_list"}
        else:
            loss, targets, allowed = argument(call, "ys", 0), argument(call, "xs", 1), {"ys", "xs", "name"}
        if len(call.args) > 2 or any(k.arg not in allowed for k in call.keywords):
            raise NotLiftable(f"`{kind}` is called with arguments the lifting does not carry over", cell.index, call)
        if not (isinstance(loss, ast.Name) and self.kind(loss.id) is Kind.TENSOR):
            raise NotLiftable(f"`{kind}` is not given a lifted loss tensor", cell.index, call)
        loss_id = self.names[loss.id].name
        pipeline = Pipeline(loss_id, self.fresh("tape"), self.fresh("loss_value"), None)
        self.pipelines.append(pipeline)
        if targets is not None and any(isinstance(n, ast.Name) and self.kind(n.id) in (Kind.PLACEHOLDER, Kind.TENSOR)
                                       for n in ast.walk(targets)):
            raise NotLiftable(f"`{kind}` is taken with respect to a feed or tensor, not variables", cell.index, call)
        if targets is None:
            reachable = self.reachable_variables(loss_id)
            members = [self.members(self.names[v]) for v in reachable if self.names[v].trainable]
            if not members:
                raise NotLiftable("the loss depends on no trainable variable", cell.index, call)
            pipeline.variables = self.fresh("variables")
            pipeline.variables_text = f"[{', '.join(members)}]"
        else:
            self.check_gradient_reads(cell, targets)
            pipeline.watched = self.untrainable(n.id for n in ast.walk(targets) if isinstance(n, ast.Name))
        variables = pipeline.variables or self.gradient_text(cell, targets)
        gradient = f"{pipeline.tape}.gradient({pipeline.loss_value}, {variables})"
        if kind == "compute_gradients":
            # TF1 returned (gradient, variable) pairs
            gradient = f"list(zip({gradient}, {variables}))"
        start, end = cell.span(call)
        self.gradient_statement(cell, stmt, pipeline, [(start, end, gradient)], call)
        self.note(cell, "TFM102", call, f"`{kind}` becomes the gradient of the train step's `tf.GradientTape`")

    def gradient_statement(self, cell, stmt: ast.Assign, pipeline: Pipeline, edits: list, skip=None) -> None:
        """A statement of the pipeline: read, bound, and moved into the step."""
        self.check_gradient_reads(cell, stmt.value, skip)
        start, _ = cell.span(stmt)
        text = emit.relative(cell.segment(stmt), start, edits + self.list_edits(cell, stmt.value, skip))
        if '"""' in text or "'''" in text:
            raise NotLiftable("a multi-line string sits between computing and applying gradients", cell.index, stmt)
        pipeline.lines.append(text)
        pipeline.statements.append(id(stmt))
        for target in stmt.targets:
            if not _names_only(target):
                raise NotLiftable("gradients are bound to something other than names", cell.index, stmt)
            for name in sorted(store_names(target)):
                if name == "_" or self.kind(name) is Kind.GRADIENTS and self.names[name].pipeline is pipeline:
                    continue
                self.bind(GraphName(name, Kind.GRADIENTS, cell.index, stmt, pipeline=pipeline), cell, stmt)
                pipeline.names.append(name)
        self.plans[cell.index].delete.add(id(stmt))

    def check_gradient_reads(self, cell, node: ast.expr, skip: ast.AST | None = None) -> None:
        """A pipeline reads gradients, variables and plain values: not feeds or tensors (the step's tape does)."""
        skipped = {id(n) for n in ast.walk(skip)} if skip is not None else set()
        for child in ast.walk(node):
            if id(child) in skipped:
                continue
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load) \
                    and self.kind(child.id) in REWRITTEN - READABLE:
                raise NotLiftable(f"`{child.id}` ({self.kind(child.id).value}) is read between computing and "
                                  "applying gradients", cell.index, child)
            if isinstance(child, ast.Call) and child is not skip and self.gradient_kind(cell, child):
                raise NotLiftable("gradients are computed twice in one pipeline", cell.index, child)

    def list_edits(self, cell, node: ast.expr, skip: ast.AST | None = None) -> list[tuple[int, int, str]]:
        """``tf.trainable_variables()`` in a pipeline (outside ``skip``, rewritten already): the variables made so
        far, as the phase-2 rewrite does."""
        from .scan import VARIABLE_LISTS

        skipped = {id(n) for n in ast.walk(skip)} if skip is not None else set()
        edits = []
        for child in ast.walk(node):
            if isinstance(child, ast.Call) and id(child) not in skipped \
                    and cell.api.get(id(child)) in VARIABLE_LISTS:
                start, end = cell.span(child)
                edits.append((start, end, self.variables_list(cell, child, cell.api[id(child)])))
        return edits

    def gradient_text(self, cell, node: ast.expr) -> str:
        start, _ = cell.span(node)
        return emit.relative(cell.segment(node), start, self.list_edits(cell, node))

    def gradient_step(self, cell, stmt: ast.Assign, pipeline: Pipeline) -> None:
        value = stmt.value
        if not (len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            raise NotLiftable("`apply_gradients` is bound to something other than a name", cell.index, stmt)
        optimizer, text, definition = self.step_optimizer(cell, value.func.value, value)
        # An optimizer written in place (tf.train.AdamOptimizer(1e-3).apply_gradients(...)) is made before the step.
        prefix = [line for line in (definition, text and f"{optimizer} = {text}") if line]
        pairs, step = argument(value, "grads_and_vars", 0), self.global_step(cell, value)
        if pairs is None or len(value.args) > 2 or any(k.arg not in ("grads_and_vars", "global_step", "name")
                                                       for k in value.keywords):
            raise NotLiftable("`apply_gradients` is called with arguments the lifting does not carry over",
                              cell.index, value)
        self.check_gradient_reads(cell, pairs)
        name = stmt.targets[0].id
        if pipeline.step is not None:
            raise NotLiftable(f"the gradients `{pipeline.step}` applies are applied again", cell.index, stmt)
        pipeline.step = name
        pipeline.returned = self.fetched_gradients(pipeline, stmt)
        loss = self.names[pipeline.loss]
        graph = GraphName(name, Kind.TRAIN, cell.index, stmt, params=loss.params, deps=frozenset({pipeline.loss}),
                          loss=pipeline.loss, optimizer=optimizer, pipeline=pipeline)
        self.bind(graph, cell, stmt)
        params = ", ".join(loss.params)
        decorator = self.step_decorator(loss.params)
        lines = [f"def {name}({self.signature(loss.params)}):",
                 f"with {self.tf}.GradientTape() as {pipeline.tape}:",
                 *(emit.INDENT + line for line in emit.watch(pipeline.tape, pipeline.watched)),
                 f"{emit.INDENT}{pipeline.loss_value} = {pipeline.loss}({params})"]
        if pipeline.variables is not None:
            lines.append(f"{pipeline.variables} = {pipeline.variables_text}")
        lines += [line.replace("\n", "\n" + emit.INDENT) for line in pipeline.lines]
        lines.append(f"{optimizer}.apply_gradients({self.gradient_text(cell, pairs)})")
        if step is not None:
            lines.append(f"{step.id}.assign_add(1)")
        # The loss before the update, and what the notebook fetches of the pipeline: what one sess.run fetched.
        lines.append(f"return {', '.join([pipeline.loss_value, *pipeline.returned])}")
        self.plans[cell.index].replace[id(stmt)] = "\n".join(
            prefix + decorator + lines[:1] + [emit.INDENT + l for l in lines[1:]])
        self.note(cell, "TFM102", stmt, f"`{name}` becomes a train step applying the gradients its tape computes "
                                        "as the notebook transforms them")

    def fetched_gradients(self, pipeline: Pipeline, last: ast.stmt) -> tuple[str, ...]:
        """The pipeline's names the notebook reads outside the pipeline (only a run of the step may)."""
        inside = {id(n) for cell in self.cells if cell.tree is not None for stmt in ast.walk(cell.tree)
                  if id(stmt) in pipeline.statements or stmt is last for n in ast.walk(stmt)}
        read = {n.id for cell in self.cells if cell.tree is not None for n in ast.walk(cell.tree)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in pipeline.names
                and id(n) not in inside}
        return tuple(n for n in pipeline.names if n in read)


def _names_only(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    if isinstance(target, ast.Starred):
        return _names_only(target.value)
    return isinstance(target, (ast.Tuple, ast.List)) and all(_names_only(e) for e in target.elts)
