"""Parameters of the fighting: combat (Lanchester attrition, Dupuy multipliers, breakpoints, garrisons
and local defenders) and morale."""

from __future__ import annotations

from pydantic import Field

from sim.inputs.fields import (
    CEV,
    Days,
    Fraction,
    Frontage,
    KmOrOff,
    Men,
    Multiplier,
    Odds,
    PositiveFraction,
    Shape,
    Strict,
    Weight,
)


class CombatParams(Strict):
    """Daily stochastic Lanchester (square-law) attrition with Dupuy multipliers and breakpoints."""

    kill_rate: PositiveFraction = Field(
        0.02,
        description="Casualties per day per unit of enemy effective fire power "
        "(men-equivalents) before protection; Dupuy: 1-3 %/day at parity.",
    )
    dispersion_k: Shape = Field(
        3.0,
        description="Shape of the Gamma(k, 1/k) daily combat intensity; small "
        "k gives fat-tailed daily losses.",
    )
    defender_break_loss: Fraction = Field(
        0.2,
        description="Cumulative engagement loss at which a defender "
        "withdraws (Helmbold 1971: winning defenders lose <=20 %).",
    )
    attacker_halt_loss: Fraction = Field(
        0.3, description="Cumulative engagement loss at which an attacker calls off the attack."
    )
    withdraw_attrition: Fraction = Field(
        0.06,
        description="Epstein ADM threshold: a defender whose daily loss "
        "fraction exceeds this trades space for time and withdraws.",
    )
    morale_break: Fraction = Field(0.3, description="Morale below which a defender withdraws.")
    overrun_ratio: Odds = Field(
        0.0,
        description="Odds (attacking power over defending power x protection, the day's ratio) at or above "
        "which a defence gives way within the day, whatever its losses; 0: off (defences break only on "
        "losses and morale).",
    )
    air_support: Weight = Field(
        0.03,
        description="Attacker combat power multiplier per close-air-support "
        "sortie at the target: power x (1 + air_support x sorties).",
    )
    air_kills_per_sortie: Weight = Field(
        0.4, description="Fighters killed per sortie that hits a node holding enemy formations."
    )
    militia_per_capita: Fraction = Field(
        0.008,
        description="Local defenders per resident of an "
        "opposition-held settlement (village volunteers, seed [002]).",
    )
    militia_cap: Men = Field(1500.0, description="Upper bound on local defenders per settlement.")
    militia_quality: CEV = Field(0.5, description="Combat effectiveness of local defenders.")
    garrison_fire: Multiplier = Field(
        0.6,
        description="Fire power of a garrison or local defender as a share of a formation soldier's at equal "
        "quality: riflemen in buildings, without a unit's heavy weapons and organisation.",
    )
    front_garrison: Men = Field(
        0.0,
        description="Men holding each settlement of the local-defence side within front_depth_km (road) of "
        "the enemy on the first day, whatever its residents: the fortified positions of a front that had "
        "stood for years. Local defenders there regather to at least this many; 0 turns it off.",
    )
    front_depth_km: KmOrOff = Field(
        0.0, description="Depth (road km from the first day's enemy-held settlements) of the fortified front."
    )
    militia_regather: Fraction = Field(
        0.2,
        description="Daily share of the gap to their full number (militia_per_capita x the people present) "
        "that local defenders regain where no fight is on: volunteers return as the fighting moves away.",
    )
    militia_flight: Fraction = Field(
        0.5,
        description="Daily share of the local defenders who leave an enveloped settlement that no "
        "formation holds (commander.envelopment_share of its neighbours enemy-held).",
    )
    garrison: Men = Field(
        150.0,
        description="Men a faction leaves to hold a settlement it captures "
        "(taken from the capturing formations), and the garrison of settlements "
        "held by the government or Turkish-backed forces at the start.",
    )
    garrison_quality: CEV = Field(0.8, description="Combat effectiveness of garrisons.")
    garrison_max_share: Fraction = Field(
        0.1,
        description="Most of the capturing units' strength that stays behind as the garrison of a "
        "settlement taken: a clearing party, not a second army.",
    )
    garrison_morale: Fraction = Field(
        0.6,
        description="Morale of a settlement held by its garrison or local defenders alone, for the "
        "breakpoint test (formations carry their own).",
    )
    garrison_air_exposure: Weight = Field(
        0.3,
        description="Share of air_kills_per_sortie that a strike kills among a settlement's garrison or "
        "local defenders: dispersed men in buildings, not a unit massed to attack or defend.",
    )
    posture_hasty: Multiplier = Field(1.3, description="Dupuy defender multiplier, hasty defence.")
    posture_prepared: Multiplier = Field(1.5, description="Dupuy defender multiplier, prepared defence.")
    entrench_days: Days = Field(
        3, description="Days a defender must hold a node before its defence counts as prepared."
    )
    initial_days_held: Days = Field(
        30,
        description="Days every settlement counts as held on the first day: the lines of 1 December 2019 had "
        "stood since the summer offensive, so their defences are prepared (at least entrench_days).",
    )
    terrain_open: Multiplier = 1.0
    terrain_plain: Multiplier = 1.05
    terrain_urban: Multiplier = Field(1.3, description="Defender multiplier in towns over 40,000 people.")
    terrain_hills: Multiplier = Field(1.45, description="Defender multiplier in the Jabal al-Zawiya hills.")
    terrain_mountain: Multiplier = Field(1.6, description="Defender multiplier in the Latakia mountains.")
    frontage_base: Frontage = Field(
        1500.0,
        description="Men who can defend a settlement at once: "
        "base + per_capita x population (force-to-space limit); more adds nothing.",
    )
    frontage_per_capita: Fraction = Field(0.02, description="Extra defending frontage per resident.")
    unsupplied_power: Fraction = Field(
        0.4, description="Combat power of a formation with no supply, as a share of its supplied power."
    )
    breakout_loss: Fraction = Field(
        0.4,
        description="Share of its strength an encircled unit loses when it breaks out toward the nearest "
        "settlement its side holds, after its defence gave way.",
    )
    occupy_below: Men = Field(
        0.0,
        description="Men under arms (local defenders or garrison) below which a settlement that no unit of "
        "its holder stands in passes without a fight to an enemy unit next to it, which leaves "
        "combat.garrison men there; 0: off (an emptied settlement stays with its holder until assaulted).",
    )
    occupy_corridor_km: KmOrOff = Field(
        0.0,
        description="Only settlements of an order's axis pass by occupation: within this many road km of "
        "the axis's nearest frontier settlement to its target of progress (measured to that target), to "
        "that order's units; 0: any settlement next to a unit of an order in force.",
    )
    raid_surprise: Multiplier = Field(
        2.0,
        description="Attacker power multiplier on the day of a raid (surprise, SVBIEDs and inghimasi "
        "assault groups, seed [000]); raids are commander.raid_rate decisions.",
    )


class MoraleParams(Strict):
    """dM/dt = -kappa*loss - mu*(1-supply) - nu*encircled - beta*bombardment - flank + r*(cohesion - M)."""

    loss_sensitivity: Weight = Field(2.0, description="Morale lost per unit of daily fractional loss.")
    bombardment: Weight = Field(0.002, description="Morale lost per sortie that hits the formation's node.")
    unsupplied: Weight = Field(0.03, description="Morale lost per day at zero supply.")
    encircled: Weight = Field(0.06, description="Morale lost per day while encircled.")
    flank_threat: Weight = Field(
        0.04,
        description="Morale lost per day per extra enemy-held neighbour "
        "beyond the first, by defenders of a settlement under attack (threat of "
        "encirclement).",
    )
    recovery: Fraction = Field(
        0.05, description="Daily relaxation rate toward the formation's cohesion, for a unit in the line."
    )
    rest_recovery: Fraction = Field(
        0.15,
        description="Daily relaxation rate toward cohesion of a unit out of the line (posture recover): "
        "withdrawn, resupplied and reorganised, it regains morale faster than a unit holding the front.",
    )
    victory: Weight = Field(0.03, description="Morale gained by an attacker on capturing a settlement.")
