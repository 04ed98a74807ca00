"""IdlibModel: the Mesa model that wires the theatre, the factions, the formations and the civilians.

One step is one day. ``IdlibModel.step`` runs the phases in a fixed order (as Mesa's example models
orchestrate phases in ``Model.step``):

1. timeline: weather, planned sorties, ceasefires (each party keeps or breaks it today: a Bernoulli draw with
   the ceasefire's compliance), reinforcements, new observation posts, interventions;
2. supply: which formations connect to their sources over friendly-held roads (encirclement);
3. commanders: offensive planning for each active order, then defensive planning, faction by faction;
4. movement along friendly-held roads;
5. air power and artillery: where today's strikes fall; losses to formations under them;
6. ground combat at every attacked settlement; withdrawals and captures;
7. Turkey: incidents at its positions, retaliation, intervention strikes;
8. morale, supply, garrisons and replacements;
9. civilians: danger, flight, shelter, deaths, returns;
10. the day's record.

All randomness comes from the model's own generators (``self.rng``, and ``self.random`` for Mesa's space),
seeded by ``rng=``; there is no global state. Iteration is over lists in a fixed order, never over sets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import Network
from scipy.sparse.csgraph import dijkstra

from sim.civilians.population import Civilians, DayInputs
from sim.inputs.errors import InputError
from sim.inputs.geography import Theatre
from sim.inputs.schema import FactionKind, FormationSpec, Role, Scenario
from sim.inputs.timeline import Timeline, ceasefire_kept
from sim.wargame import commander
from sim.wargame.agents import Faction, Formation, Posture
from sim.wargame.guarantor import front_targets, incident_probability, strike_formations
from sim.wargame.metrics import daily_record
from sim.wargame.rules.airpower import allocate_strikes, artillery_strikes, strategic_weights
from sim.wargame.rules.combat import (
    attacker_halts,
    defender_breaks,
    effective_power,
    frontage_factor,
    overruns,
    posture_multiplier,
    resolve_engagement,
    terrain_multiplier,
)
from sim.wargame.rules.morale import update_morale
from sim.wargame.rules.supply import connected_to_sources, update_supply

RECOVER_DAYS = 3
GARRISON_FIRE = 0.6  # a garrison or militia man's power, as a share of a formation man's at equal quality


class IdlibModel(mesa.Model):
    """The offensive, day by day. Build with a validated `Scenario` and its `Theatre`."""

    def __init__(self, scenario: Scenario, theatre: Theatre, civilians: bool = True, rng: Any = None) -> None:
        super().__init__(rng=rng)
        self.scenario = scenario
        self.theatre = theatre
        self.params = scenario.parameters
        self.timeline = Timeline(scenario)
        self.space = Network(theatre.graph, random=self.random)
        self.day = 0
        self.running = True
        # ---- factions
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
        self.controller = np.array([self.faction_by_id[c].code for c in theatre.controller0], dtype=np.int8)
        self.control_version = 0
        self._paths: dict[tuple, Any] = {}  # per-faction caches keyed by control_version
        self.days_held = np.full(theatre.n, 30, dtype=np.int32)
        self.last_capture_day = np.full(theatre.n, -999, dtype=np.int32)
        self.previous_controller = self.controller.copy()
        self.order_gains: dict[int, list[int]] = {}  # settlements each order's units have taken
        self.last_fight_day = np.full(theatre.n, -999, dtype=np.int32)
        # the last day each faction assaulted each settlement (a counter-offensive surprises on the first)
        self.last_assault_day = {fid: np.full(theatre.n, -999, dtype=np.int32) for fid in self.faction_by_id}
        # ---- formations (initial order of battle, then the posts standing on 1 December)
        self.formations: list[Formation] = []
        self.formation_by_spec: dict[str, Formation] = {}
        for spec in scenario.formations:
            self._add_formation(spec)
        if "turkey" in self.faction_by_id:
            for i, post in enumerate(theatre.observation_posts):
                self._add_formation(
                    FormationSpec(
                        id=f"post_{i}",
                        name=post["name"],
                        faction="turkey",
                        group="TSK",
                        strength=150,
                        quality=1.5,
                        cohesion=0.9,
                        morale=0.9,
                        location=post["settlement"],
                        role=Role.POST,
                        source=post.get("note", ""),
                    )
                ).astana_post = True
        # ---- settlement garrisons: militia from residents where the opposition holds, garrisons elsewhere
        cp = self.params.combat
        opp = self._code("opposition")
        self.garrison = np.where(
            self.controller == opp,
            np.minimum(cp.militia_cap, cp.militia_per_capita * theatre.population),
            cp.garrison,
        ).astype(float)
        # men of the holder's units detached to hold a recent gain (part of ``garrison``; see
        # ``_leave_holding_force``): they rejoin their units when the front moves away
        self.held_back = np.zeros(theatre.n)
        # ---- civilians
        safe = [
            self.faction_by_id[c].code for c in scenario.civilians.safe_controllers if c in self.faction_by_id
        ]
        self.safe_codes = np.array(safe, dtype=np.int8)
        hosts = np.isin(self.controller, self.safe_codes)
        self.civilians: Civilians | None = None
        if civilians:
            self.civilians = Civilians(
                theatre.population,
                theatre.camp_capacity,
                hosts,
                theatre.edges,
                theatre.edge_km,
                scenario.civilians.cohort_size,
                self.params.civilians,
                self.rng,
            )
        # ---- day state
        self.strikes = np.zeros(theatre.n)  # all strikes per settlement today
        self.strikes_by: dict[str, np.ndarray] = {f.fid: np.zeros(theatre.n) for f in self.factions}
        self.cas = np.zeros(theatre.n)
        self.defence_cas = np.zeros(theatre.n)  # sorties supporting the defenders of each settlement today
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
        self.captures: list[dict[str, Any]] = []
        self.daily: list[dict[str, Any]] = []
        self.present_history: list[np.ndarray] = []
        self.displaced_history: list[np.ndarray] = []
        self.controller_history: list[np.ndarray] = []
        self.strikes_history: list[np.ndarray] = []
        self.posts_history: list[list[tuple[int, bool]]] = []
        self.corridor_history: list[np.ndarray] = []
        self.datacollector = mesa.DataCollector(
            tables={"captures": ["date", "settlement", "from_controller", "to_controller"]}
        )

    # ================================================================ construction helpers

    def _code(self, fid: str) -> int:
        return self.faction_by_id[fid].code if fid in self.faction_by_id else -1

    def _add_formation(self, spec: FormationSpec, relocate: bool = False) -> Formation:
        node = self.theatre.id(spec.location)
        if (
            relocate
        ):  # a unit sent to a settlement its side no longer holds arrives at the nearest one it does
            fac = self.faction_by_id[spec.faction]
            friendly = self.friendly_mask(fac)
            if not friendly[node] and friendly.any():
                d = self.theatre.road_km[node].copy()
                d[~friendly] = np.inf
                node = int(np.argmin(d))
        f = Formation(self, spec, node)
        self.formations.append(f)
        self.formation_by_spec[spec.id] = f
        return f

    @property
    def date(self) -> dt.date:
        return self.scenario.start + dt.timedelta(days=self.day)

    # ================================================================ queries used by the commanders

    def formations_of(self, fid: str) -> list[Formation]:
        return [f for f in self.formations if f.faction == fid]

    def friendly_mask(self, faction: Faction) -> np.ndarray:
        return faction.friendly_lut()[self.controller]

    def enemy_mask(self, faction: Faction) -> np.ndarray:
        return faction.enemy_lut()[self.controller]

    def is_enemy_held(self, faction: Faction, node: int) -> bool:
        return int(self.controller[node]) in faction.enemy_codes()

    def frontier(self, faction: Faction) -> np.ndarray:
        adj = self.theatre.adjacency
        friendly = self.friendly_mask(faction)
        enemy = self.enemy_mask(faction)
        return np.flatnonzero(enemy & adj[:, friendly].any(axis=1))

    def recently_lost(self, faction: Faction, node: int) -> bool:
        """Did ``faction``'s side hold ``node`` until a capture in the last ``counterattack_days`` days?"""
        return (
            int(self.previous_controller[node]) in faction.friendly_codes()
            and self.day - int(self.last_capture_day[node]) <= self.params.commander.counterattack_days
        )

    def deterred(self, faction: Faction, node: int) -> bool:
        """Escalation rule: a faction does not assault a settlement where troops of a third party it is not
        at war with (Turkish task forces, for the government) stand beside its enemy. Observation posts do
        not deter (seed [002]: posts were bypassed and encircled); task forces of hundreds or more do."""
        for a in self.space[node].agents:
            if (
                isinstance(a, Formation)
                and a.alive
                and a.role is not Role.POST
                and a.faction != faction.fid
                and a.faction not in faction.enemies
                and int(self.controller[node]) in self.faction_by_id[a.faction].friendly_codes()
            ):
                return True
        return False

    def enveloped(self, faction: Faction) -> np.ndarray:
        """Settlements of ``faction``'s side where at least ``envelopment_share`` of the road neighbours,
        and at least two, are enemy-held: the defenders' lines of retreat are closing."""
        cp = self.params.commander
        t = self.theatre
        enemy = faction.enemy_lut()[self.controller].astype(float)
        deg = t.adjacency.sum(axis=1)
        n_enemy = t.adjacency.astype(float) @ enemy
        share = np.divide(n_enemy, deg, out=np.zeros(t.n), where=deg > 0)
        return self.friendly_mask(faction) & (n_enemy >= 2) & (share >= cp.envelopment_share)

    def pockets(self, faction: Faction) -> np.ndarray:
        """Enemy-held settlements cut off from their holder's supply (encircled pockets behind the front)."""
        out = np.zeros(self.theatre.n, dtype=bool)
        for eid in faction.enemies:
            enemy = self.faction_by_id[eid]
            out |= (self.controller == enemy.code) & ~self._connected(enemy)
        return out

    def staging_nodes(self, faction: Faction, target: int) -> np.ndarray:
        nb = self.theatre.neighbours[target]
        return nb[faction.friendly_lut()[self.controller[nb]]]

    def enemy_neighbours(self, faction: Faction, node: int) -> int:
        nb = self.theatre.neighbours[node]
        return int(faction.enemy_lut()[self.controller[nb]].sum())

    def friendly_paths(self, faction: Faction) -> tuple[np.ndarray, np.ndarray]:
        """Road km and predecessors over friendly-held settlements (cached until control changes)."""
        key = ("paths", faction.fid, self.control_version)
        if key not in self._paths:
            self._paths = {k: v for k, v in self._paths.items() if k[-1] == self.control_version}
            t = self.theatre
            ok = self.friendly_mask(faction)
            g = t.road_graph.csr(t.edge_km, ok[t.edges[:, 0]] & ok[t.edges[:, 1]])
            dist, pred = dijkstra(g, directed=True, return_predecessors=True)
            self._paths[key] = (dist, pred)
        return self._paths[key]

    def km_to(self, mask: np.ndarray) -> np.ndarray:
        """Road km from every settlement to the nearest settlement in ``mask`` (inf if none)."""
        if not mask.any():
            return np.full(self.theatre.n, np.inf)
        return self.theatre.road_km[:, mask].min(axis=1)

    def safest_neighbour(self, faction: Faction, node: int, avoid: np.ndarray | None = None) -> int | None:
        """The friendly neighbour farthest (road km) from the enemy, skipping settlements in ``avoid``."""
        nb = self.staging_nodes(faction, node)
        if avoid is not None:
            nb = nb[~avoid[nb]]
        if nb.size == 0:
            return None
        d = self.km_to(self.enemy_mask(faction))
        return int(nb[np.argmax(d[nb])])

    def power(self, f: Formation) -> float:
        """``effective_power`` of one formation (scalar arithmetic: called thousands of times a run)."""
        u = self.params.combat.unsupplied_power
        return f.strength * f.quality * f.morale * (u + (1.0 - u) * f.supply)

    def fights(self, f: Formation) -> bool:
        """Does this formation take part in ground combat today?"""
        if not f.alive or f.posture in (Posture.POST, Posture.RECOVER):
            return False
        return self.faction_by_id[f.faction].kind is not FactionKind.GUARANTOR or (
            self.faction_by_id[f.faction].intervening
        )

    def defenders_at(self, node: int) -> list[Formation]:
        owner = self.factions[int(self.controller[node])]
        codes = owner.friendly_codes()
        return [
            a
            for a in self.space[node].agents
            if isinstance(a, Formation) and self.faction_by_id[a.faction].code in codes and self.fights(a)
        ]

    def protection(self, node: int) -> float:
        cp = self.params.combat
        return posture_multiplier(int(self.days_held[node]), cp) * terrain_multiplier(
            int(self.theatre.terrain[node]), cp
        )

    def garrison_quality(self, node: int) -> float:
        """Quality of the men holding ``node`` outside formations: militia where the opposition holds it."""
        cp = self.params.combat
        return (
            cp.militia_quality if self.controller[node] == self._code("opposition") else cp.garrison_quality
        )

    def garrison_power(self, node: int) -> float:
        return float(self.garrison[node]) * self.garrison_quality(node) * GARRISON_FIRE

    def frontage(self, node: int) -> float:
        cp = self.params.combat
        return cp.frontage_base + cp.frontage_per_capita * float(self.theatre.population[node])

    def defence_estimate(self, node: int) -> float:
        """What an attacker must beat at ``node``: defenders' and garrison power (within the settlement's
        frontage) times protection."""
        defenders = self.defenders_at(node)
        p = sum(self.power(f) for f in defenders) + self.garrison_power(node)
        men = sum(f.strength for f in defenders) + float(self.garrison[node])
        return p * frontage_factor(men, self.frontage(node)) * self.protection(node)

    def defence_all(self) -> np.ndarray:
        """``defence_estimate`` for every settlement at once (the commanders' morning picture)."""
        t = self.theatre
        cp = self.params.combat
        power = np.zeros(t.n)
        men = self.garrison.copy()
        lut = np.zeros((len(self.factions), len(self.factions)), dtype=bool)
        for fac in self.factions:
            lut[fac.code, fac.friendly_codes()] = True
        for f in self.formations:
            if self.fights(f) and lut[self.controller[f.node], self.faction_by_id[f.faction].code]:
                power[f.node] += self.power(f)
                men[f.node] += f.strength
        opp = self.controller == self._code("opposition")
        power += self.garrison * np.where(opp, cp.militia_quality, cp.garrison_quality) * GARRISON_FIRE
        frontage = cp.frontage_base + cp.frontage_per_capita * t.population
        phi = np.where(men > frontage, frontage / np.maximum(men, 1.0), 1.0)
        posture = np.where(self.days_held >= cp.entrench_days, cp.posture_prepared, cp.posture_hasty)
        terrain = np.array(
            [cp.terrain_open, cp.terrain_plain, cp.terrain_urban, cp.terrain_hills, cp.terrain_mountain]
        )[t.terrain]
        return power * phi * posture * terrain

    def men_at(self, node: int) -> float:
        return sum(f.strength for f in self.defenders_at(node)) + float(self.garrison[node])

    def expected_cas(self, faction: Faction) -> float:
        return faction.sorties_today * self.params.air.front_share

    def air_cover(self, node: int) -> float:
        """How much the holder's close air support would multiply the defence of ``node`` today (1 for a
        holder without an air force). Counter-attacks and raids weigh it, as the offensive planner weighs
        its own expected air support: an attack into the enemy's air cover needs more men."""
        holder = self.factions[int(self.controller[node])]
        return 1.0 + self.params.combat.air_support * self.expected_cas(holder)

    def open_objective_road(self, faction: Faction) -> str | None:
        """The first of the faction's objective roads (M5, then M4) that it does not yet fully hold."""
        for obj in faction.objectives:
            chain = self.theatre.highways.get(obj)
            if chain and not faction.friendly_lut()[self.controller[chain]].all():
                return obj
        return None

    def threat(self, faction: Faction, hops: int = 1) -> np.ndarray:
        """Enemy ground power within ``hops`` road links of each friendly settlement (0 elsewhere)."""
        n = self.theatre.n
        ep = np.zeros(n)
        for f in self.formations:
            if f.faction in faction.enemies and self.fights(f):
                ep[f.node] += self.power(f)
        if hops not in (1, 2):
            raise ValueError(f"threat: hops must be 1 or 2, not {hops}")
        reach = self.theatre.reach1 if hops == 1 else self.theatre.reach2
        threat = reach @ ep
        return np.where(self.friendly_mask(faction), threat, 0.0)

    def attacked_nodes(self, faction: Faction) -> np.ndarray:
        out = np.zeros(self.theatre.n, dtype=bool)
        for f in self.formations:
            if f.faction in faction.enemies and f.posture is Posture.ATTACK and f.target is not None:
                out[f.target] = True
        return out & self.friendly_mask(faction)

    def ally_support(self, faction: Faction, node: int) -> float:
        """Extra power for attacks next to positions of an ally that backs them with fire today: an
        intervention with ``support_allies`` (Spring Shield) or a fire-support window (the Turkish
        artillery behind the rebel attacks on Nayrab of 20 and 24 Feb 2020, seed [000])."""
        for ally_id in faction.allies:
            ally = self.faction_by_id[ally_id]
            if not ally.supporting:
                continue
            near = set(self.theatre.neighbours[node].tolist()) | {node}
            if any(f.faction == ally_id and f.alive and f.node in near for f in self.formations):
                return 1.0 + self.params.turkey.rebel_support
        return 1.0

    # ================================================================ the day

    def step(self) -> None:
        self._phase_timeline()
        self._phase_supply()
        self._phase_commanders()
        self._phase_movement()
        self._phase_air()
        self._phase_combat()
        self._phase_occupation()
        self._phase_turkey()
        self._phase_recovery()
        self._phase_civilians()
        self._record()
        self.day += 1
        if self.day >= self.scenario.days:
            self.running = False

    # ---------------------------------------------------------------- 1. timeline

    def _phase_timeline(self) -> None:
        tl, d = self.timeline, self.day
        self.ground_factor = float(tl.ground_factor[d])
        self.loss_today = defaultdict(float)
        self.victory_today = defaultdict(float)
        for _, ev in tl.reinforcements(d):
            for spec in ev.formations:
                self._add_formation(spec, relocate=True)
        for name, ev in tl.new_posts(d):
            for j, s in enumerate(ev.settlements):
                self._add_formation(
                    FormationSpec(
                        id=f"{name}_{j}",
                        name=f"{s} post",
                        faction=ev.faction,
                        group="TSK",
                        strength=ev.strength_each,
                        quality=1.5,
                        cohesion=0.9,
                        morale=0.9,
                        location=s,
                        role=Role.POST,
                        source=ev.note,
                    ),
                    relocate=True,
                )
        ceasefires = tl.ceasefires(d)
        self.ceasefire_active = bool(ceasefires)
        for f in self.factions:
            bound, kept_all, air = False, True, 1.0
            for _, cf in ceasefires:
                if cf.parties and f.fid not in cf.parties:
                    continue
                bound = True
                if ceasefire_kept(self.rng, cf):
                    air = min(air, cf.air_factor)
                else:
                    kept_all = False
            planned = float(tl.planned_sorties[f.fid][d])
            keeps = bound and kept_all
            f.sorties_today = planned * float(tl.air_factor[d]) * (air if keeps else 1.0)
            # a party keeping a ceasefire starts no ground attack; a violation is local (one settlement)
            self.can_attack[f.fid] = not keeps and self.ground_factor > 0.2
            self.max_targets[f.fid] = 1 if bound and not kept_all else self.params.commander.max_targets
        for _, cf in ceasefires:
            if cf.corridor is not None and not self.corridor.any():
                self.corridor = self.theatre.km_from_line(cf.corridor.road) <= cf.corridor.half_width_km
        for f in self.factions:
            if f.kind is FactionKind.GUARANTOR:
                f.intervening = False
            f.supporting = False
        for _, ev in tl.interventions(d):
            fac = self.faction_by_id[ev.faction]
            if ev.trigger_deaths is not None and fac.deaths_suffered < ev.trigger_deaths:
                continue
            fac.intervening = True
            fac.supporting = fac.supporting or ev.support_allies
        for _, fs in tl.fire_support(d):
            fac = self.faction_by_id[fs.faction]
            fac.supporting = fac.kind is not FactionKind.PASSIVE  # a passive faction does not escalate

    # ---------------------------------------------------------------- 2. supply

    def _connected(self, faction: Faction) -> np.ndarray:
        """Settlements joined to the faction's supply heads (cached until control changes)."""
        key = ("supply", faction.fid, self.control_version)
        if key not in self._paths:
            sources = faction.sources
            if faction.spec.border_supply:
                sources = np.concatenate([sources, np.flatnonzero(self.theatre.crossing)])
            self._paths[key] = connected_to_sources(
                self.theatre.edges, self.friendly_mask(faction), sources, self.theatre.road_graph
            )
        return self._paths[key]

    def _phase_supply(self) -> None:
        for fac in self.factions:
            conn = self._connected(fac)
            for f in self.formations_of(fac.fid):
                f.encircled = not bool(conn[f.node])

    # ---------------------------------------------------------------- 3-4. commanders and movement

    def _active_orders(self, faction: Faction) -> list[tuple[int, Any]]:
        return [
            (i, o)
            for i, o in enumerate(self.scenario.orders)
            if o.faction == faction.fid and o.start <= self.date <= o.end
        ]

    def _phase_commanders(self) -> None:
        for f in self.formations:
            f.raiding = False
            if f.posture is Posture.ATTACK:
                f.posture, f.target = Posture.HOLD, None
        for fac in self.factions:
            used: set[int] = set()
            if fac.active:
                used |= commander.plan_redeployment(self, fac)
                for i, order in self._active_orders(fac):
                    used |= commander.plan_offensive(
                        self, i, order, fac, self.can_attack[fac.fid], self.max_targets[fac.fid]
                    )
            commander.plan_defence(self, fac, used, self.can_attack[fac.fid])

    def _phase_movement(self) -> None:
        for f in self.formations:
            if f.alive and f.posture is Posture.MOVE:
                here = f.node
                commander.advance(self, self.faction_by_id[f.faction], f)
                if f.node != here:
                    self._leave_holding_force(f, here)
        for f in self.formations:  # an attack needs to start from next to the target
            if f.posture is Posture.ATTACK and (
                f.target is None or not self.theatre.adjacency[f.node, f.target]
            ):
                f.posture, f.target = Posture.HOLD, None

    # ---------------------------------------------------------------- 5. air power and artillery

    def _phase_air(self) -> None:
        t = self.theatre
        ap = self.params.air
        self.strikes = np.zeros(t.n)
        self.cas = np.zeros(t.n)
        self.defence_cas = np.zeros(t.n)
        present = self.civilians.present() if self.civilians is not None else t.population
        for fac in self.factions:
            self.strikes_by[fac.fid] = np.zeros(t.n)
            attackers = [f for f in self.formations if f.faction == fac.fid and f.posture is Posture.ATTACK]
            cas_w = np.zeros(t.n)
            for f in attackers:
                cas_w[f.target] += self.power(f)
            total = np.zeros(t.n)
            if fac.sorties_today > 0:
                def_w, staging = self._attacks_on(fac)
                enemy = self.enemy_mask(fac)
                km_front = self.km_to(self.friendly_mask(fac))
                focus_nodes = np.zeros(t.n, dtype=bool)
                focus_nodes[[f.target for f in attackers]] = True
                for _, o in self._active_orders(fac):
                    focus_nodes[t.id(o.objective)] = True
                focus = 1.0 + 2.0 * np.exp(-self.km_to(focus_nodes) / ap.depth_km)
                sw = strategic_weights(enemy, present, km_front, focus, ap)
                plan = allocate_strikes(
                    self.rng, fac.sorties_today, cas_w, sw, ap.front_share, def_w, staging
                )
                total = plan.strikes
                self.cas += plan.cas
                self.defence_cas += plan.defence
                fac.sorties_total += fac.sorties_today
            # artillery: attacking formations shell their target's neighbourhood (preparatory fire)
            if attackers and self.can_attack.get(fac.fid, True):
                enemy = self.enemy_mask(fac)
                adj_enemy = [t.neighbours[f.node][enemy[t.neighbours[f.node]]] for f in attackers]
                art = artillery_strikes(
                    adj_enemy, np.array([f.strength for f in attackers]), ap.artillery_per_1000, t.n
                )
                total = total + self.rng.poisson(art)
            self.strikes_by[fac.fid] = total
            self.strikes += total
        # losses to formations (and garrisons) under enemy strikes
        kills = self.params.combat.air_kills_per_sortie
        for fac in self.factions:
            s = self.strikes_by[fac.fid]
            if not s.any():
                continue
            for v in np.flatnonzero(s):
                targets = [
                    f
                    for f in self.space[int(v)].agents
                    if isinstance(f, Formation) and f.faction in fac.enemies and f.alive
                ]
                if self.controller[v] in fac.enemy_codes():
                    g_loss = min(self.garrison[v], self.rng.poisson(0.3 * kills * s[v]))
                    self.garrison[v] -= g_loss
                    self.killed_by_faction[self.factions[int(self.controller[v])].fid] += g_loss
                if not targets:
                    continue
                w = np.array([f.strength for f in targets])
                lost = self.rng.binomial(
                    np.floor(w).astype(np.int64), min(0.5, kills * s[v] / max(w.sum(), 1.0))
                )
                self._apply_losses(targets, lost)

    def _attacks_on(self, fac: Faction) -> tuple[np.ndarray, np.ndarray]:
        """Enemy attacks on ``fac``'s settlements today: the attacking power at each target, and an (n, n)
        matrix whose row t spreads target t over the attackers' staging settlements (rows sum to 1)."""
        t = self.theatre
        friendly = fac.friendly_lut()
        power = np.zeros(t.n)
        staging = np.zeros((t.n, t.n))
        for g in self.formations:
            if (
                g.alive
                and g.posture is Posture.ATTACK
                and g.target is not None
                and g.faction in fac.enemies
                and friendly[self.controller[g.target]]
            ):
                pw = self.power(g)
                power[g.target] += pw
                staging[g.target, g.node] += pw
        rows = staging.sum(axis=1, keepdims=True)
        return power, np.divide(staging, rows, out=np.zeros_like(staging), where=rows > 0)

    # ---------------------------------------------------------------- 6. ground combat

    def _phase_combat(self) -> None:
        cp = self.params.combat
        t = self.theatre
        by_target: dict[int, list[Formation]] = defaultdict(list)
        for f in self.formations:
            if f.posture is Posture.ATTACK and f.target is not None and f.alive:
                by_target[f.target].append(f)
        self.engagements_today = 0
        self.surprise_today = 0  # engagements opened with surprise (raids, counter-offensives' first days)
        self.overruns_today = 0  # defences that gave way to the day's odds (combat.overrun_ratio)
        for target in sorted(by_target):
            attackers = [f for f in by_target[target] if f.alive and t.adjacency[f.node, target]]
            if not attackers:
                continue
            att_fac = self.faction_by_id[attackers[0].faction]
            if not self.is_enemy_held(att_fac, target):
                continue
            defenders = self.defenders_at(target)
            g = float(self.garrison[target])
            if not defenders and g < 1.0:
                self._capture(target, att_fac, attackers)
                continue
            self.engagements_today += 1
            self.last_fight_day[target] = self.day
            self.last_assault_day[att_fac.fid][target] = self.day
            self.surprise_today += any(f.raiding for f in attackers)
            d_str = np.array([f.strength for f in defenders] + [g])
            d_pow = np.concatenate(
                [
                    effective_power(
                        np.array([f.strength for f in defenders]),
                        np.array([f.quality for f in defenders]),
                        np.array([f.morale for f in defenders]),
                        np.array([f.supply for f in defenders]),
                        cp.unsupplied_power,
                    ),
                    np.array([self.garrison_power(target)]),
                ]
            )
            a_str = np.array([f.strength for f in attackers])
            a_pow = effective_power(
                a_str,
                np.array([f.quality for f in attackers]),
                np.array([f.morale for f in attackers]),
                np.array([f.supply for f in attackers]),
                cp.unsupplied_power,
            ) * self.ally_support(att_fac, target)
            a_pow = a_pow * np.array([cp.raid_surprise if f.raiding else 1.0 for f in attackers])
            res = resolve_engagement(
                self.rng,
                a_str,
                a_pow,
                d_str,
                d_pow,
                self.protection(target),
                float(self.cas[target]),
                self.ground_factor,
                cp,
                self.frontage(target),
                float(self.defence_cas[target]),
            )
            self._apply_losses(attackers, res.attacker_losses, engagement=True)
            self._apply_losses(defenders, res.defender_losses[:-1], engagement=True)
            g_loss = min(g, res.defender_losses[-1])
            self.garrison[target] -= g_loss
            self.killed_by_faction[self.factions[int(self.controller[target])].fid] += g_loss
            # breakpoints
            d_total = float(d_str.sum())
            cum = (
                sum(f.engagement_loss * f.strength for f in defenders) / max(d_total - g, 1.0)
                if defenders
                else res.defender_daily_fraction
            )
            morale = (
                (sum(f.morale * f.strength for f in defenders) / max(d_total - g, 1.0)) if defenders else 0.6
            )
            self.overruns_today += overruns(res.odds, cp)
            if defender_breaks(res.defender_daily_fraction, cum, morale, cp, res.odds) or (
                sum(f.strength for f in defenders) + self.garrison[target] < 1.0
            ):
                for f in defenders:
                    self._withdraw(f)
                self.garrison[target] = 0.0  # local defenders melt away
                self._capture(target, att_fac, [f for f in attackers if f.alive])
            else:
                a_cum = sum(f.engagement_loss * f.strength for f in attackers) / max(a_str.sum(), 1.0)
                a_mor = sum(f.morale * f.strength for f in attackers) / max(a_str.sum(), 1.0)
                if attacker_halts(a_cum, a_mor, cp):
                    for f in attackers:
                        f.posture, f.target = Posture.RECOVER, None
                        f.recover_days = RECOVER_DAYS
                        f.engagement_loss = 0.0

    def _phase_occupation(self) -> None:
        """An enemy-held settlement that nobody defends passes without a fight to a unit standing next to
        it: no unit of its holder's side is there (resting or posted units included) and its local
        defenders or garrison number fewer than ``combat.occupy_below`` men. The occupier stays where it
        is and sends ``combat.garrison`` men (at most a tenth of its strength) to hold the place
        (``_capture`` without moving in).

        Why: local defenders are raised from, and leave with, the people present (``_phase_recovery``),
        so a village emptied by bombardment is held by no one; before this phase it stayed with the
        opposition until some order chose to assault it, and orders aim at their highway and objective.
        Kafr Battikh, taken "with" Tell Mardikh on 30 Jan (seed [000]), kept its opposition flag, with no
        man in it from 11 Feb, beside government divisions at Khan al-Subul and Tell Mardikh until the
        end of the run (seed 1000). An army that passes an empty village occupies it.

        Deterministic: settlements and units are taken in id order; a side keeping a ceasefire, in
        weather that stops ground attacks (``can_attack``), or deterred from a settlement by a Turkish
        post does not occupy; a settlement passes at most once a day.
        """
        cp = self.params.combat
        self.occupations_today = 0
        if cp.occupy_below <= 0.0:
            return
        t = self.theatre
        changed = np.zeros(t.n, dtype=bool)
        for fac in self.factions:
            if fac.kind is not FactionKind.BELLIGERENT or not fac.active or not self.can_attack[fac.fid]:
                continue
            units = sorted(
                (
                    f
                    for f in self.formations_of(fac.fid)
                    if f.alive
                    and f.posture in (Posture.HOLD, Posture.ATTACK)
                    and f.role is not Role.POST
                    and not f.redeploying
                    and not f.encircled
                    and self.controller[f.node] in fac.friendly_codes()
                ),
                key=lambda f: f.unique_id,
            )
            for node in np.flatnonzero(self.enemy_mask(fac) & ~changed):
                node = int(node)
                if self.garrison[node] >= cp.occupy_below or self.deterred(fac, node):
                    continue
                holders = self.factions[int(self.controller[node])].friendly_codes()
                if any(
                    isinstance(a, Formation) and a.alive and self.faction_by_id[a.faction].code in holders
                    for a in self.space[node].agents
                ):
                    continue
                occupier = next((f for f in units if t.adjacency[f.node, node]), None)
                if occupier is None:
                    continue
                self._capture(node, fac, [occupier], move_in=False)
                changed[node] = True
                self.occupations_today += 1

    def _apply_losses(self, units: list[Formation], losses: np.ndarray, engagement: bool = False) -> None:
        """Take losses from units; record the day's loss fractions (for morale) and the dead per faction."""
        for f, men in zip(units, losses, strict=True):
            before = f.strength
            m = f.lose(float(men))
            frac = m / max(before, 1.0)
            if engagement:
                f.engagement_loss += frac
            self.loss_today[f.unique_id] += frac
            self.killed_by_faction[f.faction] += m

    def _leave_holding_force(self, f: Formation, node: int) -> None:
        """A unit moving on from a settlement its side took in the last ``counterattack_days`` leaves men
        behind to hold it: enough to bring the defence there up to the adjacent enemy power over
        ``attack_ratio`` (the bar the defensive planner reinforces to), at most ``hold_share`` of its
        strength. The men join the settlement's garrison (and return in ``_release_garrisons``).

        Why: with only the clearing party of ``combat.garrison`` men left in a town once its assault units
        moved on, the opposition retook a median three of the government's gains a run before 20 Feb
        (Hish in 9 runs of 16, Khan al-Subul in 7, Ma'arrat al-Nu'man in 3), where the seeds record none
        retaken between January and the counter-offensive of 20 Feb. Each gain held costs the advance
        men, as it does an army that garrisons what it takes.
        """
        cp = self.params.commander
        fac = self.faction_by_id[f.faction]
        if (
            cp.hold_share <= 0.0
            or not f.alive
            or fac.kind is not FactionKind.BELLIGERENT
            or f.role is Role.POST
            or self.controller[node] != fac.code
            or self.day - self.last_capture_day[node] > cp.counterattack_days
        ):
            return
        need = self.threat(fac)[node] / cp.attack_ratio - self.defence_estimate(node)
        if need <= 0.0:
            return
        per_man = self.garrison_quality(node) * GARRISON_FIRE * self.protection(node)
        men = min(cp.hold_share * f.strength, need / per_man)
        f.strength -= men
        self.garrison[node] += men
        self.held_back[node] += men

    def stand_down(self, f: Formation) -> None:
        """An assault unit whose order is done steps back from the front to rest: it leaves a holding
        detachment on a recent gain (``_leave_holding_force``) and moves to the friendly neighbour
        farthest from the enemy, resting there (``RECOVER``) for ``RECOVER_DAYS``. A unit already out of
        contact holds where it is."""
        if f.posture is Posture.POST:
            return
        fac = self.faction_by_id[f.faction]
        in_contact = self.enemy_neighbours(fac, f.node) > 0
        back = self.safest_neighbour(fac, f.node) if in_contact else None
        if back is None:
            f.posture, f.target, f.destination = Posture.HOLD, None, None
            return
        node = f.node
        f.move_to_node(back)  # first: the detachment is sized to the defence left without the unit
        self._leave_holding_force(f, node)
        f.posture, f.target, f.destination = Posture.RECOVER, None, None
        f.recover_days = RECOVER_DAYS

    def _withdraw(self, f: Formation) -> None:
        fac = self.faction_by_id[f.faction]
        back = self.safest_neighbour(fac, f.node)
        if back is None:  # encircled: break out toward the nearest friendly settlement, at a price
            friendly = self.friendly_mask(fac)
            friendly[f.node] = False
            if friendly.any():
                d = self.theatre.road_km[f.node].copy()
                d[~friendly] = np.inf
                back = int(np.argmin(d))
                lost = f.lose(0.4 * f.strength)
                self.killed_by_faction[f.faction] += lost
            else:
                lost = f.lose(f.strength)
                self.killed_by_faction[f.faction] += lost
                return
        f.move_to_node(back)
        f.posture, f.target, f.destination = Posture.RECOVER, None, None
        f.recover_days = RECOVER_DAYS
        f.engagement_loss = 0.0

    def _capture(self, node: int, fac: Faction, attackers: list[Formation], move_in: bool = True) -> None:
        """``fac`` takes ``node``: the attackers leave ``combat.garrison`` men (at most a tenth of their
        strength) to hold it and the gain counts for their orders; with ``move_in`` they also move in and
        consolidate (an assault), without it they stay where they are (an occupation)."""
        old = self.factions[int(self.controller[node])]
        # non-fighting formations of the loser's side that are still here (RECOVER) pull out too
        for f in list(self.space[node].agents):
            if isinstance(f, Formation) and f.faction != fac.fid and f.posture is Posture.RECOVER:
                self._withdraw(f)
        self.previous_controller[node] = self.controller[node]
        self.controller[node] = fac.code
        self.held_back[node] = 0.0  # the loser's detachment fell with the settlement
        self.control_version += 1
        self.days_held[node] = 0
        self.last_capture_day[node] = self.day
        self.last_fight_day[node] = self.day
        detach = self.params.combat.garrison
        total = sum(f.strength for f in attackers)
        if total > 0:
            for f in attackers:
                share = detach * f.strength / total
                f.strength -= min(share, 0.1 * f.strength)
        self.garrison[node] = min(detach, 0.1 * total) if total > 0 else 0.0
        for idx in sorted({f.order_index for f in attackers if f.order_index is not None}):
            self.order_gains.setdefault(idx, []).append(node)
        if move_in:
            for f in attackers:
                here = f.node
                f.move_to_node(node)
                if here != node:
                    self._leave_holding_force(f, here)
                f.posture, f.target = Posture.HOLD, None
                f.engagement_loss = 0.0
                f.pause_days = self.params.commander.consolidation_days
                self.victory_today[f.unique_id] += 1.0
        row = {
            "date": self.date.isoformat(),
            "settlement": self.theatre.names[node],
            "from_controller": old.fid,
            "to_controller": fac.fid,
        }
        self.captures.append(row)
        self.datacollector.add_table_row("captures", row)

    # ---------------------------------------------------------------- 7. Turkey

    def _phase_turkey(self) -> None:
        if "turkey" not in self.faction_by_id:
            return
        tk = self.faction_by_id["turkey"]
        tp = self.params.turkey
        gov_ids = tk.enemies
        attacked = np.zeros(self.theatre.n, dtype=bool)
        for f in self.formations:
            if f.faction in gov_ids and f.posture is Posture.ATTACK and f.target is not None:
                attacked[f.target] = True
        hostile_fire = sum((self.strikes_by[e] for e in gov_ids), np.zeros(self.theatre.n))
        mine = [f for f in self.formations_of("turkey") if f.alive]
        if mine:
            exposure = np.array(
                [
                    (hostile_fire[f.node] + 3.0 * attacked[f.node])
                    * (tp.astana_post_exposure if f.astana_post else 1.0)
                    for f in mine
                ]
            )
            prob = incident_probability(exposure, tp.incident_rate)
            hit = self.rng.random(len(mine)) < prob
            for f, h in zip(mine, hit, strict=True):
                if h:
                    deaths = f.lose(float(self.rng.poisson(tp.deaths_per_incident)))
                    tk.deaths_suffered += deaths
                    self.killed_by_faction["turkey"] += deaths
                    if tk.kind is not FactionKind.PASSIVE:
                        tk.retaliation_due += tp.retaliation_per_death * deaths
        strikes = 0.0
        if tk.retaliation_due > 0:
            fire = min(tk.retaliation_due, 20.0)
            tk.retaliation_due -= fire
            strikes += fire
        for _, ev in self.timeline.interventions(self.day):
            if self.faction_by_id[ev.faction].intervening and ev.faction == "turkey":
                strikes += ev.strikes_per_day
        for enemy in gov_ids:
            targets = front_targets(self, enemy)
            before = {f.unique_id: f.strength for f in targets}
            killed = strike_formations(self.rng, targets, strikes / max(1, len(gov_ids)), tp)
            self.killed_by_faction[enemy] += killed
            for f in targets:
                if before[f.unique_id] > 0:
                    self.loss_today[f.unique_id] += (before[f.unique_id] - f.strength) / before[f.unique_id]

    # ---------------------------------------------------------------- 8. recovery

    def _phase_recovery(self) -> None:
        cp = self.params.combat
        sp = self.params.supply
        alive = [f for f in self.formations if f.alive]
        if alive:
            conn_by_fac = {fac.fid: self._connected(fac) for fac in self.factions}
            nodes = np.array([f.node for f in alive])
            conn = np.array([conn_by_fac[f.faction][f.node] for f in alive])
            supply = update_supply(np.array([f.supply for f in alive]), conn, sp.resupply, sp.decay)
            strikes_on = np.array(
                [
                    sum(self.strikes_by[e][f.node] for e in self.faction_by_id[f.faction].enemies)
                    for f in alive
                ]
            )
            # flank threat weighs only on defenders of settlements under attack today
            under_attack = np.zeros(self.theatre.n, dtype=bool)
            for f in self.formations:
                if f.posture is Posture.ATTACK and f.target is not None:
                    under_attack[f.target] = True
            engaged = np.array([f.posture is Posture.HOLD and under_attack[f.node] for f in alive])
            enemy_nb = np.array([self.enemy_neighbours(self.faction_by_id[f.faction], f.node) for f in alive])
            enemy_nb = np.where(engaged, enemy_nb, 0)
            morale = update_morale(
                np.array([f.morale for f in alive]),
                np.array([f.cohesion for f in alive]),
                np.array([self.loss_today.get(f.unique_id, 0.0) for f in alive]),
                strikes_on,
                supply,
                ~conn,
                enemy_nb,
                np.array([self.victory_today.get(f.unique_id, 0.0) for f in alive]),
                self.params.morale,
                resting=np.array([f.posture is Posture.RECOVER for f in alive]),
            )
            for f, s, m, c in zip(alive, supply, morale, conn, strict=True):
                f.supply, f.morale, f.encircled = float(s), float(m), not bool(c)
                f.days_in_place += 1
            del nodes
        # replacements: political support x daily rate, to units below their initial strength
        for fac in self.factions:
            rate = fac.spec.replacements_per_day * fac.support
            short, deficit = self._short_of_men(fac)
            if rate > 0 and deficit > 0:
                _spread_men(short, deficit, rate)
        # local defenders regather from the people present where the opposition holds and no fight is on
        self._release_garrisons()
        opp = self._code("opposition")
        if opp >= 0:
            present = self.civilians.present() if self.civilians is not None else self.theatre.population
            target = np.minimum(cp.militia_cap, cp.militia_per_capita * present)
            quiet = np.ones(self.theatre.n, dtype=bool)
            for f in self.formations:
                if f.posture is Posture.ATTACK and f.target is not None:
                    quiet[f.target] = False
            enveloped = self.enveloped(self.factions[opp])
            regather = (self.controller == opp) & quiet & ~enveloped
            self.garrison[regather] += 0.2 * (target[regather] - self.garrison[regather])
            # local defenders of an enveloped settlement with no formation left to hold it slip away
            # rather than be surrounded (seed [000]: rebels "fled west to avoid being encircled")
            held_by_units = np.zeros(self.theatre.n, dtype=bool)
            for f in self.formations:
                if f.faction == "opposition" and self.fights(f):
                    held_by_units[f.node] = True
            leave = enveloped & ~held_by_units
            self.garrison[leave] *= 1.0 - cp.militia_flight
        self.days_held += 1

    def _release_garrisons(self) -> None:
        """Holding detachments (``_leave_holding_force``, tracked in ``held_back``) rejoin their side's
        under-strength units, as replacements do (by deficit), once no enemy unit stands within two road
        links of the settlement; the ordinary garrison or local defenders stay. Why: a detachment guards a
        gain against counter-attack; far behind the front it is men the offensive needs."""
        # a garrison's losses fall on its ordinary men first; the detachment shrinks once they are gone
        self.held_back = np.minimum(self.held_back, self.garrison)
        for fac in self.factions:
            detached = np.where(self.controller == fac.code, self.held_back, 0.0)
            if fac.kind is not FactionKind.BELLIGERENT or not (detached > 0.5).any():
                continue
            short, deficit = self._short_of_men(fac)
            if not short:
                continue
            free = (detached > 0.5) & (self.threat(fac, hops=2) <= 0.0)
            men = float(detached[free].sum())
            if men <= 0.0:
                continue
            men = min(men, deficit)
            back = detached[free] * (men / float(detached[free].sum()))
            self.garrison[free] -= back
            self.held_back[free] -= back
            _spread_men(short, deficit, men)

    def _short_of_men(self, fac: Faction) -> tuple[list[Formation], float]:
        """``fac``'s units below their initial strength (posts excepted) and the men they lack together."""
        short = [
            f
            for f in self.formations_of(fac.fid)
            if f.alive and f.strength < f.initial_strength and f.role is not Role.POST
        ]
        return short, sum(f.initial_strength - f.strength for f in short)

    # ---------------------------------------------------------------- 9. civilians

    def _phase_civilians(self) -> None:
        if self.civilians is None:
            return
        hostile = ~np.isin(self.controller, self.safe_codes)
        if self.scenario.civilians.enter_government_areas:
            hostile = np.zeros_like(hostile)
        recent = (self.day - self.last_capture_day <= 3) & ~np.isin(self.controller, self.safe_codes)
        fighting = self.day - self.last_fight_day <= 2
        cf_days = self.timeline.ceasefire_days_held(self.day)
        inputs = DayInputs(
            strikes=self.strikes,
            hostile=hostile,
            km_to_fighting=self.km_to(fighting),
            km_to_recent_capture=self.km_to(recent),
            returns_allowed=self.ceasefire_active and cf_days >= self.params.civilians.return_after_days,
        )
        self.civilians.step(inputs, self.day)

    # ---------------------------------------------------------------- 10. record

    def _record(self) -> None:
        self.daily.append(daily_record(self))
        if self.civilians is not None:
            self.present_history.append(self.civilians.present())
            self.displaced_history.append(self.civilians.displaced_present())
        self.controller_history.append(self.controller.copy())
        self.strikes_history.append(self.strikes.copy())
        self.corridor_history.append(self.corridor & self.ceasefire_active)
        self.posts_history.append(
            [(f.node, f.encircled) for f in self.formations if f.role is Role.POST and f.alive]
        )

    def run(self, progress: Any = None) -> None:
        while self.running:
            self.step()
            if progress is not None:
                progress.update(1)


def _spread_men(short: list[Formation], deficit: float, men: float) -> None:
    """Add ``men`` to under-strength units in proportion to what each lacks of ``deficit`` (their total)."""
    for f in short:
        f.strength += men * (f.initial_strength - f.strength) / deficit
