"""TFM504 flags-to-absl: TF1's flags and app.run to absl, with the parse TF1 did implicitly."""

import subprocess
import sys
import textwrap

import pytest

from helpers import assert_migrates, codes, dedent, migrated
from nbfactory import make_notebook

from kernel_helpers import analyze, migrate_notebook

PARSER = "flags_parser=lambda args: {}.FLAGS(args, known_only=True)"

CASES = {
    "alias-then-read": (
        """
        import tensorflow as tf
        flags = tf.app.flags
        flags.DEFINE_float("learning_rate", 0.01, "step size")
        FLAGS = flags.FLAGS
        print(FLAGS.learning_rate)
        """,
        """
        import tensorflow as tf
        from absl import flags
        import sys
        flags.DEFINE_float("learning_rate", 0.01, "step size")
        FLAGS = flags.FLAGS
        FLAGS(sys.argv, known_only=True)
        print(FLAGS.learning_rate)
        """),
    "alias-other-name": (
        """
        import tensorflow as tf
        tf_flags = tf.flags
        tf_flags.DEFINE_integer("steps", 10, "steps")
        print(tf_flags.FLAGS.steps)
        """,
        """
        import tensorflow as tf
        from absl import flags as tf_flags
        import sys
        tf_flags.DEFINE_integer("steps", 10, "steps")
        tf_flags.FLAGS(sys.argv, known_only=True)
        print(tf_flags.FLAGS.steps)
        """),
    "direct-defines-end-the-cell": (
        """
        import tensorflow as tf
        tf.app.flags.DEFINE_integer("batch", 32, "batch size")
        tf.flags.DEFINE_string("name", "x", "a name")
        """,
        """
        import tensorflow as tf
        import absl.flags
        import sys
        absl.flags.DEFINE_integer("batch", 32, "batch size")
        absl.flags.DEFINE_string("name", "x", "a name")
        absl.flags.FLAGS(sys.argv, known_only=True);
        """),
    "tf14-keywords": (
        """
        import tensorflow as tf
        tf.flags.DEFINE_string(flag_name="name", default_value="x", docstring="a name")
        tf.flags.DEFINE_enum("mode", "a", ["a", "b"], "mode")
        """,
        """
        import tensorflow as tf
        import absl.flags
        import sys
        absl.flags.DEFINE_string(name="name", default="x", help="a name")
        absl.flags.DEFINE_enum("mode", "a", ["a", "b"], "mode")
        absl.flags.FLAGS(sys.argv, known_only=True);
        """),
    "compat-v1-spellings": (
        """
        import tensorflow as tf
        tf.compat.v1.flags.DEFINE_integer("n", 3, "n")
        FLAGS = tf.compat.v1.app.flags.FLAGS
        print(FLAGS.n)
        """,
        """
        import tensorflow as tf
        import absl.flags
        import sys
        absl.flags.DEFINE_integer("n", 3, "n")
        FLAGS = absl.flags.FLAGS
        FLAGS(sys.argv, known_only=True)
        print(FLAGS.n)
        """),
    "compat-v1-import": (
        """
        import tensorflow.compat.v1 as tf
        tf.app.flags.DEFINE_integer("n", 3, "n")
        x = tf.app.flags.FLAGS.n
        """,
        """
        import tensorflow.compat.v1 as tf
        import absl.flags
        import sys
        absl.flags.DEFINE_integer("n", 3, "n")
        absl.flags.FLAGS(sys.argv, known_only=True)
        x = absl.flags.FLAGS.n
        """),
    "flags-object-binding-alone": (
        """
        import tensorflow as tf
        FLAGS = tf.app.flags.FLAGS
        """,
        """
        import tensorflow as tf
        import sys
        import absl.flags
        FLAGS = absl.flags.FLAGS
        FLAGS(sys.argv, known_only=True);
        """),
    "existing-absl-alias": (
        """
        import tensorflow as tf
        from absl import flags as absl_flags
        tf.flags.DEFINE_bool("fast", False, "go fast")
        """,
        """
        import tensorflow as tf
        from absl import flags as absl_flags
        import sys
        absl_flags.DEFINE_bool("fast", False, "go fast")
        absl_flags.FLAGS(sys.argv, known_only=True);
        """),
    "import-from-split": (
        """
        from tensorflow.compat.v1 import flags, logging
        flags.DEFINE_integer("n", 3, "n")
        logging.info("%d", flags.FLAGS.n)
        """,
        """
        from absl import flags
        from tensorflow.compat.v1 import logging
        import sys
        import absl.logging
        flags.DEFINE_integer("n", 3, "n")
        flags.FLAGS(sys.argv, known_only=True)
        absl.logging.info("%d", flags.FLAGS.n)
        """),
    "import-as": (
        """
        import tensorflow.compat.v1.flags as tf_flags
        tf_flags.DEFINE_integer("n", 3, "n")
        """,
        """
        import absl.flags as tf_flags
        import sys
        tf_flags.DEFINE_integer("n", 3, "n")
        tf_flags.FLAGS(sys.argv, known_only=True);
        """),
    "private-module-import": (
        """
        from tensorflow.python.platform import flags
        flags.DEFINE_integer("n", 3, "n")
        """,
        """
        from absl import flags
        import sys
        flags.DEFINE_integer("n", 3, "n")
        flags.FLAGS(sys.argv, known_only=True);
        """),
    "app-run-script": (
        """
        import tensorflow as tf
        flags = tf.app.flags
        flags.DEFINE_string("data_dir", "/tmp", "data")
        FLAGS = flags.FLAGS


        def main(_):
            print(FLAGS.data_dir)


        if __name__ == "__main__":
            tf.app.run()
        """,
        f"""
        import tensorflow as tf
        from absl import flags
        import absl.app
        flags.DEFINE_string("data_dir", "/tmp", "data")
        FLAGS = flags.FLAGS


        def main(_):
            print(FLAGS.data_dir)


        if __name__ == "__main__":
            absl.app.run(main, {PARSER.format("flags")})
        """),
    "app-run-keywords": (
        """
        import tensorflow as tf
        def main(argv):
            return 0
        tf.app.run(main=None, argv=["prog"])
        tf.compat.v1.app.run(argv=["prog"])
        tf.app.run(main, ["prog"])
        """,
        f"""
        import tensorflow as tf
        import absl.app
        import absl.flags
        def main(argv):
            return 0
        absl.app.run(main=main, argv=["prog"], {PARSER.format("absl.flags")})
        absl.app.run(main, argv=["prog"], {PARSER.format("absl.flags")})
        absl.app.run(main, ["prog"], {PARSER.format("absl.flags")})
        """),
    "app-run-given-main-needs-no-definition": (
        """
        import tensorflow as tf
        from absl import app
        tf.app.run(my_main)
        """,
        f"""
        import tensorflow as tf
        from absl import app
        import absl.flags
        app.run(my_main, {PARSER.format("absl.flags")})
        """),
    "app-module-import": (
        """
        from tensorflow.compat.v1 import app
        app.flags.DEFINE_integer("n", 3, "n")
        def main(argv):
            print(app.flags.FLAGS.n)
        app.run()
        """,
        f"""
        from tensorflow.compat.v1 import app
        import absl.flags
        import absl.app
        absl.flags.DEFINE_integer("n", 3, "n")
        def main(argv):
            print(absl.flags.FLAGS.n)
        absl.app.run(main, {PARSER.format("absl.flags")})
        """),
    "whole-notebook-cell": (
        """
        %matplotlib inline
        import numpy as np
        import tensorflow as tf

        flags = tf.app.flags
        flags.DEFINE_float("learning_rate", 0.01, "step size")
        flags.DEFINE_integer("epochs", 3, "epochs")
        FLAGS = flags.FLAGS

        def scaled(x):
            return x * FLAGS.learning_rate

        for epoch in range(FLAGS.epochs):
            print(epoch, scaled(np.ones(2)))
        """,
        """
        import sys
        %matplotlib inline
        import numpy as np
        import tensorflow as tf

        from absl import flags
        flags.DEFINE_float("learning_rate", 0.01, "step size")
        flags.DEFINE_integer("epochs", 3, "epochs")
        FLAGS = flags.FLAGS
        FLAGS(sys.argv, known_only=True)

        def scaled(x):
            return x * FLAGS.learning_rate

        for epoch in range(FLAGS.epochs):
            print(epoch, scaled(np.ones(2)))
        """),
    "reads-in-functions-only": (
        """
        import tensorflow as tf
        def learning_rate():
            return tf.flags.FLAGS.learning_rate
        """,
        """
        import tensorflow as tf
        import absl.flags
        def learning_rate():
            return absl.flags.FLAGS.learning_rate
        """),
    "explicit-parse-kept": (
        """
        import sys
        import tensorflow as tf
        tf.app.flags.DEFINE_integer("n", 3, "n")
        tf.app.flags.FLAGS(sys.argv[:1])
        print(tf.app.flags.FLAGS.n)
        """,
        """
        import sys
        import tensorflow as tf
        import absl.flags
        absl.flags.DEFINE_integer("n", 3, "n")
        absl.flags.FLAGS(sys.argv[:1])
        print(absl.flags.FLAGS.n)
        """),
    "tutorial-known-only-parse": (  # notebooks/tf1/11_flags_and_logging.ipynb already parses the way we do
        """
        import sys
        import tensorflow as tf
        flags = tf.app.flags
        FLAGS = flags.FLAGS
        flags.DEFINE_float("learning_rate", 0.5, "Initial learning rate.")
        unparsed_args = FLAGS(sys.argv, known_only=True)
        FLAGS.learning_rate = 0.1
        """,
        """
        import sys
        import tensorflow as tf
        from absl import flags
        FLAGS = flags.FLAGS
        flags.DEFINE_float("learning_rate", 0.5, "Initial learning rate.")
        unparsed_args = FLAGS(sys.argv, known_only=True)
        FLAGS.learning_rate = 0.1
        """),
    "mark-as-parsed-kept": (
        """
        import tensorflow as tf
        FLAGS = tf.flags.FLAGS
        tf.flags.DEFINE_integer("n", 3, "n")
        FLAGS.mark_as_parsed()
        """,
        """
        import tensorflow as tf
        import absl.flags
        FLAGS = absl.flags.FLAGS
        absl.flags.DEFINE_integer("n", 3, "n")
        FLAGS.mark_as_parsed()
        """),
}

