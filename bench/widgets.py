"""Response time of every widget interaction, and of the report, on a synthetic 10,000-article analysis.

    PYTHONPATH=. python bench/widgets.py [--articles 10000] [--per-control 3]

Builds `bench.synthetic.synthetic_analysis(N)`, then every public function of
`toolkit.views.widgets` that takes the analysis as its first argument. In each widget it finds the
controls (anything with a `value` or a `click`: dropdowns, sliders, text boxes, buttons, ...),
gives each a few new values as a user would, and times the kernel's answer: setting `.value`
runs the observers synchronously, so the time is that of the Python work the interaction
causes (filtering, redrawing outputs), not of the browser painting it. The target is 100 ms.
It also times what showing each widget in a notebook costs beyond the widget: its static HTML
copy (`_repr_mimebundle_`, made once per display, not per interaction), and the static PNG and
spec a chart carries (`toolkit.views.notebook.static_bundle`). Last, it times
`toolkit.views.report.write_report` on the same analysis.
"""
from __future__ import annotations

import importlib
import inspect
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine_line, median  # noqa: E402
from bench.synthetic import synthetic_analysis  # noqa: E402
from toolkit.views.report import write_report  # noqa: E402

TARGET_MS = 100.0


def controls(widget) -> list:
    """The interactive widgets inside `widget` (itself included), depth first."""
    import ipywidgets as w

    found, stack, seen = [], [widget], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, w.Button) or (isinstance(node, w.ValueWidget) and not isinstance(
                node, w.Label | w.HTML | w.HTMLMath | w.Valid | w.Output | w.Image)):
            found.append(node)
        stack.extend(reversed(list(getattr(node, "children", ()) or ())))
    return found


def new_values(control, n: int) -> list[tuple[str, object]]:
    """Up to `n` interactions a user could make: `(attribute, value)` pairs to set."""
    import ipywidgets as w

    if isinstance(control, w.Button):
        return [("click", None)]
    options = getattr(control, "options", None)
    if options is not None and not isinstance(control, w.Combobox):
        k = len(options)
        if k < 2:
            return []
        if isinstance(control, w.SelectionRangeSlider):
            picks = [(0, k // 2), (k // 4, 3 * k // 4), (k // 2, k - 1)]
        elif isinstance(control, w.SelectMultiple):
            picks = [(0, 1), tuple(range(max(0, k - 3), k)), ()]
        else:
            picks = [i for i in dict.fromkeys((1, k // 2, k - 1)) if i != control.index]
        return [("index", i) for i in picks][:n]
    if isinstance(control, w.Checkbox | w.ToggleButton):
        return [("value", not control.value), ("value", control.value)][:n]
    if isinstance(control, w.Combobox | w.Text | w.Textarea):
        words = list(options or ()) or ["Ruiz", "Central Bank", "Lyon"]
        return [("value", words[i]) for i in dict.fromkeys((0, len(words) // 2, len(words) - 1))][:n] + [("value", "")]
    lo, hi = getattr(control, "min", None), getattr(control, "max", None)
    if lo is None or hi is None:
        return []
    if isinstance(control.value, tuple):
        picks = [(lo, lo + (hi - lo) / 2), (lo + (hi - lo) / 4, hi - (hi - lo) / 4), (lo, hi)]
    else:
        picks = [hi, lo + (hi - lo) / 2, lo]
    if isinstance(lo, int) and isinstance(hi, int):
        picks = [tuple(int(v) for v in p) if isinstance(p, tuple) else int(p) for p in picks]
    return [("value", v) for v in picks if v != control.value][:n]


def interact(control, attribute: str, value) -> float:
    """Milliseconds the kernel takes to answer one interaction."""
    start = time.perf_counter()
    if attribute == "click":
        control.click()
    else:
        setattr(control, attribute, value)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=10_000, help="size of the synthetic analysis (default 10000)")
    p.add_argument("--per-control", type=int, default=3, help="interactions per control (default 3)")
    args = p.parse_args()
    print(machine_line())
    widgets = importlib.import_module("toolkit.views.widgets")
    start = time.perf_counter()
    analysis = synthetic_analysis(args.articles)
    print(f"synthetic analysis: {analysis.summary()} (built in {time.perf_counter() - start:.1f} s)")
    makers = [(name, fn) for name, fn in inspect.getmembers(widgets, inspect.isfunction)
              if not name.startswith("_") and fn.__module__ == widgets.__name__
              and next(iter(inspect.signature(fn).parameters), None) == "analysis"]
    if not makers:
        print("skipped: toolkit.views.widgets has no public function taking `analysis` first")
        return 0
    worst = {"first": 0.0, "again": 0.0}
    for name, make in makers:
        start = time.perf_counter()
        widget = make(analysis)
        build_ms = (time.perf_counter() - start) * 1000
        # each interaction twice: the first may fill a cache the widget builds lazily
        times: dict[str, list] = {"first": [], "again": []}
        for control in controls(widget):
            label = f"{type(control).__name__}({getattr(control, 'description', '') or ''})"
            picks = new_values(control, args.per_control)
            for attribute, value in [*picks, *picks]:
                seen = (label, attribute, repr(value)) in {(lbl, a, v) for _, lbl, a, v in times["first"]}
                try:
                    ms = interact(control, attribute, value)
                except Exception as exc:  # a value the control refuses: say so, keep measuring
                    print(f"  {name}: {label} refused {attribute}={value!r}: {type(exc).__name__}: {exc}")
                    continue
                times["again" if seen else "first"].append((ms, label, attribute, repr(value)))
        if not times["first"]:
            print(f"{name}: built in {build_ms:.0f} ms; no interactive control found")
            continue
        start = time.perf_counter()
        static = widget._repr_mimebundle_()["text/html"] if hasattr(widget, "static_html") else ""
        static_ms = (time.perf_counter() - start) * 1000
        print(f"{name}: built in {build_ms:.0f} ms; static copy {static_ms:.0f} ms ({len(static) / 1e3:.0f} kB); "
              f"{len(times['first'])} interactions, each made twice")
        for when, rows in times.items():
            if not rows:
                continue
            slowest = max(rows, key=lambda r: r[0])
            worst[when] = max(worst[when], slowest[0])
            print(f"    {when:5s}: median {median([r[0] for r in rows]):.1f} ms, max {slowest[0]:.1f} ms "
                  f"({slowest[1]}, {slowest[2]}={slowest[3]})")
    for when, label in (("first", "first time"), ("again", "made again")):
        verdict = "meets" if worst[when] <= TARGET_MS else "MISSES"
        print(f"slowest interaction, {label}: {worst[when]:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    charts = importlib.import_module("toolkit.views.charts")
    notebook = importlib.import_module("toolkit.views.notebook")
    for name, chart in (("top_speakers", charts.top_speakers(analysis.quotes)),
                        ("co_mentions", charts.co_mentions(analysis.mentions, analysis.entities)),
                        ("timeline", charts.timeline(analysis.dates, analysis.articles))):
        spec = chart.to_dict()
        notebook.static_bundle(spec)  # the first call starts vl-convert's engine
        start = time.perf_counter()
        bundle, _ = notebook.static_bundle(spec)
        print(f"static rendering of {name}: {(time.perf_counter() - start) * 1000:.0f} ms "
              f"(PNG {len(bundle['image/png']) * 3 / 4 / 1e3:.0f} kB)")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path = write_report(analysis, Path(tmp) / "report.html")
        print(f"report: written in {time.perf_counter() - start:.1f} s, {path.stat().st_size / 1e6:.1f} MB")
    print(machine_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
