"""Queue-based input pipelines lifted to ``tf.data`` (TFM420).

Before ``tf.data``, TF1 read files through queues that background threads filled::

    filename_queue = tf.train.string_input_producer(["a.csv", "b.csv"], num_epochs=2, shuffle=False)
    reader = tf.TextLineReader(skip_header_lines=1)
    key, value = reader.read(filename_queue)
    x1, x2, label = tf.decode_csv(value, record_defaults=[[0.0], [0.0], [0]])
    features = tf.stack([x1, x2])
    batch_x, batch_y = tf.train.batch([features, label], batch_size=4)
    ...
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)

Each ``sess.run`` that needed ``batch_x`` dequeued the next batch, and the queues raised ``OutOfRangeError`` after the
last epoch. The same pipeline is a dataset: the producer becomes a dataset of file names (shuffled each epoch if it
was, repeated ``num_epochs`` times), the reader's ``read`` a dataset of records, and ``tf.train.batch`` a ``map`` of the
per-record tensors (functions of the record, as the lifting makes them of placeholders) followed by ``batch``. The
batch tensors are then an iterator's elements (``iterators.py``): a run passes ``*batches_iterator.get_next()``, which
raises the same ``OutOfRangeError`` at the end, so the notebook's ``try``/``except`` loop still ends it.
``tf.train.slice_input_producer`` is ``from_tensor_slices``. There are no queue-runner threads to start: ``threads``
is an empty list, which ``coord.join`` accepts.

What changes: ``tf.train.batch`` with ``num_threads > 1`` mixed records from its threads in no fixed order; the
dataset keeps the files' order. ``shuffle_batch`` shuffles within a buffer of its ``capacity``, as random as TF1's
queue but not the same draws.
"""

from __future__ import annotations

import ast

from . import emit
from .model import GraphName, Kind, NotLiftable
from .syntax import named_arguments

#: producers of file names or of slices, as the index names them -> positional parameters
PRODUCERS = {
    "train.string_input_producer": ("string_tensor", "num_epochs", "shuffle", "seed", "capacity", "shared_name",
                                    "name", "cancel_op"),
    "train.slice_input_producer": ("tensor_list", "num_epochs", "shuffle", "seed", "capacity", "shared_name",
                                   "name"),
}
#: reader class -> its positional parameters (:meth:`QueueLifting.records` writes each one's dataset)
READERS = {
    "TextLineReader": ("skip_header_lines", "name"),
    "TFRecordReader": ("name", "options"),
    "FixedLengthRecordReader": ("record_bytes", "header_bytes", "footer_bytes", "hop_bytes", "name", "encoding"),
    "WholeFileReader": ("name",),
}
BATCHES = {
    "train.batch": ("tensors", "batch_size", "num_threads", "capacity", "enqueue_many", "shapes", "dynamic_pad",
                    "allow_smaller_final_batch", "shared_name", "name"),
    "train.shuffle_batch": ("tensors", "batch_size", "capacity", "min_after_dequeue", "num_threads", "seed",
                            "enqueue_many", "shapes", "allow_smaller_final_batch", "shared_name", "name"),
}
#: calls of the session code around queues: ``start_queue_runners`` starts nothing now; a ``Coordinator`` is a
#: plain Python object in TF2 too
STARTS = {"train.start_queue_runners"}
PLAIN = {"train.Coordinator"}


def _literal(node: ast.expr | None, default):
    if node is None:
        return default
    if isinstance(node, ast.Constant):
        return node.value
    return ...  # not a literal