NO_OP = {
    "absl-with-tf": """
        import tensorflow as tf
        from absl import app, flags
        flags.DEFINE_integer("n", 3, "n")
        FLAGS = flags.FLAGS
        print(FLAGS.n)
        app.run(main)
        """,
    "absl-without-tf": """
        from absl import flags
        flags.DEFINE_integer("n", 3, "n")
        print(flags.FLAGS.n)
        """,
    "not-tf-flags": """
        import tensorflow as tf
        import numpy as np
        flags = np.zeros(3)
        print(flags.FLAGS, tf.constant(1))
        """,
    "other-app": """
        import tensorflow as tf
        from flask import app
        app.run()
        """,
}

#: (source, what the finding says): reported, and left to tf.compat.v1 (TFM005)
MANUAL = {
    "read-before-define": ("""
        import tensorflow as tf
        tf.app.flags.DEFINE_integer("a", 1, "a")
        print(tf.app.flags.FLAGS.a)
        tf.app.flags.DEFINE_integer("b", 2, "b")
        """, "is read before the flags are parsed"),
    "read-before-app-run": ("""
        import tensorflow as tf
        tf.flags.DEFINE_integer("n", 3, "n")
        FLAGS = tf.flags.FLAGS
        print(FLAGS.n)
        def main(argv):
            pass
        tf.app.run(main)
        """, "is read before the flags are parsed"),
    "define-in-function": ("""
        import tensorflow as tf
        def define():
            tf.flags.DEFINE_integer("n", 3, "n")
        define()
        """, "flags defined inside a function"),
    "sys-is-something-else": ("""
        import tensorflow as tf
        sys = "not the module"
        tf.flags.DEFINE_integer("n", 3, "n")
        """, "`sys` names something else"),
}

