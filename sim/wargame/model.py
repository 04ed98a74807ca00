"""IdlibModel: the Mesa model of the offensive, one step per day.

``IdlibModel.step`` lists the day's phases in order (as Mesa's example models orchestrate phases in
``Model.step``); each phase is a function of the model in a module of its own:

1. ``events``: weather, planned sorties, ceasefires (each party keeps or breaks each one today),
   reinforcements, new observation posts, interventions and fire support;
2. ``recovery.supply_lines``: which formations are cut off from their supply heads (encirclement);
3. ``commander``: redeployments, the offensive plan of each active order, then the defence, by faction;
4. ``movement``: marching along friendly-held roads;
5. ``air``: where today's strikes and artillery fall, and their losses;
6. ``battle``: ground combat at every settlement under assault, withdrawals and captures; then
   ``holding.occupy``: undefended settlements taken without a fight;
7. ``guarantor``: incidents at the guarantor's positions, retaliation, intervention strikes;
8. ``recovery.recover``: supply, morale, replacements, detachments and local defenders;
9. ``civilians``: danger, flight, shelter, deaths and returns of the population;
10. ``metrics``: the day's record.

The state of the ground and the queries the phases share live in ``Battlefield``; the model holds the
agents, the day's conditions and the record. All randomness comes from the model's own generators
(``self.rng``, and ``self.random`` for Mesa's space), seeded by ``rng=``; there is no global state.
Iteration is over lists in a fixed order, never over sets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import Network

from sim.civilians import Civilians
from sim.inputs.errors import InputError
from sim.inputs.forces import FormationSpec, OrderSpec, Role
from sim.inputs.geography import Theatre
from sim.inputs.schema import Scenario
from sim.inputs.start import StartState
from sim.inputs.timeline import Timeline
from sim.wargame import (
    air,
    battle,
    civilians,
    commander,
    events,
    guarantor,
    holding,
    metrics,
    movement,
    recovery,
)
from sim.wargame.agents import Faction, Formation
from sim.wargame.battlefield import Battlefield


class IdlibModel(mesa.Model):
    """The offensive, day by day. Build with a validated `Scenario` and its `Theatre`."""

    def __init__(
        self,
        scenario: Scenario,
        theatre: Theatre,
        civilians: bool = True,
        rng: Any = None,
        start: StartState | None = None,
    ) -> None:
        super().__init__(rng=rng)
        self.scenario = scenario
        if start is None and scenario.initial_state is not None:  # a programming error, not bad input
            raise ValueError("a scenario with initial_state needs its start state (sim.runs.start.build)")
        # the first day's control and people: the map's, or the start state's (then the map as it stood)
        self.theatre = theatre = start.apply(theatre) if start is not None else theatre
        self.params = scenario.parameters
        self.timeline = Timeline(scenario)
        self.space = Network(theatre.graph, random=self.random)
        self.day = 0
        self.running = True
        # ---- factions, and the ground they hold on the first day
        self.factions: list[Faction] = []
        self.faction_by_id: dict[str, Faction] = {}
        for code, (fid, spec) in enumerate(scenario.factions.items()):
            f = Faction(self, fid, code, spec)
            self.factions.append(f)
            self.faction_by_id[fid] = f
        missing = sorted({c for c in theatre.controller0 if c not in self.faction_by_id})
        if missing:
            raise InputError(
                theatre.path,
                "settlements.controller",
                f"controller '{missing[0]}' is not a faction of scenario '{scenario.name}'",
            )
        controller = np.array([self.faction_by_id[c].code for c in theatre.controller0], dtype=np.int8)
        self.formations: list[Formation] = []
        self.formation_by_spec: dict[str, Formation] = {}
        self.battlefield = Battlefield(
            theatre,
            self.params,
            self.factions,
            self.formations,
            self.space,
            controller,
            scenario.roles.local_defence,
        )
        recovery.fortify_front(self)
        self.order_gains: dict[int, list[int]] = {}  # settlements each order's units have taken
        self.occupy_zone: dict[int, np.ndarray] = {}  # today's settlements each order may occupy
        # ---- formations: the initial order of battle (from a start state, on their side's ground), then the
        #      guarantor's posts standing on the first day
        for spec in scenario.formations:
            self.add_formation(spec, relocate=start is not None)
        if scenario.roles.guarantor is not None:
            for i, post in enumerate(theatre.observation_posts):
                f = self.add_post(
                    f"post_{i}",
                    post["name"],
                    scenario.roles.guarantor,
                    post["settlement"],
                    post.get("note", ""),
                    relocate=False,  # the posts of 1 December stand where the map puts them, encircled or not
                )
                f.astana_post = True
        # ---- civilians
        safe = [
            self.faction_by_id[c].code for c in scenario.civilians.safe_controllers if c in self.faction_by_id
        ]
        self.safe_codes = np.array(safe, dtype=np.int8)
        self.safe_lut = np.zeros(len(self.factions), dtype=bool)  # by controller code: safe_lut[controller]
        self.safe_lut[self.safe_codes] = True
        self.civilians: Civilians | None = None
        if civilians:
            # camp places are shared within a sub-district (a settlement without one is its own area)
            codes, keys = theatre.subdistricts
            self.civilians = Civilians(
                theatre.population,
                theatre.camp_capacity,
                self.safe_lut[controller],
                theatre.edges,
                theatre.edge_km,
                scenario.civilians.cohort_size,
                self.params.civilians,
                self.rng,
                camp_area=np.where(codes >= 0, codes, len(keys) + np.arange(theatre.n)),
            )
        # ---- the day's conditions (set by the phases each day)
        self.strikes = np.zeros(theatre.n)  # all strikes per settlement today
        self.strikes_by: dict[str, np.ndarray] = {f.fid: np.zeros(theatre.n) for f in self.factions}
        self.cas = np.zeros(theatre.n)  # close-air-support sorties for the attackers of each settlement
        self.defence_cas = np.zeros(theatre.n)  # sorties supporting the defenders of each settlement
        self.ground_factor = 1.0
        self.can_attack: dict[str, bool] = {}
        self.max_targets: dict[str, int] = {}
        self.ceasefire_active = False
        self.corridor = np.zeros(theatre.n, dtype=bool)
        self.loss_today: dict[int, float] = defaultdict(float)
        self.victory_today: dict[int, float] = defaultdict(float)
        self.killed_by_faction: dict[str, float] = defaultdict(float)
        self.engagements_today = 0
        self.surprise_today = 0
        self.overruns_today = 0
        self.occupations_today = 0
        # ---- the record
        self.captures: list[dict[str, Any]] = []
        self.daily: list[dict[str, Any]] = []
        self.present_history: list[np.ndarray] = []
        self.displaced_history: list[np.ndarray] = []
        self.arrivals_history: list[np.ndarray] = []  # people arriving at each settlement, per day
        self.departures_history: list[np.ndarray] = []  # people setting off from each settlement, per day
        self.away_history: list[np.ndarray] = []  # per sub-district: people from it who are away, per day
        self.controller_history: list[np.ndarray] = []
        self.strikes_history: list[np.ndarray] = []
        self.posts_history: list[list[tuple[int, bool]]] = []
        self.corridor_history: list[np.ndarray] = []
        self.datacollector = mesa.DataCollector(
            tables={"captures": ["date", "settlement", "from_controller", "to_controller"]}
        )

    # ---------------------------------------------------------------- the day

    def step(self) -> None:
        """One day, phase by phase: each phase reads what the ones before it wrote."""
        events.apply_day(self)
        recovery.supply_lines(self)
        commander.plan(self)
        movement.march(self)
        air.strike(self)
        battle.fight(self)
        holding.occupy(self)
        guarantor.act(self)
        recovery.recover(self)
        civilians.move(self)
        metrics.record(self)
        self.day += 1
        if self.day >= self.scenario.days:
            self.running = False

    def run(self, progress: Any = None) -> None:
        """Step to the end of the scenario; ``progress`` (a tqdm bar, say) is told of every day."""
        while self.running:
            self.step()
            if progress is not None:
                progress.update(1)

    # ---------------------------------------------------------------- what the phases share

    @property
    def date(self) -> dt.date:
        return self.scenario.start + dt.timedelta(days=self.day)

    def orders_in_force(self, fid: str) -> list[tuple[int, OrderSpec]]:
        """The faction's orders whose window contains today, with their index in the scenario."""
        return [
            (i, o)
            for i, o in enumerate(self.scenario.orders)
            if o.faction == fid and o.start <= self.date <= o.end
        ]

    def add_formation(self, spec: FormationSpec, relocate: bool = False) -> Formation:
        """Place a formation at its settlement; with ``relocate`` (a reinforcement, or the order of battle
        on a start state's ground), a unit sent to a settlement its side does not hold arrives at the
        nearest one it does."""
        node = self.theatre.id(spec.location)
        if relocate:
            nearest = self.battlefield.nearest_friendly(self.faction_by_id[spec.faction], node)
            if nearest is not None:
                node = nearest
        f = Formation(self, spec, node)
        self.formations.append(f)
        self.formation_by_spec[spec.id] = f
        return f

    def add_post(
        self,
        spec_id: str,
        name: str,
        fid: str,
        location: str,
        source: str,
        strength: int | None = None,
        relocate: bool = True,
    ) -> Formation:
        """An observation post of faction ``fid``, with the faction's ``posts:`` statistics."""
        posts = self.scenario.factions[fid].posts
        if posts is None:  # the scenario's validation rules this out
            raise InputError(self.scenario.name, f"factions.{fid}.posts", "required for observation posts")
        spec = FormationSpec(
            id=spec_id,
            name=name,
            faction=fid,
            group=posts.group,
            strength=strength if strength is not None else posts.strength,
            quality=posts.quality,
            cohesion=posts.cohesion,
            morale=posts.morale,
            location=location,
            role=Role.POST,
            source=source,
        )
        return self.add_formation(spec, relocate=relocate)

    def record_capture(self, node: int, from_fid: str, to_fid: str) -> None:
        row = {
            "date": self.date.isoformat(),
            "settlement": self.theatre.names[node],
            "from_controller": from_fid,
            "to_controller": to_fid,
        }
        self.captures.append(row)
        self.datacollector.add_table_row("captures", row)
