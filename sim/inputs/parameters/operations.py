"""Parameters of operations: air power and artillery, supply, the commanders' choices, and the guarantor
(Turkey): posts, incidents, retaliation, intervention."""

from __future__ import annotations

from pydantic import Field

from sim.inputs.fields import (
    Days,
    Exponent,
    Fraction,
    Km,
    KmBonus,
    Odds,
    PerDay,
    Ratio,
    Settlements,
    SettlementsAtLeastOne,
    Strict,
    Weight,
)


class AirParams(Strict):
    """Split of sorties between the front and population centres; artillery along the front."""

    front_share: Fraction = Field(
        0.55,
        description="Share of sorties flown as close air support on "
        "settlements under ground attack; the rest strike towns behind the front.",
    )
    depth_km: Km = Field(
        15.0, description="e-folding distance (road km from the front) of strikes on population centres."
    )
    population_exponent: Exponent = Field(0.5, description="Strike weight grows as population**exponent.")
    axis_focus: Weight = Field(
        2.0,
        description="Extra weight of strikes in depth near the day's assaults and the active orders' "
        "objectives: weight x (1 + axis_focus x exp(-road km to them / depth_km)). The air campaign "
        "emptied the towns ahead of the ground offensive.",
    )
    preparation_share: Fraction = Field(
        0.0,
        description="Share of the strikes in depth that prepare the active orders' axes: they fall on the "
        "enemy-held towns ahead of the front on the way to each order's objective (nearer the objective "
        "than the front is, within preparation_km of it), by population present ** population_exponent, "
        "split between orders by their intensity. Why: the towns on the axes were bombed empty for weeks "
        "before the ground forces arrived (seed [000]: Ma'arrat al-Nu'man 'almost empty of its 110,000 "
        "civilian residents as a result of the intense government bombardment in prior weeks'). 0: off.",
    )
    preparation_km: Km = Field(
        30.0, description="How far ahead of the front (road km) an axis's preparatory bombardment reaches."
    )
    reported_share: Fraction = Field(
        0.0,
        description="Share of the strikes in depth that fall, on a day a strike_report event covers, on the "
        "places it reports struck that the enemy holds, by population present ** population_exponent. Why: "
        "the seeds name the towns bombed on given days but do not count the strikes (seed [000], 20-21 Dec "
        "2019: 'heavy air strikes on Ma'arrat al-Nu'man and Saraqib'); where is an input, how much is "
        "fitted. 0: off.",
    )
    max_strike_loss: Fraction = Field(
        0.5,
        description="Largest share of the formations at a settlement that one day's strikes there can kill "
        "or disable: units disperse and dig in under air attack.",
    )
    artillery_per_1000: Weight = Field(
        1.0,
        description="Strike-equivalents per day per 1,000 attacking troops adjacent to an enemy settlement.",
    )


class SupplyParams(Strict):
    """Supply flows along own-held roads from each faction's sources."""

    resupply: Fraction = Field(0.25, description="Daily recovery of supply toward 1 when connected.")
    decay: Fraction = Field(0.08, description="Daily loss of supply when cut off.")
    max_path_km: Km = Field(
        120.0, description="Beyond this road distance from a source, supply recovers only partially."
    )


