"""Mechanism parameters: one place for every number that calibration may fit.

Scenario files carry a ``parameters:`` section (and ``parameters_file:``, by default the committed fit in
``calibration/fitted_parameters.yaml``) that override these defaults. Defaults are prior centres taken from
the combat-modelling literature (Dupuy's posture and terrain multipliers, Helmbold's breakpoints, Epstein's
withdrawal threshold) or, where the literature is silent, chosen by hand and marked as such. Each group is a
small model so that ``--set parameters.combat.kill_rate=0.03`` works and typos are rejected.
"""

from __future__ import annotations

from pydantic import Field

from sim.inputs.fields import Fraction, NonNegative, Positive, Strict


class CombatParams(Strict):
    """Daily stochastic Lanchester (square-law) attrition with Dupuy multipliers and breakpoints."""

    kill_rate: Positive = Field(
        0.02,
        description="Casualties per day per unit of enemy effective fire power "
        "(men-equivalents) before protection; Dupuy: 1-3 %/day at parity.",
    )
    dispersion_k: Positive = Field(
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
    overrun_ratio: NonNegative = Field(
        0.0,
        description="Odds (attacking power over defending power x protection, the day's ratio) at or above "
        "which a defence gives way within the day, whatever its losses; 0: off (defences break only on "
        "losses and morale).",
    )
    air_support: NonNegative = Field(
        0.03,
        description="Attacker combat power multiplier per close-air-support "
        "sortie at the target: power x (1 + air_support x sorties).",
    )
    air_kills_per_sortie: NonNegative = Field(
        0.4, description="Fighters killed per sortie that hits a node holding enemy formations."
    )
    militia_per_capita: NonNegative = Field(
        0.008,
        description="Local defenders per resident of an "
        "opposition-held settlement (village volunteers, seed [002]).",
    )
    militia_cap: NonNegative = Field(1500.0, description="Upper bound on local defenders per settlement.")
    militia_quality: Positive = Field(0.5, description="Combat effectiveness of local defenders.")
    garrison_fire: Positive = Field(
        0.6,
        description="Fire power of a garrison or local defender as a share of a formation soldier's at equal "
        "quality: riflemen in buildings, without a unit's heavy weapons and organisation.",
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
    garrison: NonNegative = Field(
        150.0,
        description="Men a faction leaves to hold a settlement it captures "
        "(taken from the capturing formations), and the garrison of settlements "
        "held by the government or Turkish-backed forces at the start.",
    )
    garrison_quality: Positive = Field(0.8, description="Combat effectiveness of garrisons.")
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
    garrison_air_exposure: NonNegative = Field(
        0.3,
        description="Share of air_kills_per_sortie that a strike kills among a settlement's garrison or "
        "local defenders: dispersed men in buildings, not a unit massed to attack or defend.",
    )
    posture_hasty: Positive = Field(1.3, description="Dupuy defender multiplier, hasty defence.")
    posture_prepared: Positive = Field(1.5, description="Dupuy defender multiplier, prepared defence.")
    entrench_days: int = Field(
        3, ge=0, description="Days a defender must hold a node before its defence counts as prepared."
    )
    initial_days_held: int = Field(
        30,
        ge=0,
        description="Days every settlement counts as held on the first day: the lines of 1 December 2019 had "
        "stood since the summer offensive, so their defences are prepared (at least entrench_days).",
    )
    terrain_open: Positive = 1.0
    terrain_plain: Positive = 1.05
    terrain_urban: Positive = Field(1.3, description="Defender multiplier in towns over 40,000 people.")
    terrain_hills: Positive = Field(1.45, description="Defender multiplier in the Jabal al-Zawiya hills.")
    terrain_mountain: Positive = Field(1.6, description="Defender multiplier in the Latakia mountains.")
    frontage_base: Positive = Field(
        1500.0,
        description="Men who can defend a settlement at once: "
        "base + per_capita x population (force-to-space limit); more adds nothing.",
    )
    frontage_per_capita: NonNegative = Field(0.02, description="Extra defending frontage per resident.")
    unsupplied_power: Fraction = Field(
        0.4, description="Combat power of a formation with no supply, as a share of its supplied power."
    )
    breakout_loss: Fraction = Field(
        0.4,
        description="Share of its strength an encircled unit loses when it breaks out toward the nearest "
        "settlement its side holds, after its defence gave way.",
    )
    occupy_below: NonNegative = Field(
        0.0,
        description="Men under arms (local defenders or garrison) below which a settlement that no unit of "
        "its holder stands in passes without a fight to an enemy unit next to it, which leaves "
        "combat.garrison men there; 0: off (an emptied settlement stays with its holder until assaulted).",
    )
    raid_surprise: Positive = Field(
        2.0,
        description="Attacker power multiplier on the day of a raid (surprise, SVBIEDs and inghimasi "
        "assault groups, seed [000]); raids are commander.raid_rate decisions.",
    )


class MoraleParams(Strict):
    """dM/dt = -kappa*loss - mu*(1-supply) - nu*encircled - beta*bombardment - flank + r*(cohesion - M)."""

    loss_sensitivity: NonNegative = Field(2.0, description="Morale lost per unit of daily fractional loss.")
    bombardment: NonNegative = Field(
        0.002, description="Morale lost per sortie that hits the formation's node."
    )
    unsupplied: NonNegative = Field(0.03, description="Morale lost per day at zero supply.")
    encircled: NonNegative = Field(0.06, description="Morale lost per day while encircled.")
    flank_threat: NonNegative = Field(
        0.04,
        description="Morale lost per day per extra enemy-held neighbour "
        "beyond the first, by defenders of a settlement under attack (threat of "
        "encirclement).",
    )
    recovery: NonNegative = Field(
        0.05, description="Daily relaxation rate toward the formation's cohesion, for a unit in the line."
    )
    rest_recovery: NonNegative = Field(
        0.15,
        description="Daily relaxation rate toward cohesion of a unit out of the line (posture recover): "
        "withdrawn, resupplied and reorganised, it regains morale faster than a unit holding the front.",
    )
    victory: NonNegative = Field(0.03, description="Morale gained by an attacker on capturing a settlement.")


class AirParams(Strict):
    """Split of sorties between the front and population centres; artillery along the front."""

    front_share: Fraction = Field(
        0.55,
        description="Share of sorties flown as close air support on "
        "settlements under ground attack; the rest strike towns behind the front.",
    )
    depth_km: Positive = Field(
        15.0, description="e-folding distance (road km from the front) of strikes on population centres."
    )
    population_exponent: NonNegative = Field(0.5, description="Strike weight grows as population**exponent.")
    axis_focus: NonNegative = Field(
        2.0,
        description="Extra weight of strikes in depth near the day's assaults and the active orders' "
        "objectives: weight x (1 + axis_focus x exp(-road km to them / depth_km)). The air campaign "
        "emptied the towns ahead of the ground offensive.",
    )
    max_strike_loss: Fraction = Field(
        0.5,
        description="Largest share of the formations at a settlement that one day's strikes there can kill "
        "or disable: units disperse and dig in under air attack.",
    )
    artillery_per_1000: NonNegative = Field(
        1.0,
        description="Strike-equivalents per day per 1,000 attacking troops adjacent to an enemy settlement.",
    )


class SupplyParams(Strict):
    """Supply flows along own-held roads from each faction's sources."""

    resupply: Fraction = Field(0.25, description="Daily recovery of supply toward 1 when connected.")
    decay: Fraction = Field(0.08, description="Daily loss of supply when cut off.")
    max_path_km: Positive = Field(
        120.0, description="Beyond this road distance from a source, supply recovers only partially."
    )


class CommanderParams(Strict):
    """Operational choices: which frontier settlements to attack, how to defend, when to withdraw."""

    attack_ratio: Positive = Field(1.3, description="Minimum estimated power ratio for an attack to start.")
    min_ground_factor: Fraction = Field(
        0.2,
        description="Weather (the day's ground factor) at or below which no ground attack starts: mud and "
        "storms stopped the offensive's pushes.",
    )
    ceasefire_violation_targets: int = Field(
        1,
        ge=0,
        description="Settlements an axis may attack on a day its faction breaks a ceasefire it is bound "
        "by: a violation is local, not a resumed offensive.",
    )
    defence_weight_km: NonNegative = Field(
        2.0,
        description="Penalty (km of progress) per 1,000 units of estimated defence power when an axis ranks "
        "its targets: of two settlements the weaker is attacked unless the other is much nearer the "
        "objective.",
    )
    max_targets: int = Field(3, ge=1, description="Settlements one axis attacks at once.")
    move_km_per_day: Positive = Field(40.0, description="Road march per day behind own lines.")
    axis_reach_km: Positive = Field(
        40.0,
        description="An order's targets must be within this road distance "
        "of its units: the axis moves with them.",
    )
    axis_corridor_km: Positive = Field(
        20.0, description="Frontier settlements farther than this from the front-objective line are off-axis."
    )
    counterattack_ratio: Positive = Field(
        2.5, description="Power ratio at which a defender counter-attacks a lost neighbouring settlement."
    )
    stand_down: bool = Field(
        False,
        description="Assault units whose order has reached its objective leave a holding detachment and "
        "step back from the front to rest, instead of sitting on the objective until the order ends.",
    )
    line_shift_km: Positive = Field(
        25.0,
        description="How far (road km) a line unit shifts to a threatened "
        "settlement; reserves and manoeuvre units go up to two days' march.",
    )
    reserve_march_days: int = Field(
        2,
        ge=0,
        description="Days of march (move_km_per_day each) that reserves and manoeuvre units go to reinforce "
        "an attacked settlement or to come back for a highway town just lost.",
    )
    rest_days: int = Field(
        3,
        ge=0,
        description="Days a unit that withdrew, called off an attack or stood down rests out of the line "
        "before it may be used again.",
    )
    return_margin: NonNegative = Field(
        0.15,
        description="A resting unit returns to the line only with morale above combat.morale_break plus this "
        "margin: a unit that barely holds together does not go back in.",
    )
    objective_road_km: NonNegative = Field(
        15.0,
        description="Bonus (km of progress) for a target on the "
        "order's road or the faction's first open objective road.",
    )
    persistence_km: NonNegative = Field(
        10.0,
        description="Bonus (km of progress) for pressing an attack "
        "already under way rather than switching targets.",
    )
    consolidation_days: int = Field(
        1,
        ge=0,
        description="Days a formation that has taken a settlement "
        "spends clearing and consolidating before it attacks again.",
    )
    envelopment_share: Fraction = Field(
        0.6,
        description="A defender leaves a settlement when this share of "
        "its neighbours (and at least two) is enemy-held: HTS 'withdrew "
        "rather than be encircled' (seed [000]).",
    )
    counterattack_days: int = Field(
        10,
        ge=0,
        description="How long after losing a settlement a local counter-attack may try to retake it.",
    )
    reserve_share: Fraction = Field(0.25, description="Share of the defender's formations held in reserve.")
    raid_rate: Fraction = Field(
        0.1,
        description="Daily probability that a ready unit of a raiding faction next to a settlement its "
        "side lost in the last counterattack_days raids it (HTS counter-attacks of 24 Dec, 11-24 Feb).",
    )
    hold_share: Fraction = Field(
        0.2,
        description="Most of its strength a unit leaves behind to hold a settlement its side took in the "
        "last counterattack_days when it moves on: the detachment brings the defence there up to the "
        "adjacent enemy power over attack_ratio, and rejoins once no enemy is within two road links.",
    )
    raid_ratio: Positive = Field(
        0.8,
        description="Least estimated power ratio (with raid_surprise) at which a raid is launched: "
        "raids go in at odds a deliberate counter-attack (counterattack_ratio) would refuse.",
    )
    raid_morale_margin: NonNegative = Field(
        0.2,
        description="Only units with morale above combat.morale_break plus this margin raid: raids are "
        "led by the most motivated groups.",
    )


class TurkeyParams(Strict):
    """Observation posts, incidents, retaliation and Operation Spring Shield."""

    incident_rate: Fraction = Field(
        0.05,
        description="Daily probability that a Turkish position next to government fire suffers an incident.",
    )
    deaths_per_incident: NonNegative = Field(3.0, description="Mean Turkish deaths per incident (Poisson).")
    astana_post_exposure: Fraction = Field(
        0.1,
        description="Exposure of the twelve Astana observation posts (on the map on 1 Dec) relative to "
        "other Turkish positions: Russia knew where they were and the government besieged them rather "
        "than fired on them (seeds [000], [001]: Surman and Maar Hattat encircled; no Turkish soldier "
        "killed before the reinforcements of February). Chosen, not fitted: Turkish losses are holdout.",
    )
    retaliation_per_death: NonNegative = Field(
        3.0, description="Turkish artillery strikes on government formations per Turkish soldier killed."
    )
    max_retaliation_per_day: NonNegative = Field(
        20.0,
        description="Most retaliatory strikes fired in one day; the rest of what is owed follows on the next "
        "days.",
    )
    assault_exposure: NonNegative = Field(
        3.0,
        description="Exposure (in strike-equivalents) of a Turkish position in a settlement under ground "
        "assault that day, added to the strikes that fall there.",
    )
    strike_kills: NonNegative = Field(
        3.0, description="Government fighters killed per drone/artillery strike."
    )
    strike_morale: NonNegative = Field(0.01, description="Morale lost by a struck formation per strike.")
    rebel_support: NonNegative = Field(
        0.5,
        description="Extra combat power share for opposition attacks next "
        "to Turkish positions while Turkey backs them with fire (an intervention with support_allies, "
        "or a fire_support event).",
    )


class CivilianParams(Strict):
    """Flight, destination choice, shelter, casualties and return of the civilian population."""

    fear_memory: Fraction = Field(0.6, description="Share of yesterday's fear kept today.")
    bomb_weight: NonNegative = Field(
        1.0, description="Danger from bombardment: weight x (1-exp(-strikes/b0))."
    )
    bomb_scale: Positive = Field(
        8.0,
        description="b0: strikes per day at which bombardment danger is 63 % of its weight (in a settlement "
        "of 10,000 people when strike_exposure > 0).",
    )
    strike_exposure: Fraction = Field(
        0.0,
        description="How a strike's fright thins out with the size of the place: strikes count as strikes x "
        "(10,000 / pre-offensive population)**strike_exposure. 0: a strike frightens a town of 200,000 as "
        "much as a village; 1: fright per strike falls with population, as the death risk does.",
    )
    front_weight: NonNegative = Field(0.6, description="Danger from proximity to ground fighting.")
    front_scale_km: Positive = Field(10.0, description="e-folding road distance of fighting danger.")
    fighting_memory_days: int = Field(
        2,
        ge=0,
        description="A settlement counts as fought over for this many days after its last fight (0: today "
        "only): the danger of ground fighting lingers for a few days.",
    )
    capture_memory_days: int = Field(
        3,
        ge=0,
        description="A settlement counts as just captured (half the danger of fighting nearby) for this "
        "many days after its capture.",
    )
    capture_weight: NonNegative = Field(2.0, description="Danger in a settlement taken by the government.")
    threshold_median: Positive = Field(1.5, description="Median personal fear threshold (lognormal).")
    threshold_sigma: Positive = Field(0.6, description="Log-sd of personal fear thresholds.")
    departure_rate: Fraction = Field(
        1.0,
        description="Daily probability that a household that has decided to leave sets off (1: the same "
        "day). Leaving takes fuel, a vehicle, money and a destination; the decision, once taken, is kept.",
    )
    speed_km_per_day: Positive = Field(60.0, description="Travel speed of fleeing households.")
    distance_scale_km: Positive = Field(40.0, description="Destination weight falls as exp(-km/scale).")
    safety_weight: NonNegative = Field(3.0, description="Destination weight exp(-safety_weight x danger).")
    crowding_weight: NonNegative = Field(1.0, description="Destination weight falls with occupancy/capacity.")
    host_share: Fraction = Field(0.25, description="Host-family places per resident of a settlement.")
    unfinished_share: Fraction = Field(0.12, description="Unfinished-building places per resident.")
    camp_growth_per_day: NonNegative = Field(
        2000.0,
        description="New camp places opened per day across the camp settlements once displacement starts.",
    )
    deaths_per_strike: NonNegative = Field(
        0.12,
        description="Civilian deaths per strike on a settlement at "
        "its initial population (scaled by the share still present).",
    )
    open_air_lethality: NonNegative = Field(0.0, description="Extra daily death probability in the open air.")
    return_rate: Fraction = Field(
        0.01,
        description="Daily probability that a displaced household returns "
        "home once a ceasefire holds and home is safe and opposition-held.",
    )
    return_after_days: int = Field(14, ge=0, description="Days a ceasefire must have held before returns.")


class Parameters(Strict):
    """All mechanism parameters, grouped by mechanic."""

    combat: CombatParams = CombatParams()
    morale: MoraleParams = MoraleParams()
    air: AirParams = AirParams()
    supply: SupplyParams = SupplyParams()
    commander: CommanderParams = CommanderParams()
    turkey: TurkeyParams = TurkeyParams()
    civilians: CivilianParams = CivilianParams()
