"""The pure core of POST /tf2-migrate/analyze: per-cell results, the notebook context, the cache."""

import itertools

import pytest

from kernel_helpers import NotebookContext, migrate
from kernel_helpers.server.analysis import AnalysisCache, analyze_cells, family_of, utf16_offsets

IMPORTS = "import tensorflow as tf\nimport numpy as np"
TF1_CELL = "a = tf.constant([1.0, 2.0])\nb = tf.log(a) + tf.reduce_sum(a, keep_dims=True)\n"
PLAIN_CELL = "total = sum(range(10))\nprint(np.log(total))\n"


def cells(*sources):
    return [{"id": f"cell-{n}", "source": source} for n, source in enumerate(sources)]


def test_cells_are_analysed_with_the_imports_of_the_whole_notebook():
    answer = analyze_cells(cells(IMPORTS, TF1_CELL, PLAIN_CELL))
    first, tf1, plain = answer["cells"]

    assert [c["id"] for c in answer["cells"]] == ["cell-0", "cell-1", "cell-2"]
    assert first["findings"] == [] and not first["changed"]
    assert plain["findings"] == [] and plain["source"] == PLAIN_CELL
    # `tf` is bound in another cell; the proposal is what the engine makes with that context.
    expected = migrate(TF1_CELL, context=NotebookContext.from_cells([IMPORTS, TF1_CELL, PLAIN_CELL]))
    assert tf1["source"] == expected.source
    assert tf1["changed"] is True
    assert [f["code"] for f in tf1["findings"]] == [f.code for f in expected.findings]
    assert tf1["applied"] == sorted({f.code for f in expected.applied})
    assert all(f["cell"] == 1 for f in tf1["findings"])


def test_without_the_import_cell_nothing_is_tensorflow():
    answer = analyze_cells(cells(TF1_CELL))

    assert answer["cells"][0]["findings"] == []
    assert answer["cells"][0]["source"] == TF1_CELL


def test_findings_carry_code_point_and_utf16_ranges():
    # Each emoji is one code point in Python and two UTF-16 code units in the browser.
    source = 'label = "😀😀"\ny = tf.log(2.0)\n'
    finding = analyze_cells(cells(IMPORTS, source))["cells"][1]["findings"][0]

    start = source.index("tf.log")
    assert finding["range"]["start"] == start
    assert finding["range"]["end"] == start + len("tf.log")
    assert finding["utf16"] == {"from": start + 2, "to": start + 2 + len("tf.log")}
    assert finding["range"]["line"] == 2 and finding["range"]["column"] == 4
    assert finding["doc"].startswith("https://")
    assert finding["applicability"] in {"safe", "unsafe", "manual"}


