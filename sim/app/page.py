"""The app's page (Solara): levers, a run with a day slider over the map and the time series, and a
comparison with the baseline. ``idlib-sim app`` serves it; ``Page`` is Solara's entry point.

Following Mesa's SolaraViz where it fits: the levers are declared as SolaraViz declares a model's
parameters (``sim.app.levers.model_params``) and rendered by Mesa's own ``UserInputs``. Where it does not:
SolaraViz steps a model in the page and redraws its components every step; here a run (about a second) is
made whole in a background thread, with a progress bar, and the slider then moves over its recorded days,
so moving back and forth costs a redraw, never a rerun. Runs and comparisons are ``sim.app.session``'s;
this module holds only what the page shows. Every error a user can cause (a bad date, seed or
combination of levers) is an ``InputError`` and is shown as its one-line message.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import tempfile
import threading
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import solara
from solara.lab import task

from sim.app import session
from sim.app.levers import BASELINE, LEVER_NOTES, levers_of, model_params, parse, scenario_files, values_of
from sim.inputs.errors import InputError
from sim.inputs.loader import load_scenario
from sim.plots.app_figures import ProbabilityMap, RunMap, SeriesStrip

with warnings.catch_warnings():  # Solara's hook checker objects to a component of SolaraViz we do not use
    warnings.simplefilter("ignore")
    from mesa.visualization.solara_viz import UserInputs

SCENARIOS_ENV = "IDLIB_SIM_SCENARIOS"
PYPLOT = threading.Lock()  # the comparison's fan charts use pyplot, whose state is global: one at a time
P = ParamSpec("P")
R = TypeVar("R")  # the folder of scenario files (``idlib-sim app --scenarios``)


def files() -> dict[str, Path]:
    return scenario_files(Path(os.environ.get(SCENARIOS_ENV, "scenarios")))


def message(exc: BaseException | None) -> str:
    """One line for the page: a bad input's own message; anything else is a bug (logged by ``logged``)."""
    if isinstance(exc, InputError):
        return str(exc)
    if exc is None:
        return ""
    return f"Unexpected error ({type(exc).__name__}: {exc}); the server's log has the details."


