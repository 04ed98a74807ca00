"""The day's record: every column of ``daily.csv`` (DESIGN.md section 6) computed from the model state.

Territory is counted in km² from each settlement's 1-km grid cell area; highway km held are the lengths of
M5/M4 links whose both ends a faction holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.wargame.agents import Posture

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def highway_km_held(model: IdlibModel, road: str, code: int) -> float:
    held = model.controller == code
    return float(sum(km for a, b, km in model.theatre.highway_edges(road) if held[a] and held[b]))


def daily_record(model: IdlibModel) -> dict[str, Any]:
    t = model.theatre
    row: dict[str, Any] = {"date": model.date.isoformat()}
    civ = model.civilians
    if civ is not None:
        row.update(civ.summary())
        row["fled_today"] = civ.fled_today
        row["returned_today"] = civ.returned_today
    area = np.bincount(model.controller, weights=t.area_km2, minlength=len(model.factions))
    count = np.bincount(model.controller, minlength=len(model.factions))
    for fac in model.factions:
        row[f"territory_{fac.fid}_km2"] = round(float(area[fac.code]), 1)
        row[f"settlements_{fac.fid}"] = int(count[fac.code])
    gov = model.faction_by_id.get("government")
    if gov is not None:
        idlib = t.area_by_governorate.get("Idlib")
        if idlib is not None and idlib.sum() > 0:
            row["idlib_gov_share"] = round(float(idlib[model.controller == gov.code].sum() / idlib.sum()), 4)
        for road in ("M5", "M4"):
            if road in t.highways:
                row[f"{road.lower()}_km_gov"] = round(highway_km_held(model, road, gov.code), 2)
    for fac in model.factions:
        forms = [f for f in model.formations if f.faction == fac.fid and f.alive]
        s = sum(f.strength for f in forms)
        row[f"strength_{fac.fid}"] = round(s, 1)
        row[f"morale_{fac.fid}"] = round(sum(f.morale * f.strength for f in forms) / s, 4) if s > 0 else 0.0
        row[f"killed_{fac.fid}"] = round(model.killed_by_faction[fac.fid], 1)
        held = model.controller == fac.code
        row[f"garrison_{fac.fid}"] = round(float(model.garrison[held].sum()), 1)
        # of which men detached from its units to hold recent gains (IdlibModel._leave_holding_force)
        row[f"detached_{fac.fid}"] = round(float(model.held_back[held].sum()), 1)
        row[f"sorties_{fac.fid}"] = round(fac.sorties_today, 2)
        row[f"encircled_{fac.fid}"] = sum(1 for f in forms if f.encircled)
    if "turkey" in model.faction_by_id:
        tk = model.faction_by_id["turkey"]
        row["turkish_killed"] = round(tk.deaths_suffered, 1)
        row["turkey_intervening"] = int(tk.intervening)
        row["posts_encircled"] = sum(
            1 for f in model.formations if f.faction == "turkey" and f.posture is Posture.POST and f.encircled
        )
    row["strikes"] = round(float(model.strikes.sum()), 1)
    row["engagements"] = model.engagements_today
    row["surprise_assaults"] = model.surprise_today  # raids and counter-offensives' opening days
    row["overruns"] = model.overruns_today  # defences that gave way to the odds (combat.overrun_ratio)
    row["occupations"] = model.occupations_today  # undefended settlements taken without a fight
    row["captures"] = sum(1 for c in model.captures if c["date"] == row["date"])
    row["ceasefire_active"] = int(model.ceasefire_active)
    return row