@pytest.mark.parametrize(
    ("text", "offsets", "expected"),
    [
        pytest.param("abc", [0, 3], [0, 3], id="ascii"),
        pytest.param("é→x", [0, 2, 3], [0, 2, 3], id="bmp-only"),
        pytest.param("😀x😀y", [0, 1, 2, 3, 4], [0, 2, 3, 5, 6], id="astral"),
        pytest.param("", [0], [0], id="empty"),
    ],
)
def test_utf16_offsets(text, offsets, expected):
    assert utf16_offsets(text, offsets) == expected
    # The definition, checked against Python's own UTF-16 encoder.
    assert expected == [len(text[:o].encode("utf-16-le")) // 2 for o in offsets]


def test_a_second_request_for_unchanged_cells_is_served_from_the_cache():
    cache = AnalysisCache()
    notebook = cells(IMPORTS, *[TF1_CELL.replace("a", f"a{n}") for n in range(30)])

    first = analyze_cells(notebook, cache=cache)
    second = analyze_cells(notebook, cache=cache)

    assert first["cache"]["misses"] == 31 and first["cache"]["hits"] == 0
    assert second["cache"] == {"hits": 31, "misses": 0, "size": 31}
    assert second["cells"] == first["cells"]


def test_editing_one_cell_reanalyses_only_that_cell():
    cache = AnalysisCache()
    notebook = cells(IMPORTS, TF1_CELL, PLAIN_CELL)
    analyze_cells(notebook, cache=cache)

    notebook[2]["source"] = PLAIN_CELL + "x = tf.log(3.0)\n"
    answer = analyze_cells(notebook, cache=cache)

    assert answer["cache"]["misses"] == 1 and answer["cache"]["hits"] == 2
    assert [f["code"] for f in answer["cells"][2]["findings"]] == ["TFM001"]


def test_a_new_import_anywhere_invalidates_every_cell():
    # The bindings are part of the key: `tf` below means something else once it is rebound.
    cache = AnalysisCache()
    analyze_cells(cells(IMPORTS, TF1_CELL), cache=cache)

    answer = analyze_cells(cells(IMPORTS, TF1_CELL, "import numpy as tf"), cache=cache)

    assert answer["cache"]["hits"] == 0
    assert answer["cells"][1]["findings"] == []


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"level": "compat"}, id="level"),
        pytest.param({"unsafe": True}, id="unsafe"),
        pytest.param({"ignored": ["TFM001"]}, id="ignored"),
    ],
)
def test_options_are_part_of_the_cache_key(options):
    cache = AnalysisCache()
    analyze_cells(cells(IMPORTS, TF1_CELL), cache=cache)

    answer = analyze_cells(cells(IMPORTS, TF1_CELL), cache=cache, **options)

    assert answer["cache"]["hits"] == 0 and answer["cache"]["misses"] == 2


def test_the_cache_is_bounded_and_forgets_the_oldest_cell():
    cache = AnalysisCache(max_cells=2)
    analyze_cells(cells("x = 1"), cache=cache)
    analyze_cells(cells("x = 2"), cache=cache)
    analyze_cells(cells("x = 3"), cache=cache)

    assert cache.stats().size == 2
    assert analyze_cells(cells("x = 3"), cache=cache)["cache"]["hits"] == 1
    assert analyze_cells(cells("x = 1"), cache=cache)["cache"]["misses"] == 1


def test_cached_results_are_not_shared_between_answers():
    cache = AnalysisCache()
    first = analyze_cells(cells(IMPORTS, TF1_CELL), cache=cache)
    first["cells"][1]["findings"][0]["message"] = "changed by a caller"
    first["cells"][1]["applied"].append("TFM999")

    second = analyze_cells([{"id": "other", "source": IMPORTS}, {"id": "x", "source": TF1_CELL}], cache=cache)

    assert second["cache"]["hits"] == 2
    assert second["cells"][1]["id"] == "x"
    assert second["cells"][1]["findings"][0]["message"] != "changed by a caller"
    assert "TFM999" not in second["cells"][1]["applied"]


def test_ignored_codes_are_neither_reported_nor_fixed():
    answer = analyze_cells(cells(IMPORTS, TF1_CELL), ignored=["TFM001"])
    cell = answer["cells"][1]

    assert "TFM001" not in {f["code"] for f in cell["findings"]}
    assert "TFM001" not in cell["applied"]
    # tf.log stays (ignored), keep_dims is still renamed (not ignored).
    assert "tf.log(a)" in cell["source"]
    assert "keepdims=True" in cell["source"]


def test_ignoring_nothing_that_occurs_gives_the_engines_proposal():
    plain = analyze_cells(cells(IMPORTS, TF1_CELL))["cells"][1]
    ignoring = analyze_cells(cells(IMPORTS, TF1_CELL), ignored=["TFM999"])["cells"][1]

    assert ignoring == plain


def test_a_cell_that_does_not_parse_is_reported_and_left_alone():
    broken = "x = tf.log(\n"
    answer = analyze_cells(cells(IMPORTS, broken, TF1_CELL))
    bad, good = answer["cells"][1], answer["cells"][2]

    assert bad["parsed"] is False
    assert bad["source"] == broken and bad["changed"] is False
    assert len(bad["findings"]) == 1
    assert good["changed"] is True


