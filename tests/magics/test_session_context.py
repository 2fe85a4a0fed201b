"""Which imports %%tf2_migrate assumes: the session's earlier inputs, in order, later ones winning."""

from __future__ import annotations

from types import SimpleNamespace

from kernel_helpers.magics import MigrationMagics


class FakeShell:
    def __init__(self):
        self.history_manager = SimpleNamespace(input_hist_raw=[""])  # IPython's history starts with ""
        self.configurables = []

    def run(self, text: str) -> None:
        self.history_manager.input_hist_raw.append(text)


def migrated(magics: MigrationMagics, cell: str) -> str:
    return magics._migrate(cell, "tf2", False).source


def test_aliases_come_from_earlier_inputs_and_later_imports_win():
    shell = FakeShell()
    magics = MigrationMagics(shell)
    assert migrated(magics, "y = tfx.log(x)\n") == "y = tfx.log(x)\n"  # tfx is nothing yet
    shell.run("import tensorflow as tfx")
    assert migrated(magics, "y = tfx.log(x)\n") == "y = tfx.math.log(x)\n"
    shell.run("import numpy as tfx")
    assert migrated(magics, "y = tfx.log(x)\n") == "y = tfx.log(x)\n"


def test_a_pasted_cell_without_imports_is_read_as_using_tensorflow_as_tf():
    shell = FakeShell()
    magics = MigrationMagics(shell)
    assert migrated(magics, "y = tf.log(x)\n") == "y = tf.math.log(x)\n"
    # but not when the session says what `tf` is
    shell.run("import numpy as tf")
    assert migrated(magics, "y = tf.log(x)\n") == "y = tf.log(x)\n"


def test_a_restarted_history_starts_a_new_context():
    shell = FakeShell()
    magics = MigrationMagics(shell)
    shell.run("import tensorflow as tfx")
    assert migrated(magics, "y = tfx.log(x)\n") == "y = tfx.math.log(x)\n"
    shell.history_manager.input_hist_raw = [""]
    assert migrated(magics, "y = tfx.log(x)\n") == "y = tfx.log(x)\n"