RUN_MANUAL = {
    "no-main-defined": "import tensorflow as tf\ntf.app.run()\n",
    "main-shadowed": "import tensorflow as tf\ndef main(argv):\n    pass\ndef entry(main=None):\n    tf.app.run()\n",
    "unpacked": "import tensorflow as tf\ndef main(argv):\n    pass\ntf.app.run(*args)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_flags_to_absl(before, after):
    assert_migrates(before, after, level="tf2")


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source, level="tf2")
    assert "TFM504" not in codes(source, level="tf2")


def test_not_at_compat_level():
    assert "TFM504" not in codes(CASES["alias-then-read"][0], level="compat")


@pytest.mark.parametrize("source,message", MANUAL.values(), ids=MANUAL.keys())
def test_unsafe_shapes_are_reported_and_stay_on_compat_v1(source, message):
    findings = [f for f in analyze(dedent(source), level="tf2") if f.code == "TFM504"]
    manual = [f for f in findings if f.applicability.value == "manual"]
    assert len(manual) == 1 and message in manual[0].message and manual[0].fix is None
    # nothing moves to absl: TF1's lazily parsing FLAGS stays, through tf.compat.v1
    assert all(f.fix is None or "app.run" in f.message for f in findings)
    result = migrated(source, level="tf2")
    flags_code = result.replace(PARSER.format("absl.flags"), "").replace("import absl.flags\n", "")  # app.run moves on its own (same FLAGS object)
    assert "absl.flags" not in flags_code and "tf.compat.v1." in flags_code
    assert migrated(result, level="tf2") == result