def test_summary_counts_families_and_applicability():
    answer = analyze_cells(cells(IMPORTS, TF1_CELL, "import tensorflow.contrib.slim as slim\n"))
    summary = answer["summary"]
    findings = [f for c in answer["cells"] for f in c["findings"]]

    assert summary["findings"] == len(findings) > 0
    assert sum(summary["by_family"].values()) == len(findings)
    assert summary["by_family"]["TFM0xx"] == sum(f["code"].startswith("TFM0") for f in findings)
    assert summary["by_applicability"]["safe"] == sum(f["applicability"] == "safe" for f in findings)
    assert summary["auto_fixable"] == sum(
        f["applicability"] == "safe" and f["fixable"] for f in findings
    )
    assert summary["cells_with_findings"] == sum(1 for c in answer["cells"] if c["findings"])
    assert summary["cells_changed"] == sum(1 for c in answer["cells"] if c["changed"])


def test_family_of():
    assert family_of("TFM123") == "TFM1xx"
    assert family_of("TFM005") == "TFM0xx"


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="unknown level"):
        analyze_cells(cells(IMPORTS), level="tf3")


GRAPH_NOTEBOOK = [
    IMPORTS,
    "x = tf.placeholder(tf.float32, [None, 3])\nw = tf.Variable(tf.random_normal([3, 2]))\ny = tf.matmul(x, w)",
    "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
    "print(sess.run(y, feed_dict={x: np.ones((2, 3))}))",
]


def test_proposals_are_the_batch_tools_with_the_graph_lifted_across_cells():
    from kernel_helpers.notebook.migrate import migrate_notebook
    from nbfactory import make_notebook

    batch = migrate_notebook(make_notebook(*GRAPH_NOTEBOOK, markdown=None))
    answer = analyze_cells(cells(*GRAPH_NOTEBOOK))

    assert [c["source"] for c in answer["cells"]] == [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in batch.notebook["cells"]
    ]
    assert any(c["changed"] for c in answer["cells"])


def test_findings_of_a_lifted_cell_point_into_the_cell_as_written():
    answer = analyze_cells(cells(*GRAPH_NOTEBOOK))
    graph = answer["cells"][1]
    source = GRAPH_NOTEBOOK[1]

    spans = {(f["code"], source[f["range"]["start"]:f["range"]["end"]]) for f in graph["findings"]}
    assert ("TFM001", "tf.random_normal") in spans
    # The lifting and the per-cell rules do not both report one thing.
    for a, b in itertools.combinations(graph["findings"], 2):
        if a["code"] == b["code"]:
            assert a["range"]["end"] <= b["range"]["start"] or b["range"]["end"] <= a["range"]["start"]


def test_ignoring_a_lifting_code_turns_the_lifting_off():
    lifted = analyze_cells(cells(*GRAPH_NOTEBOOK))["cells"][1]
    lifting_codes = {f["code"] for f in lifted["findings"] if f["code"].startswith("TFM1")}
    assert lifting_codes

    answer = analyze_cells(cells(*GRAPH_NOTEBOOK), ignored=sorted(lifting_codes))
    graph = answer["cells"][1]

    assert not lifting_codes & {f["code"] for f in graph["findings"]}
    assert "placeholder" in graph["source"]  # not lifted: the cell keeps its graph


def test_a_lifted_placeholder_is_not_also_proposed_as_a_compat_rename():
    answer = analyze_cells(cells(*GRAPH_NOTEBOOK))
    graph = answer["cells"][1]
    lifting = [(f["range"]["start"], f["range"]["end"]) for f in graph["findings"] if f["code"].startswith("TFM1")]
    assert lifting
    for finding in graph["findings"]:
        if finding["code"] == "TFM005":
            start, end = finding["range"]["start"], finding["range"]["end"]
            assert not any(start < e and s < end for s, e in lifting), finding["message"]
