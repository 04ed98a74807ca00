"""The outcomes of a run that comparisons and sweeps are read on: one row per run of an ensemble.

Continuous outcomes, at the end of the run: people displaced; opposition territory lost (km², first date
minus last); civilians killed; Turkish, government and opposition dead; settlements held by the government.
Yes/no outcomes: whether the government takes Ariha or Idlib city at any time in the run, and whether the
M4 falls (the government holds all of it on some day: its government-held km reach the highway's length).
"""

from __future__ import annotations

import pandas as pd

from sim.inputs.geography import Theatre, load_map
from sim.inputs.loader import LoadedScenario

CONTINUOUS = {
    "displaced_total": "people displaced since 1 Dec (end of run)",
    "opposition_km2_lost": "opposition territory lost (km²)",
    "civilians_killed": "civilians killed",
    "turkish_killed": "Turkish soldiers killed",
    "killed_government": "government dead or disabled",
    "killed_opposition": "opposition dead or disabled",
    "settlements_government": "settlements government-held at the end",
}
BINARY = {"ariha_falls": "Ariha falls", "idlib_falls": "Idlib city falls", "m4_falls": "the M4 falls"}


def m4_length_km(loaded: LoadedScenario) -> float:
    """Length of the M4 on the scenario's map: the government-held km it takes for the M4 to fall."""
    return load_map(loaded.map_path).highway_km("M4")


def outcomes(
    daily: pd.DataFrame,
    captures: pd.DataFrame,
    m4_km_total: float | None = None,
    theatre: Theatre | None = None,
) -> pd.DataFrame:
    """One row per run with the comparison outcomes (towns matched to the map's names through
    ``theatre``)."""
    first = daily.sort_values("date").groupby("run").first()
    last = daily.sort_values("date").groupby("run").last()
    out = pd.DataFrame(index=last.index)
    for col in (
        "displaced_total",
        "civilians_killed",
        "turkish_killed",
        "killed_government",
        "killed_opposition",
        "settlements_government",
    ):
        if col in last:
            out[col] = last[col]
    if "territory_opposition_km2" in last:
        out["opposition_km2_lost"] = first["territory_opposition_km2"] - last["territory_opposition_km2"]
    gov = captures[captures["to_controller"] == "government"] if len(captures) else captures
    for town, col in (("Ariha", "ariha_falls"), ("Idlib", "idlib_falls")):
        town = theatre.canonical(town) if theatre is not None else town
        runs = set(gov.loc[gov["settlement"] == town, "run"]) if len(gov) else set()
        out[col] = [r in runs for r in out.index]
    if "m4_km_gov" in daily and m4_km_total:
        mx = daily.groupby("run")["m4_km_gov"].max()
        out["m4_falls"] = (mx >= m4_km_total - 1e-6).reindex(out.index).fillna(False)
    return out
