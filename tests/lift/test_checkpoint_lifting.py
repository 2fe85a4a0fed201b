"""A notebook that finds its checkpoints again (`tf.train.latest_checkpoint`) saves through a CheckpointManager.

TF1's Saver wrote the folder's `checkpoint` state file and deleted all but the last `max_to_keep` checkpoints;
`Checkpoint.write` does neither, so the lifted notebook would find nothing. The lifted code is run on TF 2.21 here.
"""

import os

import pytest

from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

CELLS = [
    "import os\nimport tensorflow as tf\n",
    "w = tf.Variable(1.0)\nstep = tf.Variable(0, trainable=False)\ngrow = tf.assign_add(w, 1.0)\n"
    "reset = tf.assign(w, 0.0)\nsaver = tf.train.Saver(max_to_keep=2)\n",
    "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
    "for i in range(1, 5):\n"
    "    sess.run(grow)\n"
    "    last = step.assign(i).eval()\n"
    "    saved = saver.save(sess, os.path.join(folder, 'model.ckpt'), global_step=step)\n",
    "sess.run(reset)\n"
    "latest = tf.train.latest_checkpoint(folder)\n"
    "saver.restore(sess, latest)\n"
    "restored = sess.run(w)\n"
    "kept = tf.train.get_checkpoint_state(folder).all_model_checkpoint_paths\n",
]


def migrated(cells):
    context = NotebookContext.from_cells(cells)
    return [migrate_lifted(lift, context=context).source for lift in lift_notebook(cells, context)]


def test_saves_go_through_a_checkpoint_manager_keeping_the_savers_max_to_keep():
    cells = migrated(CELLS)
    assert "tf.compat.v1" not in "".join(cells) and "Session" not in "".join(cells)
    assert "def save_checkpoint(checkpoint, prefix, step, max_to_keep):" in cells[1]
    assert "saved = save_checkpoint(saver, os.path.join(folder, 'model.ckpt'), step, 2)" in cells[2]
    assert "last = step.assign(i).numpy()" in cells[2]


def test_the_lifted_notebook_finds_its_last_checkpoint_and_keeps_two(tmp_path):
    pytest.importorskip("tensorflow")
    scope = {"folder": str(tmp_path)}
    exec("\n".join(migrated(CELLS)), scope)
    # TF1 named the checkpoints prefix-step, kept the last two and restored the last one.
    assert os.path.basename(scope["latest"]) == "model.ckpt-4" == os.path.basename(scope["saved"])
    assert scope["restored"] == 5.0 and scope["last"] == 4
    assert [os.path.basename(p) for p in scope["kept"]] == ["model.ckpt-3", "model.ckpt-4"]
    assert sorted(p.name for p in tmp_path.glob("*.index")) == ["model.ckpt-3.index", "model.ckpt-4.index"]


def test_a_save_without_a_step_stays_refused():
    cells = [CELLS[0], CELLS[1], CELLS[2].replace(", global_step=step", ""), CELLS[3]]
    context = NotebookContext.from_cells(cells)
    manual = [f for lift in lift_notebook(cells, context) for f in lift.manual]
    assert len(manual) == 1 and "without a `global_step`" in manual[0].message


INSIDE_A_BLOCK = [CELLS[0], CELLS[1].replace("saver = tf.train.Saver(max_to_keep=2)\n", ""),
                  "# the session block\n"
                  "with tf.Session() as sess:\n    saver = tf.train.Saver(max_to_keep=2)\n"
                  "    sess.run(tf.global_variables_initializer())\n"
                  "    for i in range(1, 4):\n"
                  "        sess.run(grow)\n"
                  "        step.assign(i).eval()\n"
                  "        saver.save(sess, os.path.join(folder, 'model.ckpt'), global_step=step)\n"
                  "    latest = tf.train.latest_checkpoint(folder)\n"]


def test_a_saver_made_inside_a_session_block_gets_the_helper_at_the_top_of_its_cell(tmp_path):
    cells = migrated(INSIDE_A_BLOCK)
    assert cells[2].startswith("def save_checkpoint(checkpoint, prefix, step, max_to_keep):")
    assert "\n# the session block\nsaver = tf.train.Checkpoint(" in cells[2]
    pytest.importorskip("tensorflow")
    scope = {"folder": str(tmp_path)}
    exec("\n".join(cells), scope)
    assert os.path.basename(scope["latest"]) == "model.ckpt-3"
    assert sorted(p.name for p in tmp_path.glob("*.index")) == ["model.ckpt-2.index", "model.ckpt-3.index"]
