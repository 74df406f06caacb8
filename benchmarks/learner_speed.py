"""The speed a learner feels: widget redraws, the playground's Train, `progress`, kernels.

    python benchmarks/learner_speed.py                 # everything (about 3 minutes)
    python benchmarks/learner_speed.py --skip-progress # widgets and kernels only

In one run it measures, and prints as a table:

- **widgets**: every control of every lesson's widget, built from `course/` with the
  reference functions the tests use (tests/test_l0N_*.py, lesson 7's solution cells),
  inside a real Jupyter kernel with the inline backend, as a learner runs it. Each
  control is set to several values across its range (every option of a drop-down) and
  each redraw (the callback the slider triggers: drawing, PNG rendering, sending the
  image) is timed; the table gives the median and the slowest per control, and the
  median CPU time of the kernel (less sensitive to other processes on a busy machine).
- **Train**: lesson 7's playground *Train* button (60 epochs, its live redraws), 3 runs.
- **progress**: `pigs-to-backprop progress` as a subprocess on a work folder holding
  every lesson's solution notebook (every exercise answered): cold (empty cache), again with
  nothing changed, and again after lesson 7 (the slowest) changed one line.
- **kernels**: how long a headless run (`grader.progress`'s runner) takes to shut its
  kernel down, and what `import matplotlib.pyplot` costs in a kernel started as
  `progress` starts it.

Figures vary with the machine's load: compare figures of one run, or runs on a quiet
machine (the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grader import progress  # noqa: E402
from grader.kernels import NotebookRunner  # noqa: E402

MARK = "LEARNER-SPEED:"

# Runs inside the kernel: builds every widget and times each control's redraws.
WIDGETS = r'''
import inspect, json, statistics, sys, time
import numpy as np
sys.path.insert(0, REPO)
import course
from course import activations, backprop, derivative, descent, neuron, partials, training
from grader import notebooks
from tests import (test_l01_derivative as l01, test_l02_gradient_descent as l02,
                   test_l03_partial_derivatives as l03, test_l04_chain_rule as l04,
                   test_l05_one_neuron as l05, test_l06_backprop as l06)
%matplotlib inline
# (after the imports: tests/test_l04_chain_rule.py switches to Agg when imported)

# Each move must show an image and no error (an Output widget shows an error, and
# swallows it: a redraw that fails would look fast).
ip, images, errors = get_ipython(), [], []
publish, showtraceback = ip.display_pub.publish, ip.showtraceback
ip.display_pub.publish = lambda data, *a, **k: (
    images.append(1) if "image/png" in data else None, publish(data, *a, **k))[1]
ip.showtraceback = lambda *a, **k: (errors.append(a), showtraceback(*a, **k))[1]

space = {"np": np}  # lesson 7's given network and reference answers, as its tests read them
for cell in notebooks.read(f"{REPO}/solutions/07-training/07-training.ipynb").cells:
    meta = notebooks.nbgrader_meta(cell)
    if cell.cell_type == "code" and (meta.get("grade_id") == "given_network" or meta.get("solution")):
        exec(cell.source, space)

def controls_of(widget):
    found = getattr(widget, "controls", None)
    if found is not None:
        return dict(found) if isinstance(found, dict) else {c.description_name: c for c in found}
    return {c.description_name: c for c in widget.children[0].children}

def values_for(control, count):
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [o for o in options if o != control.value] * 2
    if hasattr(control, "base"):  # FloatLogSlider: spread the exponents
        return [control.base ** e for e in np.linspace(control.min, control.max, count)]
    values = np.linspace(control.min, control.max, count)
    return [int(round(v)) if isinstance(control.value, int) else float(v) for v in values]

def measure(name, widget, count=6):
    rows = []
    for key, control in controls_of(widget).items():
        start_value, times, cpu = control.value, [], []
        for value in values_for(control, count):
            if value == control.value:
                continue
            shown = len(images)
            t, c = time.perf_counter(), time.process_time()
            control.value = value
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert len(images) == shown + 1 and not errors, (name, key, value, errors)
        control.value = start_value
        rows.append({"widget": name, "control": key, "moves": len(times),
                     "median_ms": 1000 * statistics.median(times), "max_ms": 1000 * max(times),
                     "cpu_ms": 1000 * statistics.median(cpu)})
    return rows

X5, Y5 = neuron.exam_data()
rows = []
rows += measure("L1 secant_to_tangent", derivative.secant_to_tangent(
    l01.growing, lambda x: 10 * x, l01.average_rate, l01.tangent_line))
rows += measure("L2 descent.explorer", descent.explorer(l02.gradient_descent, l02.curves()))
rows += measure("L3 descent_map", partials.descent_map(l03.numerical_gradient, l03.gradient_descent_nd))
rows += measure("L3 surface_view", partials.surface_view(l03.gradient_descent_nd))
rows += measure("L4 activations.explorer", l04.explorer())
rows += measure("L5 neuron.playground", neuron.playground(
    l05.neuron_forward, l05.binary_cross_entropy, l05.accuracy, X5, Y5))
loss = ((l06.binary_cross_entropy,) if "binary_cross_entropy"  # (passed in since issue 14)
        in inspect.signature(backprop.backward_pass).parameters else ())
rows += measure("L6 backward_pass", backprop.backward_pass(l06.forward, l06.backward, *loss))
rows += measure("L7 schedule_explorer", training.schedule_explorer(space["step_decay"]))
loss = ((space["binary_cross_entropy"],) if "binary_cross_entropy"  # (passed in since issue 14)
        in inspect.signature(training.playground).parameters else ())
playground = training.playground(space["train"], space["min_max_normalise"], space["forward"],
                                 space["accuracy"], *loss)
rows += measure("L7 playground", playground)
trains = []
for _ in range(3):
    t = time.perf_counter()
    playground.button.click()
    trains.append(time.perf_counter() - t)
assert "test accuracy" in playground.readout.value, playground.readout.value
print(MARK + json.dumps({"widgets": rows, "train_s": trains}))
'''

IMPORT = f'''
import time
t = time.perf_counter()
import matplotlib.pyplot
print("{MARK}" + str(time.perf_counter() - t))
'''


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def learner_env() -> dict:
    """The environment of a learner's Jupyter: no backend forced (ipykernel's inline)."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    return env