class QueueLifting:
    """The Lifter's reading of queue pipelines (a mixin: it uses the Lifter's state)."""

    def queue_definition(self, cell, stmt: ast.stmt) -> bool:
        """Read ``stmt`` if it makes a producer, a reader, a reader's records or a batch, or starts the runners."""
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and cell.api.get(id(stmt.value)) in STARTS:
            self.plans[cell.index].delete.add(id(stmt))
            self.note(cell, "TFM420", stmt, "a tf.data pipeline has no queue runners to start")
            stmt._lift_done = True
            return True
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call)):
            return False
        target, value = stmt.targets[0], stmt.value
        api = cell.api.get(id(value))
        if api in STARTS and isinstance(target, ast.Name):
            self.plans[cell.index].replace[id(stmt)] = \
                f"{target.id} = []  # a tf.data pipeline has no queue-runner threads"
            self.note(cell, "TFM420", stmt, "a tf.data pipeline has no queue runners to start")
        elif api in PRODUCERS:
            self.producer(cell, target, value, api, stmt)
        elif self.queue_reader(cell, value) is not None:
            if not isinstance(target, ast.Name):
                raise NotLiftable("a queue reader is bound to something other than a name", cell.index, stmt)
            self.queue_readers[target.id] = self.queue_reader(cell, value)
            self.bind(GraphName(target.id, Kind.READER, cell.index, stmt), cell, stmt)
            self.plans[cell.index].delete.add(id(stmt))
        elif api is None and isinstance(value.func, ast.Attribute) and self.queue_reader(cell, value.func.value):
            self.records(cell, target, value, stmt)
        elif api in BATCHES:
            self.batches(cell, target, value, api, stmt)
        else:
            return False
        stmt._lift_done = True
        return True

    # -- producers and readers --------------------------------------------------------------------------------
    def queue_reader(self, cell, node: ast.expr) -> tuple[str, dict] | None:
        """(class, arguments) of a reader made by ``node`` (``tf.TextLineReader(...)``) or bound to its name."""
        if isinstance(node, ast.Name) and self.kind(node.id) is Kind.READER:
            return self.queue_readers[node.id]
        api = cell.api.get(id(node)) if isinstance(node, ast.Call) else None
        kind = api.rsplit(".", 1)[-1] if api is not None and api.count(".") <= 1 else None
        return (kind, named_arguments(node, READERS[kind], f"tf.{api}")) if kind in READERS else None

    def producer(self, cell, target: ast.expr, call: ast.Call, api: str, stmt: ast.stmt) -> None:
        named = named_arguments(call, PRODUCERS[api], f"tf.{api}")
        source = named.get("string_tensor", named.get("tensor_list"))
        if source is None:
            raise NotLiftable(f"`tf.{api}` is called without what it produces", cell.index, call)
        shuffle, epochs = _literal(named.get("shuffle"), True), named.get("num_epochs")
        if shuffle is ... or not isinstance(shuffle, bool):
            raise NotLiftable(f"`tf.{api}` is given a `shuffle` that is not a literal True or False", cell.index, call)
        for node in (source, epochs, named.get("seed")):
            if node is not None:
                self.check_plain(cell, node)
        if api == "train.slice_input_producer":
            if not (isinstance(source, (ast.List, ast.Tuple)) and isinstance(target, (ast.Tuple, ast.List))
                    and all(isinstance(e, ast.Name) for e in target.elts) and len(target.elts) == len(source.elts)):
                raise NotLiftable("`tf.train.slice_input_producer` is not given a list of tensors unpacked into "
                                  "as many names", cell.index, stmt)
            slices = ", ".join(cell.segment(e) for e in source.elts)
            text = f"{self.tf}.data.Dataset.from_tensor_slices(({slices}{',' if len(source.elts) == 1 else ''}))"
            size = f"len({cell.segment(source.elts[0])})"
        else:
            if not isinstance(target, ast.Name):
                raise NotLiftable("a file name queue is bound to something other than a name", cell.index, stmt)
            text = f"{self.tf}.data.Dataset.from_tensor_slices({cell.segment(source)})"
            size = f"len({cell.segment(source)})"
        if shuffle:
            # TF1 shuffled the whole list again for each epoch.
            seed = named.get("seed")
            text += f".shuffle({size}{', seed=' + cell.segment(seed) if seed is not None else ''})"
        if epochs is not None and not (isinstance(epochs, ast.Constant) and epochs.value is None):
            text += f".repeat({cell.segment(epochs)})"
        else:
            text += ".repeat()"
        if api == "train.slice_input_producer":
            names = tuple(e.id for e in target.elts)
            records = self.fresh("records")
            self.record_elements(cell, names, records, f"{records} = {text}", stmt)
            self.note(cell, "TFM420", call, f"`tf.train.slice_input_producer` becomes `{records}`, a dataset of "
                                            "the slices")
            return
        dict.__setitem__(self.names, target.id, GraphName(target.id, Kind.DATASET, cell.index, stmt))
        start, end = cell.span(call)
        self.plans[cell.index].edits.append((start, end, text))
        self.note(cell, "TFM420", call, f"`{target.id}` becomes a dataset of the file names")

    def records(self, cell, target: ast.expr, call: ast.Call, stmt: ast.stmt) -> None:
        """``key, value = reader.read(filename_queue)``: a dataset of the files' records."""
        kind, options = self.queue_reader(cell, call.func.value)
        reader = call.func.value.id if isinstance(call.func.value, ast.Name) else kind
        files = call.args[0] if len(call.args) == 1 and not call.keywords else None
        if call.func.attr != "read" or not (isinstance(files, ast.Name) and self.kind(files.id) is Kind.DATASET):
            raise NotLiftable(f"`{reader}.{call.func.attr}` is not a `read` of a file name queue", cell.index, call)
        if not (isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)):
            raise NotLiftable("a reader's key and value are not unpacked into two names", cell.index, stmt)
        key, value = (e.id for e in target.elts)
        tf = self.tf
        if kind == "TextLineReader":
            skip = options.get("skip_header_lines")
            lines = f"{tf}.data.TextLineDataset(filename)"
            one_file = lines if _literal(skip, 0) in (0, None) else f"{lines}.skip({cell.segment(skip)})"
        elif kind == "TFRecordReader":
            if options.get("options") is not None:
                raise NotLiftable("a `TFRecordReader` is given options (compression)", cell.index, call)
            one_file = f"{tf}.data.TFRecordDataset(filename)"
        elif kind == "FixedLengthRecordReader":
            if options.get("hop_bytes") is not None or options.get("encoding") is not None:
                raise NotLiftable("a `FixedLengthRecordReader` is given `hop_bytes` or `encoding`", cell.index, call)
            if "record_bytes" not in options:
                raise NotLiftable("a `FixedLengthRecordReader` is made without `record_bytes`", cell.index, call)
            sizes = "".join(f", {name}={cell.segment(options[name])}" for name in ("header_bytes", "footer_bytes")
                            if options.get(name) is not None)
            one_file = f"{tf}.data.FixedLengthRecordDataset(filename, {cell.segment(options['record_bytes'])}{sizes})"
        else:  # WholeFileReader: the key is the file name, the value its contents
            one_file = None
        records = self.fresh("records")
        key_read = key != "_" and self.is_read(key)
        if one_file is None and key_read:
            text = f"{records} = {files.id}.map(lambda filename: (filename, {tf}.io.read_file(filename)))"
            names = (key, value)
        elif one_file is None:
            text = f"{records} = {files.id}.map({tf}.io.read_file)"
            names = (value,)
        else:
            # The reader went through the files in the queue's order, each from its first record.
            text = f"{records} = {files.id}.flat_map(lambda filename: {one_file})"
            names = (value,)
            if key_read:
                raise NotLiftable(f"`{key}`, the reader's key (file name and record number), is read", cell.index,
                                  stmt)
        self.record_elements(cell, names, records, text, stmt)
        self.note(cell, "TFM420", call, f"`{reader}.read` becomes `{records}`, a dataset of the files' records")

    def record_elements(self, cell, names: tuple[str, ...], records: str, text: str, stmt: ast.stmt) -> None:
        """The names of one record: the elements of an iterator over the records (each run that reads them took
        the next record from the queue), until a batch maps them."""
        iterator = self.iterated(cell, records, text, names, stmt)
        self.record_datasets[names] = (records, iterator, text)

    def iterated(self, cell, dataset: str, text: str, names: tuple[str, ...], stmt: ast.stmt) -> str:
        """``stmt`` becomes ``text`` (which makes ``dataset``) and an iterator over it, whose elements ``names`` are,
        as the elements of a ``get_next()`` (``iterators.py``); the iterator's name."""
        iterator = self.fresh(f"{dataset}_iterator")
        self.plans[cell.index].replace[id(stmt)] = f"{text}\n{iterator} = iter({dataset})"
        dict.__setitem__(self.names, dataset, GraphName(dataset, Kind.DATASET, cell.index, stmt))
        self.names[iterator] = GraphName(iterator, Kind.ITERATOR, cell.index, stmt)
        for name in names:
            self.bind(GraphName(name, Kind.PLACEHOLDER, cell.index, stmt, params=(name,), iterator=iterator,
                                feeds=names), cell, stmt)
            self.placeholder_order.append(name)
        return iterator

    # -- batches ----------------------------------------------------------------------------------------------
    def batches(self, cell, target: ast.expr, call: ast.Call, api: str, stmt: ast.stmt) -> None:
        named = named_arguments(call, BATCHES[api], f"tf.{api}")
        tensors, size = named.get("tensors"), named.get("batch_size")
        if not (isinstance(tensors, (ast.List, ast.Tuple)) and tensors.elts and size is not None):
            raise NotLiftable(f"`tf.{api}` is not given a list of tensors and a batch size", cell.index, call)
        if not (isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(tensors.elts)
                and all(isinstance(e, ast.Name) for e in target.elts)):
            raise NotLiftable(f"`tf.{api}`'s batches are not unpacked into one name per tensor", cell.index, stmt)
        for option in ("enqueue_many", "dynamic_pad"):
            if _literal(named.get(option), False) is not False:
                raise NotLiftable(f"`tf.{api}` is given `{option}`", cell.index, call)
        smaller = _literal(named.get("allow_smaller_final_batch"), False)
        if not isinstance(smaller, bool):
            raise NotLiftable(f"`tf.{api}`'s `allow_smaller_final_batch` is not a literal", cell.index, call)
        self.check_plain(cell, size)
        items, group = [], None
        for item in tensors.elts:
            deps, edits, random, _ = self.expression(cell, item)
            params = {p for d in deps for p in self.names[d].params}
            groups = {names for names in self.record_datasets if params & set(names)}
            if random or len(groups) != 1 or not params <= set(next(iter(groups))):
                raise NotLiftable(f"`tf.{api}` batches a tensor that is not computed from one reader's records "
                                  "alone", cell.index, item)
            group = groups.pop() if group is None or group in groups else None
            if group is None:
                raise NotLiftable(f"`tf.{api}` batches the records of two readers", cell.index, call)
            start, _ = cell.span(item)
            items.append(emit.relative(cell.segment(item), start, edits))
        records, iterator, text = self.record_datasets.pop(group)
        # Mapped now: a run can no longer take one record alone (TF1's batch threads took them all).
        read = self.names[group[0]]
        self.plans[read.cell].replace[id(read.stmt)] = text
        dict.pop(self.names, iterator)
        for name in group:
            dict.__setitem__(self.names, name, GraphName(name, Kind.PLACEHOLDER, read.cell, read.stmt,
                                                         params=(name,)))
        text = records if items == list(group) else \
            f"{records}.map(lambda {', '.join(group)}: ({', '.join(items)}{',' if len(items) == 1 else ''}))"
        if api == "train.shuffle_batch":
            capacity = named.get("capacity")
            if capacity is None:
                raise NotLiftable("`tf.train.shuffle_batch` is given no capacity", cell.index, call)
            seed = named.get("seed")
            text += f".shuffle({cell.segment(capacity)}{', seed=' + cell.segment(seed) if seed is not None else ''})"
        text += f".batch({cell.segment(size)}{'' if smaller else ', drop_remainder=True'})"
        batches, names = self.fresh("batches"), tuple(e.id for e in target.elts)
        self.iterated(cell, batches, f"{batches} = {text}", names, stmt)
        self.note(cell, "TFM420", call, f"`tf.{api}` becomes `{batches}`, a batched dataset; "
                                        f"{', '.join(f'`{n}`' for n in names)} are the next batch where a run reads "
                                        "them")
