"""tf.data iterators lifted to Python iteration over eager datasets (TFM400).

TF1 read a dataset through an iterator op: ``get_next()`` was a tensor that advanced on every ``sess.run``
that needed it, and ``sess.run(iterator.initializer, feed_dict)`` (re)started it, possibly on fed arrays.
Eager TF2 iterates the dataset itself: ``iter(dataset)`` starts, ``iterator.get_next()`` advances and raises
the same ``tf.errors.OutOfRangeError`` at the end, so a notebook's ``try``/``except`` loops keep working.

What the lifting reads:

- datasets (a ``tf.data.Dataset...`` call chain): eager objects kept as they are, or functions of the
  placeholders they read (``from_tensor_slices((x_placeholder, ...))``), called where the iterator starts;
- iterators: a one-shot iterator is ``iter(dataset)`` where it was made; an initializable one, or one made
  ``from_structure``, starts where its initializer runs: ``iterator = iter(dataset(feeds))``;
- elements (``x, y = iterator.get_next()``): parameters of the functions that read them, like placeholders.
  A graph run passes ``*iterator.get_next()``, so it advances the iterator once, as the session did; a run
  whose fetches would read one iterator through two calls is refused.
"""

from __future__ import annotations

import ast
from collections import Counter

from . import emit
from .model import GraphName, Kind, NotLiftable

#: the TF1 API calls that start a dataset pipeline (what follows them is a chain of dataset methods)
DATASET_SOURCES = ("data.Dataset.", "data.TFRecordDataset", "data.TextLineDataset", "data.FixedLengthRecordDataset",
                   "data.experimental.CsvDataset")
ITERATOR_METHODS = {"make_one_shot_iterator", "make_initializable_iterator"}
ITERATOR_FUNCTIONS = {"data.make_one_shot_iterator": "make_one_shot_iterator",
                      "data.make_initializable_iterator": "make_initializable_iterator"}


def is_dataset_source(api: str | None) -> bool:
    return api is not None and api.startswith(DATASET_SOURCES)


