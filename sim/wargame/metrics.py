"""Phase 10: the day's record — every column of ``daily.csv``, and the per-settlement histories behind
``population.csv`` and the figures.

Territory is counted in km² from each settlement's cell area; highway km held are the lengths of a road's
links whose both ends a faction holds. The headline columns follow the scenario's roles: the '_gov'
columns measure ``roles.offensive`` (the share of each of ``outputs.governorates`` it holds, the km of each
highway), and 'turkish_killed', 'turkey_intervening' and 'posts_encircled' measure ``roles.guarantor``;
their names are kept from the historical scenario so that targets and analyses keep working.
"""

from __future__ import annotations

from itertools import takewhile
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs.forces import Role
from sim.wargame.agents import Posture

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def highway_km_held(model: IdlibModel, road: str, code: int) -> float:
    held = model.battlefield.controller == code
    return float(sum(km for a, b, km in model.theatre.highway_edges(road) if held[a] and held[b]))


def daily_record(model: IdlibModel) -> dict[str, Any]:
    """One row of ``daily.csv``: the state at the end of the day."""
    t = model.theatre
    bf = model.battlefield
    roles = model.scenario.roles
    row: dict[str, Any] = {"date": model.date.isoformat()}
    civ = model.civilians
    if civ is not None:
        row.update(civ.summary())
        row["fled_today"] = civ.fled_today
        row["returned_today"] = civ.returned_today
    area = np.bincount(bf.controller, weights=t.area_km2, minlength=len(model.factions))
    changed = bf.controller != bf.initial_controller
    count = np.bincount(bf.controller, minlength=len(model.factions))
    for fac in model.factions:
        row[f"territory_{fac.fid}_km2"] = round(float(area[fac.code]), 1)
        row[f"settlements_{fac.fid}"] = int(count[fac.code])
    for fac in model.factions:  # communities held now that the faction's side did not hold on the first day
        row[f"communities_changed_{fac.fid}"] = int(np.count_nonzero(changed & (bf.controller == fac.code)))
    if roles.offensive is not None:
        off = bf.faction_by_id[roles.offensive]
        for name in model.scenario.outputs.governorates:
            cells = t.area_by_governorate.get(name)
            if cells is not None and cells.sum() > 0:
                share = cells[bf.controller == off.code].sum() / cells.sum()
                row[f"{name.lower()}_gov_share"] = round(float(share), 4)
        for road in t.highways:
            row[f"{road.lower()}_km_gov"] = round(highway_km_held(model, road, off.code), 2)
    for fac in model.factions:
        forms = [f for f in model.formations if f.faction == fac.fid and f.alive]
        s = sum(f.strength for f in forms)
        row[f"strength_{fac.fid}"] = round(s, 1)
        row[f"morale_{fac.fid}"] = round(sum(f.morale * f.strength for f in forms) / s, 4) if s > 0 else 0.0
        row[f"killed_{fac.fid}"] = round(model.killed_by_faction[fac.fid], 1)
        held = bf.controller == fac.code
        row[f"garrison_{fac.fid}"] = round(float(bf.garrison[held].sum()), 1)
        # of which men detached from its units to hold recent gains (holding.leave_holding_force)
        row[f"detached_{fac.fid}"] = round(float(bf.held_back[held].sum()), 1)
        row[f"sorties_{fac.fid}"] = round(fac.sorties_today, 2)
        row[f"encircled_{fac.fid}"] = sum(1 for f in forms if f.encircled)
    if roles.guarantor is not None:
        tk = bf.faction_by_id[roles.guarantor]
        row["turkish_killed"] = round(tk.deaths_suffered, 1)
        row["turkey_intervening"] = int(tk.intervening)
        row["posts_encircled"] = sum(
            1 for f in model.formations if f.faction == tk.fid and f.posture is Posture.POST and f.encircled
        )
    row["strikes"] = round(float(model.strikes.sum()), 1)
    row["engagements"] = model.engagements_today
    row["surprise_assaults"] = model.surprise_today  # raids and counter-offensives' opening days
    row["overruns"] = model.overruns_today  # defences that gave way to the odds (combat.overrun_ratio)
    row["occupations"] = model.occupations_today  # undefended settlements taken without a fight
    # today's captures are the last rows (recorded in date order): counted from the end, not over the run
    row["captures"] = sum(1 for _ in takewhile(lambda c: c["date"] == row["date"], reversed(model.captures)))
    row["ceasefire_active"] = int(model.ceasefire_active)
    return row


def record(model: IdlibModel) -> None:
    """Append the day's row and the per-settlement histories (present, displaced, controller, strikes,
    security corridor, observation posts)."""
    model.daily.append(daily_record(model))
    civ = model.civilians
    if civ is not None:
        model.present_history.append(civ.present())
        model.displaced_history.append(civ.displaced_present())
        model.arrivals_history.append(civ.arrivals.copy())
        model.departures_history.append(civ.departures.copy())
        codes, keys = model.theatre.subdistricts
        if keys:  # people from each sub-district away from it (communities with none count apart, dropped)
            group = np.where(codes >= 0, codes, len(keys))
            model.away_history.append(civ.away_from(group, len(keys) + 1)[: len(keys)])
    model.controller_history.append(model.battlefield.controller.copy())
    model.strikes_history.append(model.strikes.copy())
    model.corridor_history.append(model.corridor & model.ceasefire_active)
    model.posts_history.append(
        [(f.node, f.encircled) for f in model.formations if f.role is Role.POST and f.alive]
    )
