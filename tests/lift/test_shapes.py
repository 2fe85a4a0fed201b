"""Static shapes: literal sizes and the notebook's int constants, which build lifted layers where TF1 made them."""

import ast

from kernel_helpers.engine.lift import shapes


def test_only_names_bound_once_at_module_level_to_an_int_are_constants():
    cells = [ast.parse(
        "A = 3\nB = 4\nfor B in range(2):\n    pass\n"
        "def f():\n    A = 5\n    global C\nC = 7\nD = 1\nD += 1\n"
        "if flag:\n    E = 2\nF = 9\nwith g as F:\n    pass\n"), ast.parse("import G\nG = 1\nH = 2.0\n")]
    # A function's own A does not rebind the module's; every other name is bound twice, inside a block or not to
    # an int.
    assert shapes.int_constants(cells) == {"A": 3}


def test_shapes_read_literal_sizes_and_constants():
    node = ast.parse("[None, SEQ_LEN, 1]", mode="eval").body
    assert shapes.literal(node) == (None, None, 1)
    assert shapes.literal(node, {"SEQ_LEN": 24}) == (None, 24, 1)
    assert shapes.dimension(ast.parse("N", mode="eval").body, {"M": 2}) is None