class IteratorLifting:
    """The Lifter's reading of datasets, iterators and their elements (a mixin: it uses the Lifter's state)."""

    #: iterator name -> how many times the graph run being rewritten calls its ``get_next()``
    iterator_reads: Counter

    # -- phase 1 ------------------------------------------------------------------------------------------
    def data_definition(self, cell, stmt: ast.stmt) -> bool:
        """Read ``stmt`` if it makes a dataset, an iterator, an iterator's initializer or its elements."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
            return False
        target, value = stmt.targets[0], stmt.value
        if self.next_elements(cell, value) is not None:
            self.elements(cell, target, value, stmt)
        elif not isinstance(target, ast.Name):
            return False
        elif self.iterator_made(cell, value) is not None:
            self.iterator(cell, target.id, value, stmt)
        elif self.dataset_chain(cell, value):
            self.dataset(cell, target.id, value, stmt)
        elif isinstance(value, ast.Call) and cell.api.get(id(value)) == "data.Iterator.from_structure":
            name = target.id
            self.bind(GraphName(name, Kind.ITERATOR, cell.index, stmt), cell, stmt)
            self.plans[cell.index].delete.add(id(stmt))
            self.note(cell, "TFM400", stmt, f"`{name}` is an iterator over whichever dataset starts it")
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr == "make_initializer" and isinstance(value.func.value, ast.Name) \
                and self.kind(value.func.value.id) is Kind.ITERATOR:
            if len(value.args) != 1 or value.keywords:
                raise NotLiftable("`make_initializer` is not given just a dataset", cell.index, value)
            self.dataset_operand(cell, value.args[0])
            name = target.id
            self.bind(GraphName(name, Kind.ITERATOR_START, cell.index, stmt, iterator=value.func.value.id,
                                definition=value.args[0]), cell, stmt)
            self.plans[cell.index].delete.add(id(stmt))
            self.note(cell, "TFM400", stmt, f"running `{name}` starts `{value.func.value.id}` on the dataset")
        else:
            return False
        stmt._lift_done = True
        return True

    def dataset_chain(self, cell, value: ast.expr) -> bool:
        """``tf.data.Dataset.range(10).map(f)`` or ``dataset.batch(4)``: dataset methods all the way down."""
        node = value
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and id(node) not in cell.api:
            if node.func.attr in ITERATOR_METHODS | {"get_next", "make_initializer"}:
                return False
            node = node.func.value
        if isinstance(node, ast.Call):
            return is_dataset_source(cell.api.get(id(node)))
        return node is not value and isinstance(node, ast.Name) and self.is_dataset(node.id)

    def is_dataset(self, name: str) -> bool:
        graph = self.names.get(name)
        return graph is not None and (graph.kind is Kind.DATASET or graph.kind is Kind.TENSOR and graph.dataset)

    def dataset(self, cell, name: str, value: ast.expr, stmt: ast.stmt) -> None:
        deps, _, _, _ = self.expression(cell, value)
        kinds = {self.names[d].kind for d in deps}
        if Kind.VARIABLE in kinds or Kind.VARIABLES in kinds or Kind.LAYER in kinds:
            raise NotLiftable("the dataset reads a variable, which TF1 read when the iterator started",
                              cell.index, value)
        if kinds & {Kind.PLACEHOLDER, Kind.TENSOR}:
            # Made from fed arrays: a function of its placeholders, called where the iterator starts.
            self.tensor(cell, name, value, stmt)
            self.names[name].dataset = True
            return
        known = self.names.get(name)
        if known is not None and known.kind is not Kind.DATASET:
            raise NotLiftable(f"`{name}` is bound again after it was defined as a {known.kind.value}", cell.index,
                              stmt)
        # An eager dataset is a plain Python value: binding it again is what the notebook does anyway.
        dict.__setitem__(self.names, name, GraphName(name, Kind.DATASET, cell.index, stmt))

    def dataset_operand(self, cell, node: ast.expr) -> None:
        if not (isinstance(node, ast.Name) and self.is_dataset(node.id) or self.dataset_chain(cell, node)):
            raise NotLiftable("an iterator is made from something the lifting does not know as a dataset",
                              cell.index, node)
        if not isinstance(node, ast.Name):
            self.check_plain(cell, node)

    def iterator_made(self, cell, value: ast.expr) -> tuple[str, ast.expr] | None:
        """(method, dataset) of ``dataset.make_one_shot_iterator()`` or ``tf.data.make_one_shot_iterator(ds)``."""
        if not isinstance(value, ast.Call):
            return None
        api = cell.api.get(id(value))
        if api in ITERATOR_FUNCTIONS and len(value.args) == 1 and not value.keywords:
            return ITERATOR_FUNCTIONS[api], value.args[0]
        if isinstance(value.func, ast.Attribute) and value.func.attr in ITERATOR_METHODS and api is None:
            if value.args or value.keywords:
                raise NotLiftable(f"`{value.func.attr}` is given arguments", cell.index, value)
            return value.func.attr, value.func.value
        return None

    def iterator(self, cell, name: str, value: ast.Call, stmt: ast.stmt) -> None:
        method, dataset = self.iterator_made(cell, value)
        self.dataset_operand(cell, dataset)
        graph = GraphName(name, Kind.ITERATOR, cell.index, stmt, definition=dataset)
        self.bind(graph, cell, stmt)
        if method == "make_initializable_iterator":
            self.plans[cell.index].delete.add(id(stmt))
            self.note(cell, "TFM400", stmt, f"`{name}` starts where its initializer runs")
            return
        start, end = cell.span(value)
        self.plans[cell.index].edits.append((start, end, f"iter({self.one_shot_dataset(cell, dataset)})"))
        self.note(cell, "TFM400", value, f"`{name}` iterates the dataset eagerly")

    def one_shot_dataset(self, cell, dataset: ast.expr) -> str:
        if isinstance(dataset, ast.Name) and self.kind(dataset.id) is Kind.TENSOR:
            raise NotLiftable("a one-shot iterator is made from a dataset that reads placeholders", cell.index,
                              dataset)
        return cell.segment(dataset)

    def next_elements(self, cell, value: ast.expr) -> ast.expr | None:
        """The iterator of ``iterator.get_next()`` (a name, or the one-shot iterator made in place), or None."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get_next"
                and id(value) not in cell.api):
            return None
        owner = value.func.value
        if isinstance(owner, ast.Name) and self.kind(owner.id) is Kind.ITERATOR:
            return owner
        made = self.iterator_made(cell, owner)
        return owner if made is not None and made[0] == "make_one_shot_iterator" else None

    def elements(self, cell, target: ast.expr, value: ast.Call, stmt: ast.stmt) -> None:
        if value.args or value.keywords:
            raise NotLiftable("`get_next` is given arguments", cell.index, value)
        if isinstance(target, ast.Name):
            names = (target.id,)
        elif isinstance(target, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in target.elts):
            names = tuple(e.id for e in target.elts)
        else:
            raise NotLiftable("an iterator's elements are unpacked into something other than names", cell.index,
                              target)
        owner = self.next_elements(cell, value)
        if isinstance(owner, ast.Name):
            iterator = owner.id
            self.plans[cell.index].delete.add(id(stmt))
        else:
            # ``pairs.make_one_shot_iterator().get_next()``: the iterator gets a name of its own.
            _, dataset = self.iterator_made(cell, owner)
            self.dataset_operand(cell, dataset)
            base = dataset.id if isinstance(dataset, ast.Name) else "dataset"
            iterator = self.fresh(f"{base}_iterator")
            self.names[iterator] = GraphName(iterator, Kind.ITERATOR, cell.index, stmt, definition=dataset)
            self.plans[cell.index].replace[id(stmt)] = f"{iterator} = iter({self.one_shot_dataset(cell, dataset)})"
        for element in names:
            self.bind(GraphName(element, Kind.PLACEHOLDER, cell.index, stmt, params=(element,), iterator=iterator,
                                feeds=names), cell, stmt)
            self.placeholder_order.append(element)
        listed = ", ".join(f"`{n}`" for n in names)
        become = "becomes a parameter" if len(names) == 1 else "become parameters"
        self.note(cell, "TFM400", stmt, f"{listed} {become}, given `{iterator}.get_next()` where the graph runs")

    # -- phase 2 ------------------------------------------------------------------------------------------
    def element(self, name: str) -> GraphName | None:
        graph = self.names.get(name)
        return graph if graph is not None and graph.kind is Kind.PLACEHOLDER and graph.iterator else None

    def with_whole_groups(self, params: set[str]) -> set[str]:
        """A function reading one element of a ``get_next()`` takes them all, so a run passes ``*get_next()``."""
        return params | {e for p in params if self.element(p) for e in self.names[p].feeds}

    def next_argument(self, graph: GraphName) -> str:
        """What a run passes for the elements of one ``get_next()``, starting at its first element."""
        self.iterator_reads[graph.iterator] += 1
        star = "*" if len(graph.feeds) > 1 else ""
        return f"{star}{graph.iterator}.get_next()"

    def element_fetch(self, cell, fetch: ast.expr) -> str | None:
        """``sess.run(next_element)`` or ``sess.run([x_batch, y_batch])`` (all of one ``get_next()``, in order):
        the next elements, as arrays."""
        names = [fetch] if isinstance(fetch, ast.Name) else list(fetch.elts) \
            if isinstance(fetch, (ast.List, ast.Tuple)) else []
        if not names or not all(isinstance(n, ast.Name) and self.element(n.id) for n in names):
            return None
        group = self.names[names[0].id]
        whole = tuple(n.id for n in names) == group.feeds
        if isinstance(fetch, ast.Name) and len(group.feeds) == 1:
            self.iterator_reads[group.iterator] += 1
            return f"{self.tf}.nest.map_structure(lambda tensor: tensor.numpy(), {group.iterator}.get_next())"
        if isinstance(fetch, ast.Name):
            # One of the elements: TF1 ran the op that made them all, so the iterator still advances once.
            self.iterator_reads[group.iterator] += 1
            return f"{group.iterator}.get_next()[{group.feeds.index(fetch.id)}].numpy()"
        if not whole:
            raise NotLiftable("the fetches take some of an iterator's elements, which would advance it without "
                              "the others", cell.index, fetch)
        self.iterator_reads[group.iterator] += 1
        values = f"[tensor.numpy() for tensor in {group.iterator}.get_next()]"
        return values if isinstance(fetch, ast.List) else f"tuple({values})"

    def iterator_start(self, cell, call: ast.Call, shadow) -> bool:
        """``sess.run(iterator.initializer, feed_dict=...)`` or ``sess.run(init_op)`` as a statement: the iterator
        starts again on the dataset, made from the fed arrays."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "run" and isinstance(func.value, ast.Name)
                and func.value.id not in shadow and self.kind(func.value.id) is Kind.SESSION and call.args):
            return False
        fetch = call.args[0]
        if isinstance(fetch, ast.Attribute) and fetch.attr == "initializer" and isinstance(fetch.value, ast.Name) \
                and self.kind(fetch.value.id) is Kind.ITERATOR:
            iterator = holder = self.names[fetch.value.id]
        elif isinstance(fetch, ast.Name) and self.kind(fetch.id) is Kind.ITERATOR_START:
            holder = self.names[fetch.id]
            iterator = self.names[holder.iterator]
        else:
            return False
        dataset = holder.definition
        if dataset is None:
            raise NotLiftable(f"`{iterator.name}` is started without a dataset", cell.index, call)
        if self.functions_around:
            raise NotLiftable("an iterator is started inside a function, which would need it as a global",
                              cell.index, call)
        if len(call.args) > 2 or any(k.arg != "feed_dict" for k in call.keywords):
            raise NotLiftable("the iterator is started with options the lifting does not carry over", cell.index,
                              call)
        feed = call.args[1] if len(call.args) == 2 else next((k.value for k in call.keywords), None)
        feeds = self.feeds(cell, feed, shadow)
        graph = self.names[dataset.id] if isinstance(dataset, ast.Name) else None
        if graph is not None and graph.kind is Kind.TENSOR:
            text = emit.call(graph, self.arguments(cell, graph, feeds, call))
        elif feeds:
            raise NotLiftable("the iterator's start feeds placeholders its dataset does not read", cell.index, call)
        else:
            text = self.cells[holder.cell].segment(dataset)
        start, end = cell.span(call)
        self.plans[cell.index].edits.append((start, end, f"{iterator.name} = iter({text})"))
        self.note(cell, "TFM400", call, f"the iterator starts again: `{iterator.name} = iter({text})`")
        return True
