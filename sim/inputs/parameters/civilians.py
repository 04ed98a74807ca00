"""Parameters of the civilian population: danger, flight, destinations, shelter, deaths and returns."""

from __future__ import annotations

from pydantic import Field

from sim.inputs.fields import Days, Fraction, Km, Men, PerDay, Scale, Spread, Strict, Weight


class CivilianParams(Strict):
    """Flight, destination choice, shelter, casualties and return of the civilian population."""

    fear_memory: Fraction = Field(0.6, description="Share of yesterday's fear kept today.")
    bomb_weight: Weight = Field(1.0, description="Danger from bombardment: weight x (1-exp(-strikes/b0)).")
    bomb_scale: Scale = Field(
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
    destruction_weight: Weight = Field(
        0.0,
        description="Lasting danger of a settlement bombed for days: weight x (1 - exp(-cumulative strikes "
        "x exposure / destruction_scale)). Why: a strike frightens for days (fear_memory), but weeks of "
        "bombardment destroy the town's bakeries, hospitals and water, and people leave a place they "
        "could ride one shelling out in (seed [000]: Ma'arrat al-Nu'man 'almost empty' after weeks of "
        "bombardment). Without it fear from bombardment saturates at bomb_weight and a town never empties "
        "before it falls. 0: off.",
    )
    destruction_scale: Scale = Field(
        40.0,
        description="Cumulative strikes (exposure-weighted) at which destruction's danger is 63 % of its "
        "weight.",
    )
    front_weight: Weight = Field(0.6, description="Danger from proximity to ground fighting.")
    front_scale_km: Km = Field(10.0, description="e-folding road distance of fighting danger.")
    capture_news: Weight = Field(
        0.5,
        description="Danger from a recent capture nearby, as a share of the danger from fighting at the same "
        "road distance: the news of a town's fall frightens its neighbours, less than the battle itself.",
    )
    fighting_memory_days: Days = Field(
        2,
        description="A settlement counts as fought over for this many days after its last fight (0: today "
        "only): the danger of ground fighting lingers for a few days.",
    )
    capture_memory_days: Days = Field(
        3,
        description="A settlement counts as just captured (half the danger of fighting nearby) for this "
        "many days after its capture.",
    )
    capture_weight: Weight = Field(2.0, description="Danger in a settlement taken by the government.")
    threshold_median: Scale = Field(1.5, description="Median personal fear threshold (lognormal).")
    threshold_sigma: Spread = Field(0.6, description="Log-sd of personal fear thresholds.")
    departure_rate: Fraction = Field(
        1.0,
        description="Daily probability that a household that has decided to leave sets off (1: the same "
        "day). Leaving takes fuel, a vehicle, money and a destination; the decision, once taken, is kept.",
    )
    conflict_departure_rate: Fraction = Field(
        0.0,
        description="Daily probability of setting off, once decided, for a household in a conflict zone: a "
        "settlement within conflict_km of ground fighting of the last days, or just taken by a faction the "
        "displaced avoid (Flee's movechance of conflict locations, 1 there against 0.3 elsewhere). Why: "
        "with the front at the edge of the village nobody waits days for fuel or a lift (seed [000]: the "
        "'mass evacuations' of front-line areas that left 'ghost towns'). 0: off, departure_rate everywhere; "
        "it never lowers a household's rate below departure_rate.",
    )
    conflict_km: Km = Field(
        5.0, description="Road km from ground fighting within which a settlement is a conflict zone."
    )
    fear_after_leaving: Fraction = Field(
        0.3,
        description="Share of its fear a household keeps on setting off: relief on leaving, after which fear "
        "builds again from the danger where it arrives.",
    )
    speed_km_per_day: Km = Field(60.0, description="Travel speed of fleeing households.")
    route_fire_cost: Weight = Field(
        0.2,
        description="Extra cost of a road through a settlement under fire, per strike there today (as a "
        "share of the road's length): the displaced avoid roads being bombed.",
    )
    route_fire_cap: PerDay = Field(
        20.0, description="Strikes beyond which a settlement on the way costs no more (route_fire_cost)."
    )
    distance_scale_km: Km = Field(40.0, description="Destination weight falls as exp(-km/scale).")
    safety_weight: Weight = Field(3.0, description="Destination weight exp(-safety_weight x danger).")
    crowding_weight: Weight = Field(1.0, description="Destination weight falls with occupancy/capacity.")
    camp_weight: Weight = Field(
        1.0,
        description="Destination weight of the settlements of a sub-district with camps (Flee's camp "
        "weight: the camps, aid and the border draw the displaced); 1: no pull.",
    )
    host_share: Fraction = Field(0.25, description="Host-family places per resident of a settlement.")
    unfinished_share: Fraction = Field(0.12, description="Unfinished-building places per resident.")
    camp_growth_per_day: Men = Field(
        2000.0,
        description="New camp places opened per day across the camp settlements once displacement starts.",
    )
    deaths_per_strike: Weight = Field(
        0.12,
        description="Civilian deaths per strike on a settlement at "
        "its initial population (scaled by the share still present).",
    )
    open_air_lethality: Fraction = Field(0.0, description="Extra daily death probability in the open air.")
    return_rate: Fraction = Field(
        0.01,
        description="Daily probability that a displaced household returns "
        "home once a ceasefire holds and home is safe and opposition-held.",
    )
    return_after_days: Days = Field(14, description="Days a ceasefire must have held before returns.")
    return_danger: Weight = Field(
        0.3,
        description="Danger at home below which a displaced household considers it safe to return.",
    )
