"""Where the graph runs: ``sess.run``, ``.eval()`` and ``.op.run()`` become calls of the lifted functions.

A fetch is a lifted tensor (a call with the run's feeds, ``.numpy()`` where TF1 returned arrays), a variable, a
train step (which returns the loss computed before its update, as one ``sess.run([train, loss])`` did), a
summary, or an expression written in place. Feeds are a dict of placeholders or a feed dict bound to a name; a
placeholder left to its default is passed by name after it.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from . import emit
from .model import GraphName, Kind, NotLiftable
from .syntax import argument as _argument, contains_fetch_site as _contains_fetch_site, named_arguments, \
    returns_one_value, sequence as _sequence

if TYPE_CHECKING:
    from .scan import CellSource


class GraphRuns:
    """The Lifter's rewriting of graph runs (a mixin: it uses the Lifter's state)."""

    def fetch_site(self, cell: CellSource, call: ast.Call, shadow: set[str]) -> bool:
        self.iterator_reads.clear()
        rewritten = self.graph_run(cell, call, shadow)
        if any(count > 1 for count in self.iterator_reads.values()):
            raise NotLiftable("one graph run reads an iterator through several calls, which would advance it "
                              "more than once", cell.index, call)
        return rewritten

    def graph_run(self, cell: CellSource, call: ast.Call, shadow: set[str]) -> bool:
        func = call.func
        if self.op_run(cell, call, shadow) or self.saver_call(cell, call, shadow) \
                or self.writer_call(cell, call, shadow) or self.assign_eval(cell, call, shadow):
            return True
        if not isinstance(func, ast.Attribute):
            return False
        if func.attr == "eval" and self.evaluated_in_place(cell, func.value):
            owner = None  # `(x * 2).eval()`: an expression run where it is written, as `sess.run(x * 2)` was
        elif not isinstance(func.value, ast.Name):
            return False
        elif func.attr == "eval" and self.passed_value(func.value) is not None:
            owner = None  # a graph value the helper is given (passed_values.py)
        elif func.value.id in shadow or func.value.id not in self.names:
            return False
        else:
            owner = self.names[func.value.id]
        if owner is None:
            allowed = {"feed_dict", "session"}
            fetches, feed, positional = func.value, _argument(call, "feed_dict", 0), 1
        elif func.attr == "run" and owner.kind is Kind.SESSION:
            allowed = {"fetches", "feed_dict"}
            fetches = _argument(call, "fetches", 0)
            feed = _argument(call, "feed_dict", 1)
            positional = 2
        elif func.attr == "eval" and owner.kind in (Kind.TENSOR, Kind.STATIC, Kind.VARIABLE):
            allowed = {"feed_dict", "session"}
            fetches, feed, positional = func.value, _argument(call, "feed_dict", 0), 1
        elif func.attr == "run" and owner.kind is Kind.TRAIN:
            allowed = {"feed_dict", "session"}
            fetches, feed, positional = func.value, _argument(call, "feed_dict", 0), 1
        else:
            return False
        if len(call.args) > positional or any(k.arg not in allowed for k in call.keywords):
            raise NotLiftable("the graph is run with options the lifting does not carry over", cell.index, call)
        session = _argument(call, "session", None)
        if session is not None and not (isinstance(session, ast.Name) and self.kind(session.id) is Kind.SESSION):
            raise NotLiftable("the graph is run in a session the lifting does not know", cell.index, call)
        if fetches is None:
            raise NotLiftable("`run` is called without fetches", cell.index, call)
        feeds = self.feeds(cell, feed, shadow)
        text = self.fetch_text(cell, fetches, feeds, call)
        start, end = cell.span(call)
        self.plans[cell.index].edits.append((start, end, text))
        self.note(cell, "TFM100", call, f"the graph run becomes `{text}`")
        return True

    def evaluated_in_place(self, cell: CellSource, receiver: ast.expr) -> bool:
        """Whether ``receiver.eval()`` evaluates a tensor expression written in place: TF ops or graph names, or a
        notebook function that builds TF ops (``random_flip(image).eval(session=session)``)."""
        if isinstance(receiver, ast.Name) or not isinstance(receiver, (ast.Call, ast.BinOp, ast.UnaryOp,
                                                                       ast.Subscript, ast.Attribute)):
            return False
        return self.mentions_graph(cell, receiver) or self.builds_ops(receiver)

    def builds_ops(self, node: ast.expr, random: bool = False) -> bool:
        """A call of a notebook function that builds TensorFlow ops, itself or through the notebook functions it
        calls (it returned a graph tensor in TF1); with ``random``, one that draws random numbers."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.functions):
            return False
        from .scan import _is_random

        seen, pending = set(), [node.func.id]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            cell = self.function_cells[name]
            for n in ast.walk(self.functions[name]):
                if not isinstance(n, ast.Call):
                    continue
                api = cell.api.get(id(n))
                if api is not None and not api.startswith("python.") and (not random or _is_random(api)):
                    return True
                if isinstance(n.func, ast.Name) and n.func.id in self.functions:
                    pending.append(n.func.id)
        return False

    def assign_eval(self, cell: CellSource, call: ast.Call, shadow: set[str]) -> bool:
        """``step.assign(i).eval()``: eager assignment happens at the call, and ``.numpy()`` reads the new value
        that ``eval`` returned."""
        func = call.func
        inner = func.value if isinstance(func, ast.Attribute) and func.attr == "eval" else None
        if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                and inner.func.attr in ("assign", "assign_add", "assign_sub")
                and isinstance(inner.func.value, ast.Name) and inner.func.value.id not in shadow
                and self.kind(inner.func.value.id) is Kind.VARIABLE):
            return False
        if call.args or call.keywords:
            raise NotLiftable("an assignment is evaluated with a feed or session the lifting does not carry over",
                              cell.index, call)
        for argument in [*inner.args, *(k.value for k in inner.keywords)]:
            self.runtime_expr(cell, argument, shadow)
        _, inner_end = cell.span(inner)
        _, end = cell.span(call)
        self.plans[cell.index].edits.append((inner_end, end, ".numpy()"))
        self.note(cell, "TFM101", call, "the assignment runs eagerly; `.numpy()` reads the value `eval` returned")
        return True

    def op_run(self, cell: CellSource, call: ast.Call, shadow: set[str]) -> bool:
        """``tensor.op.run(feed_dict=...)``: runs the tensor's op for its effect, so a call whose value is dropped."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "run" and isinstance(func.value, ast.Attribute)
                and func.value.attr == "op" and isinstance(func.value.value, ast.Name)
                and func.value.value.id not in shadow and self.kind(func.value.value.id) is Kind.TENSOR):
            return False
        if call.args[1:] or any(k.arg not in ("feed_dict", "session") for k in call.keywords):
            raise NotLiftable("the graph is run with options the lifting does not carry over", cell.index, call)
        graph = self.names[func.value.value.id]
        feeds = self.feeds(cell, _argument(call, "feed_dict", 0), shadow)
        text = emit.call(graph, self.arguments(cell, graph, feeds, call))
        start, end = cell.span(call)
        self.plans[cell.index].edits.append((start, end, text))
        self.note(cell, "TFM100", call, f"the graph run becomes `{text}`")
        return True

    def feeds(self, cell: CellSource, feed: ast.expr | None, shadow: set[str]) -> dict[str, str]:
        if feed is None:
            return {}
        local = (self.function_names[-1] if self.function_names else None, feed.id) \
            if isinstance(feed, ast.Name) and feed.id in shadow else None
        if local in self.local_feeds:
            return {p: f"{feed.id}[{p!r}]" for p in self.local_feeds[local]}
        if isinstance(feed, ast.Name) and feed.id not in shadow and self.kind(feed.id) is Kind.FEED:
            return {p: f"{feed.id}[{p!r}]" for p in self.names[feed.id].feeds}
        if not isinstance(feed, ast.Dict) or any(k is None for k in feed.keys):
            raise NotLiftable("the feed dict is built dynamically, so which placeholder gets which value "
                              "cannot be proven", cell.index, feed)
        feeds = {}
        for key, value in zip(feed.keys, feed.values):
            if not isinstance(key, ast.Name) or self.kind(key.id) is not Kind.PLACEHOLDER or self.element(key.id):
                raise NotLiftable("something other than a placeholder is fed", cell.index, key)
            self.runtime_expr(cell, value, shadow)
            if _contains_fetch_site(value):
                raise NotLiftable("a feed value runs the graph itself", cell.index, value)
            feeds[key.id] = cell.segment(value)
        return feeds

    def fetch_text(self, cell: CellSource, fetches: ast.expr, feeds: dict[str, str], call: ast.Call) -> str:
        elements = self.element_fetch(cell, fetches)
        if elements is not None:
            return elements
        if isinstance(fetches, (ast.List, ast.Tuple)) and all(
                self.named_fetch(e) or isinstance(e, ast.Name) and self.element(e.id) for e in fetches.elts):
            names = [e.id for e in fetches.elts]
            trains = [n for n in names if self.kind(n) is Kind.TRAIN]
            if len(set(names)) != len(names):
                raise NotLiftable("one tensor is fetched twice in a run", cell.index, fetches)
            if len(trains) > 1:
                helper = self.joint_steps_helper(cell, names, feeds, call)
                return helper if isinstance(fetches, ast.List) else f"tuple({helper})"
            if any(self.element(n) for n in names):
                helper = None if trains else self.shared_reads_helper(cell, names, feeds, call)
                if helper is None:
                    # An element next to a train step, or next to fetches that do not read its iterator.
                    raise NotLiftable("an iterator's element is fetched with values the lifting cannot compute from "
                                      "the same read", cell.index, fetches)
            else:
                helper = self.fetch_helper(cell, names, feeds, call) or self.shared_reads_helper(cell, names, feeds,
                                                                                                 call)
            if helper is not None:
                return helper if isinstance(fetches, ast.List) else f"tuple({helper})"
            values = self.fetch_values(cell, names, feeds, call)
            return _sequence(values, fetches)
        if isinstance(fetches, (ast.List, ast.Tuple)):
            return _sequence([self.fetch_value(cell, e, feeds, call) for e in fetches.elts], fetches)
        if isinstance(fetches, ast.Dict):
            if not all(isinstance(k, ast.Constant) for k in fetches.keys):
                raise NotLiftable("the fetches are a dict with computed keys", cell.index, fetches)
            values = [self.fetch_value(cell, v, feeds, call) for v in fetches.values]
            return "{" + ", ".join(f"{cell.segment(k)}: {v}" for k, v in zip(fetches.keys, values)) + "}"
        if self.named_fetch(fetches) and self.kind(fetches.id) is Kind.TRAIN:
            graph = self.names[fetches.id]
            step = emit.call(graph, self.arguments(cell, graph, feeds, call))
            return f"{emit.step_loss(step, graph)}.numpy()" if graph.returns_loss else step
        return self.fetch_value(cell, fetches, feeds, call)

    def named_fetch(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and self.kind(node.id) in (Kind.TENSOR, Kind.STATIC, Kind.VARIABLE,
                                                                     Kind.TRAIN, Kind.SUMMARY, Kind.GRADIENTS) \
            and self.passed_value(node) is None

    def fetch_value(self, cell: CellSource, fetch: ast.expr, feeds: dict[str, str], call) -> str:
        """The numpy value of one fetch that is not a train op: a graph name, or an expression written in place."""
        found = self.variable_by_name(cell, fetch)
        if found is not None:
            return f"{found}.numpy()"
        if self.passed_value(fetch) is not None:
            return self.passed_fetch(cell, fetch, feeds, call)
        if self.named_fetch(fetch):
            if self.kind(fetch.id) is Kind.TRAIN:
                raise NotLiftable("a train op is fetched together with a dict or an expression", cell.index, fetch)
            return self.value(cell, self.names[fetch.id], feeds, call)
        if isinstance(fetch, ast.Name) or not (self.mentions_graph(cell, fetch) or self.builds_ops(fetch)):
            raise NotLiftable("a fetch is not a lifted tensor, train op or tensor expression", cell.index, fetch)
        _, edits, _, _ = self.expression(cell, fetch, inline_feeds=feeds)
        start, _ = cell.span(fetch)
        text = emit.relative(cell.segment(fetch), start, edits)
        return self.numpy(cell, fetch, text)

    def numpy(self, cell: CellSource, node: ast.expr, text: str, call_text: bool = False) -> str:
        """What ``sess.run`` returned for ``node`` (lifted to ``text``; ``call_text`` when that is a call of its
        function): arrays, in the structure it had. A TensorFlow op or arithmetic is one tensor; a notebook
        function may return a tuple or a dict."""
        from .scan import VARIABLE_LISTS

        listed = isinstance(node, ast.Call) and cell.api.get(id(node)) in VARIABLE_LISTS  # a list of variables
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and self.kind(node.func.id) is Kind.MODEL_FUNCTION and returns_one_value(self.names[node.func.id].stmt):
            return f"{text}.numpy()"  # a model function returning one tensor
        if self.builds_ops(node) and returns_one_value(self.functions[node.func.id]):
            return f"{text}.numpy()"  # a notebook function returning one tensor
        if isinstance(node, (ast.BinOp, ast.UnaryOp)) or isinstance(node, ast.Call) and id(node) in cell.api \
                and not listed or isinstance(node, (ast.Attribute, ast.Name)) \
                or isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and self.kind(node.value.id) is Kind.VARIABLES:
            return f"({text}).numpy()" if isinstance(node, (ast.BinOp, ast.UnaryOp)) and not call_text \
                else f"{text}.numpy()"
        return f"{self.tf}.nest.map_structure(lambda tensor: tensor.numpy(), {text})"

    def variable_list_api(self, cell: CellSource, call: ast.Call) -> str | None:
        """The API of a call, ``tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)`` (with no scope) read as the
        ``global_variables()`` it lists (the trainable ones likewise)."""
        api = cell.api.get(id(call))
        if api == "get_collection":
            found = self.collection(cell, call)
            if found is not None and found[1] is None and found[0] in ("global_variables", "trainable_variables"):
                return found[0]
        return api

    def variables_list(self, cell: CellSource, call: ast.Call, api: str) -> str:
        """``tf.trainable_variables()``: the variables the graph had at that point, in the order TF1 made them."""
        from .scan import VARIABLE_LOOKUPS

        if api in VARIABLE_LOOKUPS:
            return self.variables_by_name(cell, call, api)
        if (call.args or call.keywords) and cell.api.get(id(call)) != "get_collection":
            raise NotLiftable(f"`tf.{api}` is given a scope or collection", cell.index, call)
        trainable_only = api == "trainable_variables"
        here = (cell.index, call.lineno)
        items = []
        for graph in dict.values(self.names):
            if (graph.cell, graph.stmt.lineno) >= here:
                continue
            if graph.kind is Kind.TRAIN and not trainable_only:
                slots = self.slot_members(graph, api, cell.index, call)
                items += [slots] if slots not in items else []  # steps sharing an optimizer list it once
            if graph.kind in (Kind.VARIABLE, Kind.VARIABLES) and (graph.trainable or not trainable_only) \
                    and not graph.alias:
                items.append(self.members(graph))
            elif graph.kind is Kind.MODULE and graph.module.layers:
                raise NotLiftable(f"`tf.{api}` lists the variables of `{graph.name}`'s layers, which Keras makes at "
                                  "their first call", cell.index, call)
            elif graph.kind is Kind.MODULE:
                flags = [trainable for _, _, trainable in graph.module.variables]
                items += [v for v, trainable in zip(graph.variables, flags) if trainable or not trainable_only]
            elif graph.kind is Kind.LAYER and graph.trainable:
                if graph.name not in self.built_layers:
                    raise NotLiftable(f"`tf.{api}` lists the variables of a layer whose input shape is not known "
                                      "where it is defined", cell.index, call)
                items.append(self.members(graph, trainable_only))
        return f"[{', '.join(items)}]"

    def variables_by_name(self, cell: CellSource, call: ast.Call, api: str) -> str:
        """``slim.get_variables_by_name("weights", scope="mlp/fc1")``, ``slim.get_variables(scope="mlp")``: the
        variables whose TF1 names match, found among the names the lifting knows, as TF1 matched them (a regular
        expression at the start of ``name:0``)."""
        by_name = api.endswith("_by_name")
        given = named_arguments(call, ("given_name", "scope") if by_name else ("scope", "suffix", "collection"),
                                f"tf.{api}")
        values = {k: v.value if isinstance(v, ast.Constant) else v for k, v in given.items()}
        if any(not isinstance(v, (str, type(None))) for v in values.values()) or values.get("collection") \
                or not by_name and values.get("scope") is None:
            raise NotLiftable(f"`tf.{api}` is given a name, scope or collection that is not a literal", cell.index,
                              call)
        if self.unnamed_layers or None in self.variable_names.values():
            raise NotLiftable(f"`tf.{api}` looks variables up by name, and the lifting does not know every "
                              "variable's TF1 name", cell.index, call)
        suffix = f"/{values['given_name']}:|^{values['given_name']}:" if by_name else values.get("suffix")
        pattern = (values.get("scope") or "") + (".*" + suffix + ("" if ":" in suffix else ":") if suffix else "")
        found = [text for name, text in self.variable_names.items() if re.match(pattern, name + ":0")]
        return f"[{', '.join(found)}]"

    def variable_by_name(self, cell: CellSource, node: ast.expr) -> str | None:
        """``tf.get_default_graph().get_tensor_by_name("hidden1/kernel:0")`` (or ``sess.graph``) naming a variable
        the lifting created: that variable. Tensors and operations by name stay refused."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get_tensor_by_name" and len(node.args) == 1 and not node.keywords
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            return None
        graph = node.func.value
        default_graph = isinstance(graph, ast.Call) and cell.api.get(id(graph)) == "get_default_graph" \
            and not graph.args and not graph.keywords
        session_graph = isinstance(graph, ast.Attribute) and graph.attr == "graph" \
            and isinstance(graph.value, ast.Name) and self.kind(graph.value.id) is Kind.SESSION
        name, _, output = node.args[0].value.rpartition(":")
        if not (default_graph or session_graph) or output != "0":
            return None
        return self.variable_names.get(name)

    def fed_value(self, cell: CellSource, node: ast.Name, feeds: dict[str, str]) -> str:
        """A placeholder read in a fetch written in place: its fed value, converted as the session did."""
        if self.element(node.id):
            raise NotLiftable(f"`{node.id}`, an iterator's element, is read in a fetch written in place",
                              cell.index, node)
        if node.id not in feeds:
            raise NotLiftable(f"placeholder `{node.id}` is read in a fetch, but this run does not feed it",
                              cell.index, node)
        value = feeds[node.id]
        if any(isinstance(n, (ast.Call, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom, ast.Lambda))
               for n in ast.walk(ast.parse(f"({value})", mode="eval"))):
            raise NotLiftable(f"the value fed to `{node.id}` is computed by a call, and a fetch written in "
                              "place would compute it again", cell.index, node)
        return f"{self.tf}.convert_to_tensor({value}, {self.names[node.id].dtype})"

    def fetch_values(self, cell: CellSource, names: list[str], feeds: dict[str, str], call) -> list[str]:
        train = next((n for n in names if self.kind(n) is Kind.TRAIN), None)
        if train is None:
            return [self.value(cell, self.names[n], feeds, call) for n in names]
        graph = self.names[train]
        step = emit.call(graph, self.arguments(cell, graph, feeds, call))
        if graph.loss not in names and not graph.returns_loss:
            return [step]
        step = emit.step_loss(step, graph) + ".numpy()"
        # The step returns the loss computed before its update, which is what the same sess.run fetched.
        return [step if n != train or graph.returns_loss else "None" for n in names]

    def fetch_helper(self, cell: CellSource, names: list[str], feeds: dict[str, str], call) -> str | None:
        """A call of a function that runs a train step with other fetches, or None when none is needed."""
        train = next((n for n in names if self.kind(n) is Kind.TRAIN), None)
        if train is None:
            return None
        graph = self.names[train]
        if not [n for n in names if n not in (train, graph.loss)]:
            return None
        # Other fetches must see the variables before the update, as they did in one sess.run.
        key = tuple(names)
        params = self.ordered({p for n in names for p in self.names[n].params})
        helper = self.fetch_helpers.get(key)
        if helper is None:
            helper = self.fresh("run_" + "_".join(names))
            self.fetch_helpers[key] = helper
            text = emit.fetch_helper(helper, params, self.signature(params), graph, [self.names[n] for n in names],
                                     self.taken, self.tf)
            plan = self.plans[graph.cell]
            plan.replace[id(graph.stmt)] = plan.replace[id(graph.stmt)] + "\n" + text
        helper_graph = GraphName(helper, Kind.TENSOR, graph.cell, graph.stmt, params=params)
        return emit.call(helper_graph, self.arguments(cell, helper_graph, feeds, call))

    def joint_steps_helper(self, cell: CellSource, names: list[str], feeds: dict[str, str], call) -> str:
        """A call of a function that runs several train steps as one TF1 run did (a GAN's generator and
        discriminator steps): all gradients from the variables before any update."""
        trains = [self.names[n] for n in names if self.kind(n) is Kind.TRAIN]
        why = next((why for train in trains for why in (
            train.pipeline is not None and f"`{train.name}` applies gradients it computed itself",
            train.update_ops is not None and f"`{train.name}` runs update ops",
            sum(t.optimizer == train.optimizer for t in trains) > 1 and f"`{train.name}` shares its optimizer",
            any(self.element(p) for p in train.params) and f"`{train.name}` reads an iterator") if why), None)
        variables = [v for train in trains for v in train.variables]
        if why is None and len(set(variables)) != len(variables):
            why = "two of them update the same variables"
        if why is not None:
            # TF1 ran such steps concurrently, in no fixed order.
            raise NotLiftable(f"several train ops are fetched together, and {why}", cell.index, call)
        key = ("joint", *names)
        params = self.ordered({p for n in names for p in self.names[n].params})
        helper = self.fetch_helpers.get(key)
        last = max(trains, key=lambda g: (g.cell, g.stmt.lineno))
        if helper is None:
            helper = self.fresh("run_" + "_".join(names))
            self.fetch_helpers[key] = helper
            decorator = self.step_decorator(params)
            text = emit.joint_steps_helper(helper, self.signature(params), trains, [self.names[n] for n in names],
                                           self.taken, self.tf, self.fresh(f"{helper}_step") if decorator else None,
                                           tuple(decorator))
            plan = self.plans[last.cell]
            plan.replace[id(last.stmt)] = plan.replace[id(last.stmt)] + "\n" + text
        helper_graph = GraphName(helper, Kind.TENSOR, last.cell, last.stmt, params=params)
        return emit.call(helper_graph, self.arguments(cell, helper_graph, feeds, call))

    def shared_reads_helper(self, cell: CellSource, names: list[str], feeds: dict[str, str], call) -> str | None:
        """``sess.run([loss, accuracy])`` where several fetches read one iterator's elements: TF1 read the iterator
        once for the run, so a helper takes the elements once and computes every fetch from them."""
        if sum(any(self.element(p) for p in self.names[n].params) for n in names) < 2 \
                or any(self.kind(n) is Kind.TRAIN for n in names):
            return None  # a train step's run has a helper of its own, or needs none
        params = self.ordered({p for n in names for p in self.names[n].params})
        key = ("elements", *names)
        helper = self.fetch_helpers.get(key)
        last = max((self.names[n] for n in names), key=lambda g: (g.cell, g.stmt.lineno))
        if helper is None:
            helper = self.fresh("run_" + "_".join(names))
            self.fetch_helpers[key] = helper
            values = [self.value(cell, self.names[n], {}, call, by_name=True) for n in names]
            text = f"def {helper}({self.signature(params)}):\n{emit.INDENT}return [{', '.join(values)}]"
            plan = self.plans[last.cell]
            plan.replace[id(last.stmt)] = plan.replace[id(last.stmt)] + "\n" + text
        helper_graph = GraphName(helper, Kind.TENSOR, last.cell, last.stmt, params=params)
        return emit.call(helper_graph, self.arguments(cell, helper_graph, feeds, call))

    def value(self, cell: CellSource, graph: GraphName, feeds: dict[str, str], call, by_name: bool = False) -> str:
        """What a run returns for ``graph``, called with the run's feeds (``by_name``: with its parameters, inside a
        helper that has them)."""
        if graph.kind is Kind.GRADIENTS:
            raise NotLiftable(f"`{graph.name}` is computed by a train step from its gradients, and is fetched "
                              "without that step", cell.index, call)
        arguments = None if by_name else self.arguments(cell, graph, feeds, call)
        if graph.kind is Kind.SUMMARY:
            return emit.call(graph, arguments)
        if graph.kind is Kind.TENSOR:
            text = emit.call(graph, arguments)
            if graph.structured:
                return f"{self.tf}.nest.map_structure(lambda tensor: tensor.numpy(), {text})"
            if graph.definition is None:
                return f"{text}.numpy()"
            return self.numpy(self.cells[graph.cell], graph.definition, text, call_text=True)
        return f"{graph.name}.numpy()"

    def arguments(self, cell: CellSource, graph: GraphName, feeds: dict[str, str], call) -> list[str]:
        missing = [p for p in graph.params if p not in feeds and p not in self.defaults and not self.element(p)]
        if missing:
            raise NotLiftable(f"`{graph.name}` needs placeholder `{missing[0]}`, which this run does not feed",
                              cell.index, call)
        arguments, by_keyword = [], False
        for p in graph.params:
            element = self.element(p)
            if element is not None:
                if p == element.feeds[0]:
                    arguments.append(self.next_argument(element))
            elif p not in feeds:
                by_keyword = True  # left to its default, so the ones after it are passed by name
            else:
                arguments.append(f"{p}={feeds[p]}" if by_keyword else feeds[p])
        return arguments
