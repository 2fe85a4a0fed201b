"""Suite: ``tf2-migrate`` against ``tf_upgrade_v2`` on the same files, whole processes, in one run.

Budget: ``tf2-migrate`` on a folder is at least 10× faster than ``tf_upgrade_v2``, process start-up included.
What each side runs, per scenario (``$WORK`` is the benchmark's work folder):

- ``scripts``: a folder of ``.py`` files. ``tf_upgrade_v2 --intree DIR --outtree OUT`` (one process; its tree
  mode converts only ``.py`` files, it copies notebooks unchanged) against ``tf2-migrate DIR -o OUT --level L``.
- ``notebooks`` and ``large_notebooks``: folders of ``.ipynb``. ``tf_upgrade_v2 --infile X.ipynb --outfile
  Y.ipynb`` once per notebook, one after the other (the only way it converts notebooks) against one
  ``tf2-migrate DIR -o OUT --level L`` process.

``--level compat`` is the like-for-like comparison (what ``tf_upgrade_v2`` does); ``--level tf2`` (the
default, which does more) is reported too. The sides run in turn within each repetition, in a rotating
order, so that a slow spell of a busy machine does not fall on one side only. Both get the same environment
and write their console output to a log file. Output folders for ``--outfile`` are created beforehand,
untimed (``tf_upgrade_v2`` does not create them).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .measurement import Budget, Measurement
from .timing import ProcessRun, benchmark_environment, median_seconds, run_commands
from .tools import tf2_migrate_command, tf_upgrade_v2_command

if TYPE_CHECKING:
    from .corpus import Corpus, CorpusFile
    from .runner import BenchContext

SPEEDUP = Budget(10.0, at_least=True)
LEVELS = ("compat", "tf2")


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    input_dir: Path
    files: tuple[CorpusFile, ...]
    #: tf_upgrade_v2 converts notebooks one process per file; .py folders in one --intree process
    upgrade_per_file: bool


def scenarios(corpus: Corpus) -> list[Scenario]:
    return [
        Scenario("scripts", f"folder of {len(corpus.scripts)} .py files", corpus.scripts_dir,
                 tuple(corpus.scripts), upgrade_per_file=False),
        Scenario("notebooks", f"folder of {len(corpus.notebooks)} notebooks", corpus.notebooks_dir,
                 tuple(corpus.notebooks), upgrade_per_file=True),
        Scenario("large_notebooks", f"{len(corpus.large)} notebooks of {_cells(corpus.large)} cells", corpus.large_dir,
                 tuple(corpus.large), upgrade_per_file=True),
    ]


def _cells(files: list[CorpusFile]) -> str:
    counts = sorted({f.cells for f in files})
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"


@dataclass(frozen=True)
class Side:
    key: str
    label: str
    #: (scenario, output folder, report folder) -> the commands of one timed run
    commands: Callable[[Scenario, Path, Path], list[list[str]]]
    is_upgrade_script: bool = False


def sides() -> list[Side]:
    upgrade = tf_upgrade_v2_command()
    migrate = tf2_migrate_command()

    def upgrade_commands(scenario: Scenario, out: Path, reports: Path) -> list[list[str]]:
        reports.mkdir(parents=True, exist_ok=True)
        if not scenario.upgrade_per_file:
            return [upgrade + ["--intree", str(scenario.input_dir), "--outtree", str(out),
                               "--reportfile", str(reports / "report.txt")]]
        commands = []
        for number, file in enumerate(scenario.files):
            target = out / file.path.relative_to(scenario.input_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            commands.append(upgrade + ["--infile", str(file.path), "--outfile", str(target),
                                       "--reportfile", str(reports / f"report_{number:03d}.txt")])
        return commands

    def migrate_commands(level: str) -> Callable[[Scenario, Path, Path], list[list[str]]]:
        def build(scenario: Scenario, out: Path, reports: Path) -> list[list[str]]:
            return [migrate + [str(scenario.input_dir), "-o", str(out), "--level", level]]
        return build

    return [Side("tf_upgrade_v2", "tf_upgrade_v2", upgrade_commands, is_upgrade_script=True)] + [
        Side(f"tf2_migrate_{level}", f"tf2-migrate --level {level}", migrate_commands(level)) for level in LEVELS
    ]


def run(context: BenchContext) -> list[Measurement]:
    env = benchmark_environment()
    # The module form (`python -m kernel_helpers.cli`) of a bare checkout must find the package; both
    # sides get the same environment.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(context.repo_root), env.get("PYTHONPATH")) if p)
    work = context.workdir / "side_by_side"
    work.mkdir(parents=True, exist_ok=True)
    all_sides = sides()
    if context.settings.warm_up_tools:
        context.progress("warming up both tools (one untimed run each)")
        _warm_up(all_sides, context.corpus, work, env)
    measurements: list[Measurement] = []
    for scenario in scenarios(context.corpus):
        measurements += _compare(scenario, all_sides, context, work, env)
    return measurements


def _warm_up(all_sides: list[Side], corpus: Corpus, work: Path, env: dict[str, str]) -> None:
    # Loads both tools' files into the page cache, so neither side pays for a cold disk in the timings.
    sample = corpus.scripts[0]
    folder = work / "warm_up"
    (folder / "input").mkdir(parents=True, exist_ok=True)
    copy = folder / "input" / sample.path.name
    shutil.copyfile(sample.path, copy)
    scenario = Scenario("warm_up", "warm-up", copy.parent, (replace(sample, path=copy),), upgrade_per_file=True)
    for side in all_sides:
        run_commands(side.commands(scenario, folder / side.key, folder / f"{side.key}_reports"),
                     cwd=work, env=env, log=folder / "warm_up.log")


def _compare(scenario: Scenario, all_sides: list[Side], context: BenchContext, work: Path,
             env: dict[str, str]) -> list[Measurement]:
    repeats = context.settings.repeats
    runs: dict[str, list[ProcessRun]] = {side.key: [] for side in all_sides}
    last_output: dict[str, Path] = {}
    commands_shown: dict[str, list[str]] = {}
    for repetition in range(repeats):
        shift = repetition % len(all_sides)
        for side in all_sides[shift:] + all_sides[:shift]:
            context.progress(f"{scenario.key}: {side.label}, run {repetition + 1}/{repeats}")
            out = work / scenario.key / f"run{repetition}" / side.key
            commands = side.commands(scenario, out, work / scenario.key / f"run{repetition}" / f"{side.key}_reports")
            runs[side.key].append(run_commands(commands, cwd=work, env=env,
                                               log=work / f"{scenario.key}.{side.key}.log"))
            last_output[side.key] = out
            commands_shown[side.key] = _describe_commands(commands, work)

    measurements = []
    seconds: dict[str, float] = {}
    complete: dict[str, bool] = {}
    for side in all_sides:
        outputs = count_outputs(scenario, last_output[side.key])
        seconds[side.key] = median_seconds(runs[side.key])
        complete[side.key] = outputs["written"] == outputs["inputs"]
        details = {
            "command": commands_shown[side.key],
            "processes_per_run": len(scenario.files) if (side.is_upgrade_script and scenario.upgrade_per_file) else 1,
            "runs_s": [r.seconds for r in runs[side.key]],
            "exit_codes": dict(Counter(str(code) for r in runs[side.key] for code in r.returncodes)),
            "outputs": outputs,
            "output_dir": str(last_output[side.key]),
            "log": str(work / f"{scenario.key}.{side.key}.log"),
        }
        measurements.append(Measurement(f"folders.{scenario.key}.{side.key}_s",
                                        f"{scenario.label}: {side.label}", seconds[side.key], "s", None, details))
    for level in LEVELS:
        key = f"tf2_migrate_{level}"
        details = {"tf_upgrade_v2_s": seconds["tf_upgrade_v2"], "tf2_migrate_s": seconds[key], "level": level}
        if complete[key]:
            ratio = seconds["tf_upgrade_v2"] / seconds[key]
        else:
            # A tf2-migrate that stops early would look fast: no speed-up is claimed without every output.
            ratio = float("nan")
            details["error"] = "tf2-migrate did not write an output for every input"
        measurements.append(Measurement(f"folders.{scenario.key}.speedup_{level}",
                                        f"{scenario.label}: speed-up, --level {level}", ratio, "x", SPEEDUP, details))
    return measurements


def count_outputs(scenario: Scenario, out: Path) -> dict:
    """How many inputs got an output file, and how many of those are usable (non-empty, valid JSON notebook).

    ``tf_upgrade_v2`` writes nothing for a notebook it cannot parse, and an empty ``.py`` file for a script
    it cannot parse; those are counted, not hidden.
    """
    written = usable = 0
    for file in scenario.files:
        target = out / file.path.relative_to(scenario.input_dir)
        if not target.is_file():
            continue
        written += 1
        usable += _usable(target)
    return {
        "inputs": len(scenario.files),
        "python2_inputs": sum(f.python2 for f in scenario.files),
        "written": written,
        "usable": usable,
    }


def _usable(path: Path) -> bool:
    data = path.read_bytes()
    if not data.strip():
        return False
    if path.suffix != ".ipynb":
        return True
    try:
        return isinstance(json.loads(data).get("cells"), list)
    except (ValueError, AttributeError):
        return False


def _describe_commands(commands: list[list[str]], work: Path) -> list[str]:
    shown = [shlex.join(argv).replace(str(work), "$WORK") for argv in commands[:1]]
    if len(commands) > 1:
        shown.append(f"... one such process per file, {len(commands)} in all, one after the other")
    return shown
