"""The battlefield: who holds each settlement, who stands where, and the questions commanders ask of it.

One object holds the ground's state — the controller of every settlement (as faction codes), how long it has
been held, when it last changed hands or was fought over, and the men holding it outside formations (the
local defenders or garrison, and of them the detachments left by passing units) — together with the
queries the commanders, the combat and the air planner read each day: frontiers, enemy threat, defence
estimates, supply connection, envelopment, road distances over friendly ground.

Why an object apart from the model: a commander's plan is a reading of the battlefield, not of the whole
simulation; keeping the ground and its queries in one place lets the planners and the phases share one
picture (cached per change of control) without each reaching back into the model.

Everything here reads the state; it never draws random numbers. Changes of control happen in ``holding``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from mesa.discrete_space import Network

from sim.inputs.forces import FactionKind, Role
from sim.inputs.geography import Theatre
from sim.inputs.parameters import Parameters
from sim.inputs.roads import MaskMemo, ShortestPaths
from sim.wargame.agents import Faction, Formation, Posture
from sim.wargame.rules.combat import frontage_factor, posture_multiplier, terrain_multiplier
from sim.wargame.rules.supply import road_components, supplied


class Battlefield:
    """The state of the ground and the shared queries. Built once per run by ``IdlibModel``."""

    def __init__(
        self,
        theatre: Theatre,
        params: Parameters,
        factions: list[Faction],
        formations: list[Formation],
        space: Network,
        controller: np.ndarray,
        local_defence: str | None,
    ) -> None:
        self.theatre = theatre
        self.params = params
        self.factions = factions
        self.faction_by_id = {f.fid: f for f in factions}
        self.formations = formations  # the model's list: formations added later appear here too
        self.space = space
        n = theatre.n
        cp = params.combat
        self.controller = controller
        self.initial_controller = controller.copy()  # control on the first day (for communities_changed)
        self.control_version = 0  # bumped at every change of control: the caches below key on it
        self._cache: dict[tuple, Any] = {}
        self._km_to = MaskMemo(theatre.km_to)
        self._components = MaskMemo(lambda ok: road_components(theatre.edges, ok, theatre.road_graph))
        self._against: dict[tuple, list[Formation]] = {}  # (faction, formations) -> its enemies' formations
        # for ``defence_all``, fixed for the run: lut[holder code, unit's faction code] (the unit defends
        # what its side holds), and each settlement's terrain multiplier
        self._holder_lut = np.zeros((len(factions), len(factions)), dtype=bool)
        for fac in factions:
            self._holder_lut[fac.code, fac.friendly_codes()] = True
        self._terrain_factor = np.array(
            [cp.terrain_open, cp.terrain_plain, cp.terrain_urban, cp.terrain_hills, cp.terrain_mountain]
        )[theatre.terrain]
        self.days_held = np.full(n, cp.initial_days_held, dtype=np.int32)
        self.last_capture_day = np.full(n, -999, dtype=np.int32)
        self.previous_controller = controller.copy()
        self.last_fight_day = np.full(n, -999, dtype=np.int32)
        # the last day each faction assaulted each settlement (a counter-offensive surprises on the first)
        self.last_assault_day = {f.fid: np.full(n, -999, dtype=np.int32) for f in factions}
        # the faction whose settlements are held by local defenders raised from the residents
        self.local_defence_code = self.code(local_defence) if local_defence is not None else -1
        # men holding each settlement outside formations: local defenders where the local-defence faction
        # holds it, a garrison elsewhere
        self.garrison = np.where(
            self.controller == self.local_defence_code,
            np.minimum(cp.militia_cap, cp.militia_per_capita * theatre.population),
            cp.garrison,
        ).astype(float)
        # of them, men of the holder's units detached to hold a recent gain (``holding.leave_holding_force``):
        # they rejoin their units when the front moves away
        self.held_back = np.zeros(n)
        self.fortified = np.zeros(n)  # men of the first day's fortified front (``recovery.fortify_front``)

    # ------------------------------------------------------------------ sides and control

    def code(self, fid: str) -> int:
        """The controller code of faction ``fid`` (-1 if the scenario has no such faction)."""
        return self.faction_by_id[fid].code if fid in self.faction_by_id else -1

    def formations_of(self, fid: str) -> list[Formation]:
        return [f for f in self.formations if f.faction == fid]

    def friendly_mask(self, faction: Faction) -> np.ndarray:
        """The settlements ``faction``'s side holds (read-only, kept until control changes)."""
        return self._mask("friendly", faction)

    def enemy_mask(self, faction: Faction) -> np.ndarray:
        """The settlements ``faction``'s enemies hold (read-only, kept until control changes)."""
        return self._mask("enemy", faction)

    def _mask(self, which: str, faction: Faction) -> np.ndarray:
        """Why kept: the planners, the air planner and the supply lines ask for the same masks thousands
        of times a run, and control changes only with a capture (``control_version``)."""
        key = (which, faction.fid, self.control_version)
        found = self._cache.get(key)
        if found is None:
            lut = faction.friendly_lut() if which == "friendly" else faction.enemy_lut()
            found = self._cache[key] = lut[self.controller]
            found.flags.writeable = False
        return found

    def is_enemy_held(self, faction: Faction, node: int) -> bool:
        return bool(faction.enemy_lut()[self.controller[node]])

    def frontier(self, faction: Faction) -> np.ndarray:
        """Enemy-held settlements next to one the faction's side holds."""
        friendly = self.friendly_mask(faction).astype(float)
        return np.flatnonzero(self.enemy_mask(faction) & (self.theatre.reach1 @ friendly > 0))

    def recently_lost(self, faction: Faction, node: int, day: int) -> bool:
        """Did ``faction``'s side hold ``node`` until a capture in the last ``counterattack_days`` days?"""
        return bool(faction.friendly_lut()[self.previous_controller[node]]) and (
            day - int(self.last_capture_day[node]) <= self.params.commander.counterattack_days
        )

    def recently_lost_mask(self, faction: Faction, day: int) -> np.ndarray:
        """``recently_lost`` for every settlement at once."""
        return faction.friendly_lut()[self.previous_controller] & (
            day - self.last_capture_day <= self.params.commander.counterattack_days
        )

    def deterred_mask(self, faction: Faction) -> np.ndarray:
        """Escalation rule: a faction does not assault a settlement where troops of a third party it is not
        at war with (Turkish task forces, for the government) stand beside its enemy. Observation posts do
        not deter (seed [002]: posts were bypassed and encircled); task forces of hundreds or more do."""
        out = np.zeros(self.theatre.n, dtype=bool)
        for f in self.formations:  # one pass over the units, not over each settlement's agents
            third = f.faction != faction.fid and f.faction not in faction.enemies
            if third and f.alive and f.role is not Role.POST:  # standing on ground its own side holds
                out[f.node] |= int(self.controller[f.node]) in self.faction_by_id[f.faction].friendly_codes()
        return out

    def enveloped(self, faction: Faction) -> np.ndarray:
        """Settlements of ``faction``'s side where at least ``envelopment_share`` of the road neighbours,
        and at least two, are enemy-held: the defenders' lines of retreat are closing."""
        cp = self.params.commander
        t = self.theatre
        enemy = faction.enemy_lut()[self.controller].astype(float)
        deg = t.degree
        n_enemy = t.reach1 @ enemy
        share = np.divide(n_enemy, deg, out=np.zeros(t.n), where=deg > 0)
        return self.friendly_mask(faction) & (n_enemy >= 2) & (share >= cp.envelopment_share)

    def connected(self, faction: Faction) -> np.ndarray:
        """Settlements joined to the faction's supply heads over friendly-held roads (cached until control
        changes); a formation elsewhere is encircled."""
        key = ("supply", faction.fid, self.control_version)
        if key not in self._cache:
            sources = faction.sources
            if faction.spec.border_supply:
                sources = np.concatenate([sources, np.flatnonzero(self.theatre.crossing)])
            passable = self.friendly_mask(faction)
            # components remembered by ground held: allies on the same ground, and a side untouched by the
            # day's captures, reuse them
            self._cache[key] = supplied(self._components(passable), passable, sources)
        return self._cache[key]

    def pockets(self, faction: Faction) -> np.ndarray:
        """Enemy-held settlements cut off from their holder's supply (encircled pockets behind the front)."""
        out = np.zeros(self.theatre.n, dtype=bool)
        for eid in faction.enemies:
            enemy = self.faction_by_id[eid]
            out |= (self.controller == enemy.code) & ~self.connected(enemy)
        return out

    def staging_nodes(self, faction: Faction, target: int) -> np.ndarray:
        """The friendly-held neighbours of ``target``: where an assault on it starts."""
        nb = self.theatre.neighbours[target]
        return nb[faction.friendly_lut()[self.controller[nb]]]

    def enemy_neighbours(self, faction: Faction, node: int) -> int:
        nb = self.theatre.neighbours[node]
        return int(faction.enemy_lut()[self.controller[nb]].sum())

    def open_objective_road(self, faction: Faction) -> str | None:
        """The first of the faction's objective roads (M5, then M4) that it does not yet fully hold."""
        for obj in faction.objectives:
            chain = self.theatre.highways.get(obj)
            if chain and not faction.friendly_lut()[self.controller[chain]].all():
                return obj
        return None

    # ------------------------------------------------------------------ distances

    def friendly_paths(self, faction: Faction) -> tuple[Any, Any]:
        """Road km and predecessors over friendly-held settlements, indexed like n x n arrays
        (``dist[i, j]``, ``pred[i, j]``); rows are computed when first asked for and cached until control
        changes (``ShortestPaths``)."""
        return (paths := self._friendly_paths(faction)).dist, paths.pred

    def friendly_km_from(self, faction: Faction, sources: list[int]) -> np.ndarray:
        """Road km over friendly-held settlements from the nearest of ``sources`` to every settlement: the
        minimum of their ``friendly_paths`` rows, in one search from all of them."""
        return self._friendly_paths(faction).nearest(sources)

    def _friendly_paths(self, faction: Faction) -> ShortestPaths:
        ok = self.friendly_mask(faction)
        # keyed by the ground the side holds, not the faction: allies holding the same ground share one
        key = ("paths", ok.tobytes(), self.control_version)
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[-1] == self.control_version}
            t, keep = self.theatre, ok[self.theatre.edges[:, 0]] & ok[self.theatre.edges[:, 1]]
            self._cache[key] = ShortestPaths(t.road_graph.csr(t.edge_km, keep))
        return self._cache[key]

    def km_to(self, mask: np.ndarray) -> np.ndarray:
        """Road km from every settlement to the nearest settlement in ``mask`` (inf if none), read-only:
        remembered for the last masks (``MaskMemo``)."""
        return self._km_to(mask)

    def km_to_enemy(self, faction: Faction) -> np.ndarray:
        """Road km from every settlement to the nearest enemy-held one (cached until control changes)."""
        key = ("enemy_km", faction.fid, self.control_version)
        if key not in self._cache:
            self._cache[key] = self.km_to(self.enemy_mask(faction))
        return self._cache[key]

    def safest_neighbour(self, faction: Faction, node: int, avoid: np.ndarray | None = None) -> int | None:
        """The friendly neighbour farthest (road km) from the enemy, skipping settlements in ``avoid``."""
        nb = self.staging_nodes(faction, node)
        if avoid is not None:
            nb = nb[~avoid[nb]]
        if nb.size == 0:
            return None
        d = self.km_to_enemy(faction)
        return int(nb[np.argmax(d[nb])])

    def nearest_friendly(self, faction: Faction, node: int, exclude_self: bool = False) -> int | None:
        """The settlement of ``faction``'s side nearest to ``node`` by road (``node`` itself if friendly and
        not excluded); None if the side holds none."""
        friendly = self.friendly_mask(faction).copy()
        if exclude_self:
            friendly[node] = False
        elif friendly[node]:
            return node
        if not friendly.any():
            return None
        d = self.theatre.road_km[node].copy()
        d[~friendly] = np.inf
        return int(np.argmin(d))

    # ------------------------------------------------------------------ forces and defences

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
        defends = self._holder_lut[self.controller[node]]  # by faction code: on the holder's side
        return [
            a
            for a in self.space[node].agents
            if isinstance(a, Formation) and defends[self.faction_by_id[a.faction].code] and self.fights(a)
        ]

    def protection(self, node: int) -> float:
        cp = self.params.combat
        return posture_multiplier(int(self.days_held[node]), cp) * terrain_multiplier(
            int(self.theatre.terrain[node]), cp
        )

    def garrison_quality(self, node: int) -> float:
        """Quality of the men holding ``node`` outside formations: local defenders or a garrison."""
        cp = self.params.combat
        return cp.militia_quality if self.controller[node] == self.local_defence_code else cp.garrison_quality

    def garrison_power(self, node: int) -> float:
        return float(self.garrison[node]) * self.garrison_quality(node) * self.params.combat.garrison_fire

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
        lut = self._holder_lut
        for f in self.formations:
            if self.fights(f) and lut[self.controller[f.node], self.faction_by_id[f.faction].code]:
                power[f.node] += self.power(f)
                men[f.node] += f.strength
        local = self.controller == self.local_defence_code
        quality = np.where(local, cp.militia_quality, cp.garrison_quality)
        power += self.garrison * quality * cp.garrison_fire
        frontage = cp.frontage_base + cp.frontage_per_capita * t.population
        phi = np.where(men > frontage, frontage / np.maximum(men, 1.0), 1.0)
        posture = np.where(self.days_held >= cp.entrench_days, cp.posture_prepared, cp.posture_hasty)
        return power * phi * posture * self._terrain_factor

    def men_at(self, node: int) -> float:
        return sum(f.strength for f in self.defenders_at(node)) + float(self.garrison[node])

    def expected_cas(self, faction: Faction) -> float:
        """Close-air-support sorties the faction can expect to fly today."""
        return faction.sorties_today * self.params.air.front_share

    def air_cover(self, node: int) -> float:
        """How much the holder's close air support would multiply the defence of ``node`` today (1 for a
        holder without an air force). Counter-attacks and raids weigh it, as the offensive planner weighs
        its own expected air support: an attack into the enemy's air cover needs more men."""
        holder = self.factions[int(self.controller[node])]
        return 1.0 + self.params.combat.air_support * self.expected_cas(holder)

    def threat(self, faction: Faction, hops: int = 1) -> np.ndarray:
        """Enemy ground power within ``hops`` road links of each friendly settlement (0 elsewhere)."""
        if hops not in (1, 2):
            raise ValueError(f"threat: hops must be 1 or 2, not {hops}")
        return self._spread(faction, self._enemy_power(faction), hops)

    def threats(self, faction: Faction) -> tuple[np.ndarray, np.ndarray]:
        """``threat(faction)`` and ``threat(faction, hops=2)`` from one pass over the formations (the
        defensive planner asks for both, one after the other)."""
        ep = self._enemy_power(faction)
        return self._spread(faction, ep, 1), self._spread(faction, ep, 2)

    def _enemy_power(self, faction: Faction) -> np.ndarray:
        """Power of the enemy formations that fight today, summed at each settlement."""
        ep = np.zeros(self.theatre.n)
        for f in self._formations_against(faction):
            if self.fights(f):
                ep[f.node] += self.power(f)
        return ep

    def _spread(self, faction: Faction, ep: np.ndarray, hops: int) -> np.ndarray:
        reach = self.theatre.reach1 if hops == 1 else self.theatre.reach2
        threat = reach @ ep
        return np.where(self.friendly_mask(faction), threat, 0.0)

    def _formations_against(self, faction: Faction) -> list[Formation]:
        """The formations of ``faction``'s enemies, in the model's order. Kept until a formation is added
        (the list only grows, and a formation never changes sides): the threat is asked for several times
        a day and most formations are not the enemy's."""
        key = (faction.fid, tuple(faction.enemies), len(self.formations))
        found = self._against.get(key)
        if found is None:
            found = self._against[key] = [f for f in self.formations if f.faction in faction.enemies]
        return found

    def under_attack(self, by: list[str] | None = None) -> np.ndarray:
        """Settlements that formations (of the factions ``by``, default all) are ordered to attack today."""
        out = np.zeros(self.theatre.n, dtype=bool)
        for f in self.formations:
            if f.posture is Posture.ATTACK and f.target is not None and (by is None or f.faction in by):
                out[f.target] = True
        return out

    def attacked_nodes(self, faction: Faction) -> np.ndarray:
        """The faction's side's settlements that its enemies attack today."""
        return self.under_attack(faction.enemies) & self.friendly_mask(faction)

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