def run_cell(source: str, env: dict | None = None, timeout: int = 900) -> str:
    """Run one cell in a fresh kernel (cwd = the repository); return the marked line."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookRunner(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(REPO)}}).execute(
        env=env or learner_env(), stderr=subprocess.DEVNULL)
    texts = [o.get("text", "") for o in nb.cells[0].outputs if o.get("output_type") == "stream"]
    errors = [o for o in nb.cells[0].outputs if o.get("output_type") == "error"]
    if errors:
        raise RuntimeError("\n".join(errors[0].get("traceback", [])))
    line = next(line for text in texts for line in text.splitlines() if line.startswith(MARK))
    return line.removeprefix(MARK)


def widgets() -> dict:
    return json.loads(run_cell(f"REPO = {str(REPO)!r}\nMARK = {MARK!r}\n{WIDGETS}"))


def progress_runs(pattern: str = "[0-9][0-9]-*") -> dict:
    """Wall time of `pigs-to-backprop progress` on every lesson's solution notebook (the
    lessons whose folder matches `pattern`)."""
    root = Path(tempfile.mkdtemp(prefix="learner-speed-"))
    work, env = root / "work", learner_env()
    env["XDG_CACHE_HOME"] = str(root / "cache")  # an empty cache: the cold run is cold
    # A snapshot of the code, laid out as installed: others editing course/ in this
    # working tree during the run would otherwise invalidate progress's cache.
    code = root / "code"
    for package, source in [("grader", "grader"), ("course", "course"),
                            ("course/datasets", "datasets")]:
        shutil.copytree(REPO / source, code / package, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    for source in sorted((REPO / "solutions").glob(f"{pattern}/[0-9][0-9]-*.ipynb")):
        if not (REPO / "lessons" / source.parent.name).is_dir():
            continue  # a lesson still being written
        (work / source.parent.name).mkdir(parents=True)
        shutil.copy(source, work / source.parent.name / source.name)
    command = [sys.executable, "-m", "grader", "progress", "--folder", str(work)]

    def timed() -> tuple[float, str]:
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=code)
        return time.perf_counter() - start, done.stdout

    figures = {}
    count = len(list(work.iterdir()))
    figures[f"cold, {count} lessons"], cold_report = timed()
    figures["nothing changed"], same_report = timed()
    lesson7 = next(work.glob("07-*/07-*.ipynb"))
    nb = nbformat.read(lesson7, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += "\n# a learner's note"
    nbformat.write(nb, lesson7)
    figures["lesson 7 changed"], changed_report = timed()
    total = cold_report.strip().splitlines()[-1] if cold_report.strip() else "(no output)"
    if not cold_report == same_report == changed_report:
        total += " (the reports differ!)"
    shutil.rmtree(root, ignore_errors=True)
    return {"seconds": figures, "report": total}


class TimedShutdown(NotebookRunner):
    shutdowns: list[float] = []

    async def _async_cleanup_kernel(self):
        start = time.perf_counter()
        await super()._async_cleanup_kernel()
        TimedShutdown.shutdowns.append(time.perf_counter() - start)


def kernels(runs: int = 3) -> dict:
    """A headless run's kernel shutdown (through `progress`'s own runner) and import cost."""
    folder = Path(tempfile.mkdtemp(prefix="learner-speed-kernel-"))
    path = folder / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 6 * 7")]), path)
    original = progress.NotebookRunner
    progress.NotebookRunner = TimedShutdown
    try:
        for _ in range(runs):
            progress.lesson_progress(path)
    finally:
        progress.NotebookRunner = original
    shutil.rmtree(folder, ignore_errors=True)
    headless = getattr(progress, "kernel_env", learner_env)()
    imports = [float(run_cell(IMPORT, env=headless)) for _ in range(runs)]
    backend = headless.get("MPLBACKEND", "inline (ipykernel's default)")
    return {"shutdown_s": TimedShutdown.shutdowns, "import_s": imports, "backend": backend}


def table(results: dict) -> str:
    lines = [f"machine: {os.cpu_count()} cores; load average at start {results['load'][0]}, "
             f"at end {results['load'][1]}", ""]
    if "widgets" in results:
        rows = results["widgets"]["widgets"]
        lines += ["| widget | control | moves | median ms | slowest ms | median CPU ms |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {r['widget']} | {r['control']} | {r['moves']} | {r['median_ms']:.0f} | "
                  f"{r['max_ms']:.0f} | {r['cpu_ms']:.0f} |" for r in rows]
        medians = [r["median_ms"] for r in rows]
        trains = results["widgets"]["train_s"]
        lines += ["", f"widget controls: median redraw {min(medians):.0f}–{max(medians):.0f} ms "
                  f"(worst control: {max(rows, key=lambda r: r['median_ms'])['widget']} / "
                  f"{max(rows, key=lambda r: r['median_ms'])['control']}); "
                  f"{sum(m <= 100 for m in medians)} of {len(medians)} controls ≤ 100 ms",
                  "L7 playground Train: " + ", ".join(f"{t:.2f}" for t in trains)
                  + f" s (median {statistics.median(trains):.2f} s)"]
    if "progress" in results:
        lines += ["", "| pigs-to-backprop progress | wall s |", "|---|---|"]
        lines += [f"| {name} | {s:.1f} |" for name, s in results["progress"]["seconds"].items()]
        lines += [f"report's last line: {results['progress']['report']}"]
    if "kernels" in results:
        k = results["kernels"]
        lines += ["", f"headless kernel shutdown: median {statistics.median(k['shutdown_s']):.2f} s "
                  f"({', '.join(f'{s:.2f}' for s in k['shutdown_s'])})",
                  f"import matplotlib.pyplot in a headless kernel (backend {k['backend']}): "
                  f"median {statistics.median(k['import_s']):.2f} s "
                  f"({', '.join(f'{s:.2f}' for s in k['import_s'])})"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-progress", action="store_true", help="skip the progress runs")
    parser.add_argument("--skip-widgets", action="store_true", help="skip the widget redraws")
    parser.add_argument("--lessons", default="[0-9][0-9]-*",
                        help="the lessons progress runs, as a folder pattern (e.g. '0[1-7]-*')")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    results = {"load": [load_average()]}
    if not args.skip_widgets:
        results["widgets"] = widgets()
    if not args.skip_progress:
        results["progress"] = progress_runs(args.lessons)
    results["kernels"] = kernels()
    results["load"].append(load_average())
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