def logged(function: Callable[P, R]) -> Callable[P, R]:
    """Print the traceback of anything but bad input to the server's log, once, and raise it on."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except InputError:
            raise
        except Exception:
            traceback.print_exc(file=sys.stderr)
            raise

    return wrapper


def default_values() -> dict[str, Any]:
    fs = files()
    name = BASELINE if BASELINE in fs else next(iter(fs))
    return values_of(levers_of(name, load_scenario(fs[name])))


@dataclass(eq=False)  # compared by identity: the page redraws when a new run replaces it
class RunView:
    run: session.Run
    map: RunMap
    series: SeriesStrip


@dataclass(eq=False)
class CompareView:
    comparison: session.Comparison
    fans: bytes
    differences: bytes | None
    maps: ProbabilityMap


values = solara.reactive(dict[str, Any]())
lever_error = solara.reactive("")
day = solara.reactive(0)
compare_day = solara.reactive(-1)  # -1: the last day
compare_runs = solara.reactive(4)
tab = solara.reactive(0)


@task(prefer_threaded=True)
@logged
def run_task(raw: dict[str, Any]) -> RunView:
    levers = parse(raw)
    run = session.run(levers, files(), progress=lambda share: setattr(run_task, "progress", 100 * share))
    sc = run.record.scenario
    return RunView(run, RunMap(run.record), SeriesStrip(run.record.daily, sc))


@task(prefer_threaded=True)
@logged
def compare_task(raw: dict[str, Any], n: int) -> CompareView:
    from sim.plots.compare_figures import difference_fans, overlaid_fans

    levers = parse(raw)
    cmp = session.compare(
        levers, files(), n, progress=lambda share: setattr(compare_task, "progress", 100 * share)
    )
    with PYPLOT, tempfile.TemporaryDirectory(prefix="idlib-sim-app-") as tmp:
        fans = overlaid_fans(cmp.dailies, Path(tmp)).read_bytes()
        diff = difference_fans(cmp.dailies, Path(tmp))
        differences = diff.read_bytes() if diff is not None else None
    maps = ProbabilityMap(cmp.theatre, f"share of runs in which the {cmp.offensive} holds it")
    return CompareView(cmp, fans, differences, maps)


def on_lever(name: str, value: Any) -> None:
    """A lever moved: choosing a scenario shows its own levers (the seed stays)."""
    lever_error.set("")
    new = dict(values.value)
    if name == "scenario":
        try:
            fs = files()
            new = values_of(levers_of(value, load_scenario(fs[value]))) | {"seed": new.get("seed", "1")}
        except (InputError, KeyError) as exc:
            lever_error.set(message(exc) if isinstance(exc, InputError) else f"unknown scenario {value}")
            return
    else:
        new[name] = value
    values.set(new)
    try:
        parse(new)
    except InputError as exc:
        lever_error.set(str(exc))


def _start() -> None:
    if not values.value:
        try:
            values.set(default_values())
        except InputError as exc:
            lever_error.set(str(exc))


@solara.component
def Levers() -> None:
    solara.use_effect(_start, [])
    solara.Markdown("### Levers")
    if not values.value:
        if lever_error.value:
            solara.Error(lever_error.value, classes=["idlib-error"])
        return
    UserInputs(model_params(values.value, list(files())), on_change=on_lever)
    air = values.value.get("air_scale", 1.0)
    solara.Markdown(
        f"Air power ×{float(air):.2f}. " + LEVER_NOTES, style={"font-size": "0.8em", "color": "#555"}
    )
    if lever_error.value:
        solara.Error(lever_error.value, classes=["idlib-error"])
    solara.Button(
        "Run", on_click=lambda: run_task(dict(values.value)), disabled=run_task.pending, color="primary"
    )
    solara.ProgressLinear(run_task.progress if run_task.pending else False)
    if run_task.error:
        solara.Error(message(run_task.exception), classes=["idlib-error"])
    solara.Markdown("### Compare with the baseline")
    with solara.Column(classes=["idlib-runs"]):
        solara.SliderInt("Runs per scenario", value=compare_runs, min=2, max=16)
    solara.Button(
        "Compare with the baseline",
        on_click=lambda: (tab.set(1), compare_task(dict(values.value), compare_runs.value)),
        disabled=compare_task.pending,
    )
    solara.ProgressLinear(compare_task.progress if compare_task.pending else False)
    if compare_task.error:
        solara.Error(message(compare_task.exception), classes=["idlib-error"])


def _date(start: dt.date, k: int) -> str:
    return f"{start + dt.timedelta(days=k):%d %b %Y}"


@solara.component
def RunPanel() -> None:
    view = run_task.value if run_task.finished else None
    if view is None:
        solara.Info("Choose a scenario and the levers, then press Run (a run takes a few seconds).")
    else:
        RunDays(view)


@solara.component
def RunDays(view: RunView) -> None:
    record = view.run.record
    last = record.days - 1
    k = min(day.value, last)
    with solara.Column(classes=["idlib-day"]):
        solara.SliderInt(f"Day {k}: {_date(record.scenario.start, k)}", value=day, min=0, max=last)
    map_png = solara.use_memo(lambda: view.map.png(k), dependencies=[view, k])
    series_png = solara.use_memo(lambda: view.series.png(k), dependencies=[view, k])
    with solara.Columns([5, 6]):
        solara.Image(map_png, classes=["idlib-map"])
        with solara.Column():
            solara.Image(series_png, classes=["idlib-series"])
            row = record.daily.iloc[k]
            changes = int((view.run.captures["date"] <= str(row["date"])).sum())
            solara.Markdown(
                f"**{_date(record.scenario.start, k)}**: "
                f"{int(row.get('displaced_total', 0)):,} people displaced since the start, "
                f"{int(row.get('civilians_killed', 0)):,} civilians killed; "
                f"{changes} changes of control so far."
            )
            solara.Markdown(f"The same run on the command line:\n\n```\n{view.run.command}\n```")


def _outcome_rows(view: CompareView) -> str:
    table = view.comparison.table
    names = view.comparison.names
    diff = f"diff_vs_{names[0]}"
    lines = [
        f"| outcome (end of run) | {names[0]} | {names[1]} | paired difference |",
        "|---|---|---|---|",
    ]
    for outcome in table["outcome"].drop_duplicates():
        if "share of runs" in outcome:
            continue
        rows = table[table["outcome"] == outcome].set_index("scenario")
        if not set(names) <= set(rows.index):
            continue
        b, c = rows.loc[names[0]], rows.loc[names[1]]
        lines.append(
            f"| {outcome} | {b['median']:,.0f} [{b['p5']:,.0f}–{b['p95']:,.0f}] "
            f"| {c['median']:,.0f} [{c['p5']:,.0f}–{c['p95']:,.0f}] "
            f"| {c[diff]:+,.0f} [{c['diff_p5']:+,.0f}, {c['diff_p95']:+,.0f}] |"
        )
    return "\n".join(lines)


@solara.component
def ComparePanel() -> None:
    view = compare_task.value if compare_task.finished else None
    if compare_task.pending:
        solara.Info("Running the comparison: both scenarios on the same seeds.")
    elif view is None:
        solara.Info("Press 'Compare with the baseline' to run both scenarios on common seeds.")
    if view is not None:
        CompareResult(view)


@solara.component
def CompareResult(view: CompareView) -> None:
    cmp = view.comparison
    n = int(cmp.dailies[cmp.names[0]]["run"].nunique())
    solara.Markdown(
        f"#### {cmp.names[1]} against {cmp.names[0]}: {n} runs each on the same seeds\n\n"
        "Median [5 %–95 %] of runs; paired difference run by run, median [5 %, 95 %].\n\n"
        + _outcome_rows(view)
    )
    solara.Image(view.fans, classes=["idlib-fans"])
    if view.differences is not None:
        solara.Image(view.differences)
    days = len(next(iter(cmp.held.values())))
    k = days - 1 if compare_day.value < 0 else min(compare_day.value, days - 1)
    with solara.Column(classes=["idlib-compare-day"]):
        solara.SliderInt(
            f"Day {k}: {_date(cmp.start, k)}", value=k, min=0, max=days - 1, on_value=compare_day.set
        )
    pngs = solara.use_memo(
        lambda: [
            view.maps.png(cmp.held[name][k], f"{name}: held by the {cmp.offensive} on {_date(cmp.start, k)}",
                          front=(cmp.held[name][k] >= 0.5).astype(int))
            for name in cmp.names
        ],
        dependencies=[view, k],
    )  # fmt: skip
    with solara.Columns([1, 1]):
        for png in pngs:
            solara.Image(png, classes=["idlib-probability"])
    solara.Markdown("The same runs on the command line:\n\n```\n" + "\n".join(cmp.commands) + "\n```")


@solara.component
def Page() -> None:
    solara.Title("idlib-sim")
    with solara.AppBarTitle():
        solara.Text("idlib-sim: the 2019-2020 offensive on Idlib")
    with solara.Sidebar():
        Levers()
    with solara.lab.Tabs(value=tab):
        with solara.lab.Tab("Run"):
            RunPanel()
        with solara.lab.Tab("Compare"):
            ComparePanel()


page = Page  # the name Mesa's examples give their app's page
