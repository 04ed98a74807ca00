"""The scenario against its map: every settlement, road, governorate and controller it names must exist.

Settlement names are spelled as in the map file (a near miss gets a suggestion); the map's controllers on
the first day must all be factions of the scenario, or the front cannot be drawn (a faction removed or
renamed used to validate and then fail under ``run``, blaming the map).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.inputs.errors import InputError
from sim.inputs.events import (
    BombardmentEvent,
    CeasefireEvent,
    ObservationPostsEvent,
    ReinforcementEvent,
    StrikeReportEvent,
)
from sim.inputs.geography import Theatre
from sim.inputs.provenance import blame as blame_in
from sim.inputs.provenance import latest

if TYPE_CHECKING:
    from sim.inputs.loader import LoadedScenario


def check_against_map(
    loaded: LoadedScenario,
    theatre: Theatre,
    origin: dict[tuple, str] | None = None,
    chain: list[str] | None = None,
) -> None:
    """Every settlement, road and governorate a scenario names must exist in the map (a settlement by its
    name or an alias that names one settlement, as ``Theatre.id`` resolves them)."""
    sc = loaded.scenario
    origin = origin or {}

    def blame(loc: tuple) -> str:
        """The file that wrote the name or, if later, the one that changed the map under it."""
        default = str(loaded.path)
        return latest(
            [(blame_in(loc, origin, default), ""), (blame_in(("map",), origin, default), "")], chain or []
        )[0]

    held_by = sorted({c for c in theatre.controller0 if c not in sc.factions})
    if held_by:  # a faction removed or renamed: the scenario's factions must cover the map's front
        raise InputError(
            blame(("factions",)),
            "factions",
            f"the map ({theatre.path.name}) has settlements held by '{held_by[0]}', which is not a faction "
            f"here (the map's controllers: {', '.join(sorted(set(theatre.controller0)))})",
        )

    def need(field: str, name: str, loc: tuple) -> None:
        if not theatre.knows(name):
            hint = theatre.suggest(name)
            extra = f" (did you mean '{hint}'?)" if hint else ""
            raise InputError(blame(loc), field, f"unknown settlement '{name}'{extra}")

    def need_area(field: str, label: str, loc: tuple) -> None:
        try:
            theatre.areas_mask([label])
        except KeyError:
            raise InputError(blame(loc), field, f"unknown sub-district or settlement '{label}'") from None

    for fid, f in sc.factions.items():
        for i, s in enumerate(f.supply_sources):
            need(f"factions.{fid}.supply_sources.{i}", s, ("factions", fid, "supply_sources", i))
        for i, s in enumerate(f.objectives):
            if s not in theatre.highways:
                need(f"factions.{fid}.objectives.{i}", s, ("factions", fid, "objectives", i))
    for i, f in enumerate(sc.formations):
        need(f"formations.{i}.location", f.location, ("formations", i, "location"))
    for i, o in enumerate(sc.orders):
        need(f"orders.{i}.objective", o.objective, ("orders", i, "objective"))
        if o.start_point is not None:
            need(f"orders.{i}.start_point", o.start_point, ("orders", i, "start_point"))
        for k, w in enumerate(o.via):
            need(f"orders.{i}.via.{k}", w, ("orders", i, "via", k))
        if o.road is not None and o.road != "auto" and o.road not in theatre.highways:
            raise InputError(
                blame(("orders", i, "road")),
                f"orders.{i}.road",
                f"unknown road '{o.road}' (the map has {', '.join(sorted(theatre.highways))})",
            )
    for i, g in enumerate(sc.outputs.governorates):
        if g not in theatre.area_by_governorate:
            raise InputError(
                blame(("outputs", "governorates", i)),
                f"outputs.governorates.{i}",
                f"unknown governorate '{g}' (the map has {', '.join(sorted(theatre.area_by_governorate))})",
            )
    for j, a in enumerate(sc.fortified_front.areas):
        need_area(f"fortified_front.areas.{j}", a, ("fortified_front", "areas", j))
    for name, ev in sc.events.items():
        if isinstance(ev, ReinforcementEvent):
            for j, f in enumerate(ev.formations):
                need(
                    f"events.{name}.formations.{j}.location",
                    f.location,
                    ("events", name, "formations", j, "location"),
                )
        if isinstance(ev, ObservationPostsEvent):
            for j, s in enumerate(ev.settlements):
                need(f"events.{name}.settlements.{j}", s, ("events", name, "settlements", j))
        if isinstance(ev, BombardmentEvent):
            for j, a in enumerate(ev.areas):
                need_area(f"events.{name}.areas.{j}", a, ("events", name, "areas", j))
        if isinstance(ev, StrikeReportEvent):
            for j, s in enumerate(ev.places):
                need(f"events.{name}.places.{j}", s, ("events", name, "places", j))
        if isinstance(ev, CeasefireEvent) and ev.corridor and ev.corridor.road not in theatre.highways:
            raise InputError(
                blame(("events", name, "corridor", "road")),
                f"events.{name}.corridor.road",
                f"unknown road '{ev.corridor.road}'",
            )