@pytest.mark.parametrize("source", RUN_MANUAL.values(), ids=RUN_MANUAL.keys())
def test_app_run_without_provable_main_is_reported(source):
    findings = [f for f in analyze(source, level="tf2") if f.code == "TFM504"]
    assert [f.applicability.value for f in findings] == ["manual"]
    assert "tf.compat.v1.app.run(" in migrated(source, level="tf2")


def test_tf14_keywords_are_renamed_even_when_the_cell_stays_on_compat_v1():
    source = """
        import tensorflow as tf
        print(tf.flags.FLAGS.a)
        tf.flags.DEFINE_string("a", default_value="x", help="a")
        """
    assert migrated(source, level="tf2") == dedent("""
        import tensorflow as tf
        print(tf.compat.v1.flags.FLAGS.a)
        tf.compat.v1.flags.DEFINE_string("a", default="x", help="a")
        """)


# -- notebooks: the binding, the definitions and the reads in different cells ------------------------------
def _cells(result):
    return ["".join(c["source"]) for c in result.notebook["cells"]]


ALIAS_NOTEBOOK = [
    "import tensorflow as tf\nflags = tf.app.flags\n",
    "flags.DEFINE_float('learning_rate', 0.01, 'step size')\n",
    "FLAGS = flags.FLAGS\nprint('lr', FLAGS.learning_rate)\n",
]
IMPORT_NOTEBOOK = [
    "import tensorflow as tf\nfrom tensorflow.compat.v1 import flags\n",
    "flags.DEFINE_float('learning_rate', 0.01, 'step size')\n",
    "print('lr', flags.FLAGS.learning_rate)\n",
]


def test_binding_cell_alone_is_rewritten_and_parses():
    result = migrate_notebook(make_notebook(*ALIAS_NOTEBOOK, markdown=None), level="tf2")
    assert _cells(result) == [
        "import tensorflow as tf\nfrom absl import flags\nimport sys\nflags.FLAGS(sys.argv, known_only=True);\n",
        ALIAS_NOTEBOOK[1],
        ALIAS_NOTEBOOK[2],
    ]
    assert _cells(migrate_notebook(result.notebook, level="tf2")) == _cells(result)


def test_import_in_another_cell():
    result = migrate_notebook(make_notebook(*IMPORT_NOTEBOOK, markdown=None), level="tf2")
    assert _cells(result) == [
        "import tensorflow as tf\nfrom absl import flags\n",
        "import sys\nflags.DEFINE_float('learning_rate', 0.01, 'step size')\nflags.FLAGS(sys.argv, known_only=True);\n",
        IMPORT_NOTEBOOK[2],
    ]
    assert _cells(migrate_notebook(result.notebook, level="tf2")) == _cells(result)


# -- running the code: a script's command line, and a kernel's ----------------------------------------------
KERNEL_ARGV = ["-f", "/tmp/kernel-0c6e.json"]

SCRIPT = """
import tensorflow.compat.v1 as tf
flags = tf.app.flags
flags.DEFINE_float("learning_rate", 0.01, "step size")
FLAGS = flags.FLAGS
print("lr", FLAGS.learning_rate)
"""

APP_SCRIPT = """
import tensorflow.compat.v1 as tf
tf.app.flags.DEFINE_float("learning_rate", 0.01, "step size")


def main(argv):
    print("lr", tf.app.flags.FLAGS.learning_rate)


if __name__ == "__main__":
    tf.app.run()
"""

#: runs cells one after the other in one namespace, as a kernel does
KERNEL = """
import json, sys
namespace = {"__name__": "__main__"}
for cell in json.loads(sys.stdin.read()):
    exec(compile(cell, "<cell>", "exec"), namespace)
"""