class CommanderParams(Strict):
    """Operational choices: which frontier settlements to attack, how to defend, when to withdraw."""

    attack_ratio: Ratio = Field(1.3, description="Minimum estimated power ratio for an attack to start.")
    min_ground_factor: Fraction = Field(
        0.2,
        description="Weather (the day's ground factor) at or below which no ground attack starts: mud and "
        "storms stopped the offensive's pushes.",
    )
    ceasefire_violation_targets: Settlements = Field(
        1,
        description="Settlements an axis may attack on a day its faction breaks a ceasefire it is bound "
        "by: a violation is local, not a resumed offensive.",
    )
    defence_weight_km: KmBonus = Field(
        2.0,
        description="Penalty (km of progress) per 1,000 units of estimated defence power when an axis ranks "
        "its targets: of two settlements the weaker is attacked unless the other is much nearer the "
        "objective.",
    )
    max_targets: SettlementsAtLeastOne = Field(3, description="Settlements one axis attacks at once.")
    move_km_per_day: Km = Field(40.0, description="Road march per day behind own lines.")
    axis_reach_km: Km = Field(
        40.0,
        description="An order's targets must be within this road distance "
        "of its units: the axis moves with them.",
    )
    axis_corridor_km: Km = Field(
        20.0, description="Frontier settlements farther than this from the front-objective line are off-axis."
    )
    counterattack_ratio: Odds = Field(
        2.5, description="Power ratio at which a defender counter-attacks a lost neighbouring settlement."
    )
    stand_down: bool = Field(
        False,
        description="Assault units whose order has reached its objective leave a holding detachment and "
        "step back from the front to rest, instead of sitting on the objective until the order ends.",
    )
    line_shift_km: Km = Field(
        25.0,
        description="How far (road km) a line unit shifts to a threatened "
        "settlement; reserves and manoeuvre units go up to two days' march.",
    )
    reserve_march_days: Days = Field(
        2,
        description="Days of march (move_km_per_day each) that reserves and manoeuvre units go to reinforce "
        "an attacked settlement or to come back for a highway town just lost.",
    )
    rest_days: Days = Field(
        3,
        description="Days a unit that withdrew, called off an attack or stood down rests out of the line "
        "before it may be used again.",
    )
    return_margin: Fraction = Field(
        0.15,
        description="A resting unit returns to the line only with morale above combat.morale_break plus this "
        "margin: a unit that barely holds together does not go back in.",
    )
    objective_road_km: KmBonus = Field(
        15.0,
        description="Bonus (km of progress) for a target on the "
        "order's road or the faction's first open objective road.",
    )
    persistence_km: KmBonus = Field(
        10.0,
        description="Bonus (km of progress) for pressing an attack "
        "already under way rather than switching targets.",
    )
    consolidation_days: Days = Field(
        1,
        description="Days a formation that has taken a settlement "
        "spends clearing and consolidating before it attacks again.",
    )
    envelopment_share: Fraction = Field(
        0.6,
        description="A defender leaves a settlement when this share of "
        "its neighbours (and at least two) is enemy-held: HTS 'withdrew "
        "rather than be encircled' (seed [000]).",
    )
    counterattack_days: Days = Field(
        10,
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
    raid_ratio: Odds = Field(
        0.8,
        description="Least estimated power ratio (with raid_surprise) at which a raid is launched: "
        "raids go in at odds a deliberate counter-attack (counterattack_ratio) would refuse.",
    )
    raid_march_days: Days = Field(
        1,
        description="Days of march (move_km_per_day each) within which a raiding faction's free assault "
        "(manoeuvre) units go to stand next to a settlement their side lost in the last counterattack_days, "
        "for the raid rule to decide there. 0: only units already next to it raid. Why: the HTS "
        "counter-attacks that retook Tell Mannas and al-Ghadfa (24 Dec) and Nayrab (20-24 Feb) were made by "
        "its mobile assault groups (seed [000]: SVBIEDs and inghimasi), not by the garrisons that lost them.",
    )
    raid_morale_margin: Fraction = Field(
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
    deaths_per_incident: Weight = Field(3.0, description="Mean Turkish deaths per incident (Poisson).")
    astana_post_exposure: Fraction = Field(
        0.1,
        description="Exposure of the twelve Astana observation posts (on the map on 1 Dec) relative to "
        "other Turkish positions: Russia knew where they were and the government besieged them rather "
        "than fired on them (seeds [000], [001]: Surman and Maar Hattat encircled; no Turkish soldier "
        "killed before the reinforcements of February). Chosen, not fitted: Turkish losses are holdout.",
    )
    retaliation_per_death: Weight = Field(
        3.0, description="Turkish artillery strikes on government formations per Turkish soldier killed."
    )
    max_retaliation_per_day: PerDay = Field(
        20.0,
        description="Most retaliatory strikes fired in one day; the rest of what is owed follows on the next "
        "days.",
    )
    assault_exposure: Weight = Field(
        3.0,
        description="Exposure (in strike-equivalents) of a Turkish position in a settlement under ground "
        "assault that day, added to the strikes that fall there.",
    )
    strike_kills: Weight = Field(3.0, description="Government fighters killed per drone/artillery strike.")
    strike_morale: Fraction = Field(0.01, description="Morale lost by a struck formation per strike.")
    rebel_support: Weight = Field(
        0.5,
        description="Extra combat power share for opposition attacks next "
        "to Turkish positions while Turkey backs them with fire (an intervention with support_allies, "
        "or a fire_support event).",
    )