def _run(tmp_path, source, argv):
    script = tmp_path / "script.py"
    script.write_text(source, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), *argv], check=False, capture_output=True, text=True, timeout=300,
                          env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})


def _run_cells(tmp_path, cells, argv):
    import json

    kernel = tmp_path / "ipykernel_launcher.py"
    kernel.write_text(KERNEL, encoding="utf-8")
    return subprocess.run([sys.executable, str(kernel), *argv], check=False, input=json.dumps(cells),
                          capture_output=True,
                          text=True, timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})


def _lr(process):
    assert process.returncode == 0, process.stderr[-2000:]
    return [line for line in process.stdout.splitlines() if line.startswith("lr")]


@pytest.mark.slow
def test_migrated_script_honours_the_command_line_and_runs_in_a_kernel(tmp_path):
    pytest.importorskip("tensorflow")
    after = migrated(SCRIPT, level="tf2")
    assert "absl" in after and "tf.app" not in after
    for argv, expected in (([], "lr 0.01"), (["--learning_rate=0.1"], "lr 0.1")):
        assert _lr(_run(tmp_path, SCRIPT, argv)) == [expected]  # TF1's implicit parse
        assert _lr(_run(tmp_path, after, argv)) == [expected]
    # a kernel's command line: TF1's implicit parse fails on -f, the migrated parse ignores it
    original = _run(tmp_path, SCRIPT, KERNEL_ARGV)
    assert original.returncode != 0 and "Unknown command line flag 'f'" in original.stderr
    assert _lr(_run(tmp_path, after, KERNEL_ARGV)) == ["lr 0.01"]
    assert _lr(_run(tmp_path, after, [*KERNEL_ARGV, "--learning_rate=0.1"])) == ["lr 0.1"]
    # the inserted parse is what makes it work: a plain rename reads unparsed flags
    renamed = after.replace("FLAGS(sys.argv, known_only=True)\n", "")
    assert renamed != after
    assert "UnparsedFlagAccessError" in _run(tmp_path, renamed, []).stderr


@pytest.mark.slow
def test_migrated_app_run_matches_tf1(tmp_path):
    pytest.importorskip("tensorflow")
    after = migrated(APP_SCRIPT, level="tf2")
    assert "absl.app.run(main, flags_parser=" in after
    for argv, expected in ((["--learning_rate=0.1"], "lr 0.1"), (KERNEL_ARGV, "lr 0.01"),
                           (["--learning_rate=0.1", "--unknown=1"], "lr 0.1")):
        assert _lr(_run(tmp_path, APP_SCRIPT, argv)) == [expected], argv  # TF1 tolerates unknown flags
        assert _lr(_run(tmp_path, after, argv)) == [expected], argv
    # absl's own parser would not: the flags_parser is what keeps the kernel case working
    plain = after.replace(", " + PARSER.format("absl.flags"), "")
    assert "absl.app.run(main)" in plain
    assert "Unknown command line flag 'f'" in _run(tmp_path, plain, KERNEL_ARGV).stderr


@pytest.mark.slow
def test_migrated_notebook_runs_in_a_kernel(tmp_path):
    pytest.importorskip("tensorflow")
    cells = [c.replace("import tensorflow as tf", "import tensorflow.compat.v1 as tf") for c in ALIAS_NOTEBOOK]
    result = _cells(migrate_notebook(make_notebook(*cells, markdown=None), level="tf2"))
    assert "from absl import flags" in result[0]
    original = _run_cells(tmp_path, cells, KERNEL_ARGV)
    assert original.returncode != 0 and "Unknown command line flag 'f'" in original.stderr
    assert _lr(_run_cells(tmp_path, result, KERNEL_ARGV)) == ["lr 0.01"]
    imported = _cells(migrate_notebook(make_notebook(*IMPORT_NOTEBOOK, markdown=None), level="tf2"))
    assert _lr(_run_cells(tmp_path, imported, KERNEL_ARGV)) == ["lr 0.01"]


def test_docstring_notes_are_consistent():
    # the example in the docstring is the first case above, byte for byte
    from kernel_helpers.engine.docs import example
    from kernel_helpers.rules.flags_absl import FlagsToAbsl

    before, after = example(FlagsToAbsl)
    assert (before, after) == tuple(textwrap.dedent(t).lstrip("\n") for t in CASES["alias-then-read"])
