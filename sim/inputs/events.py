"""The dated events of a scenario's timeline: what history imposed from outside — weather, the air
campaign, bombardments, reported strikes, ceasefires, reinforcements, new observation posts, interventions
and fire support.

Each is an input with a date or a window; set one to null in a derived scenario to remove it. Whether a
ceasefire is kept on a given day is drawn by the model from its compliance (a violation is an outcome).
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from sim.inputs.fields import (
    NUMBER,
    Date,
    FactionId,
    Fraction,
    Label,
    Men,
    MenInt,
    PerDay,
    Strict,
    Text,
    bounds,
)
from sim.inputs.forces import FormationSpec


class WeatherEvent(Strict):
    kind: Literal["weather"]
    start: Date
    end: Date
    air_factor: Fraction = Field(description="Share of planned sorties that can fly.")
    ground_factor: Fraction = Field(description="Share of ground combat intensity possible.")
    note: Text = ""


class AirCampaignEvent(Strict):
    kind: Literal["air_campaign"]
    faction: FactionId
    start: Date
    end: Date
    sorties_per_day: PerDay
    note: Text = ""


Attacks = Annotated[
    int,
    Field(
        ge=0,
        le=100_000,
        json_schema_extra=bounds(
            "attacks over a bombardment's window: seed [003] counts 287 in October 2023; 100,000 is over "
            "100 a day for three years"
        ),
    ),
    NUMBER,
]


class FireSpec(Strict):
    """One kind of fire in a bombardment: how many attacks over the window, and how deep they reach."""

    attacks: Attacks = Field(description="Attacks of this kind over the window, as counted.")
    range_km: Annotated[
        float,
        Field(
            ge=0.5,
            le=300.0,
            json_schema_extra=bounds("road km from the firer's front: 0.5 (next village) to 300 (the map)"),
        ),
        NUMBER,
    ] = Field(description="Targets lie within this many road km of the nearest community the firer holds.")


class BombardmentEvent(Strict):
    """Fire without a ground offensive: counted attacks (artillery, missiles, aircraft) on the enemy's
    communities near the front, spread evenly over the window's days and placed by the rule of
    ``rules.airpower.bombardment_weights``. The counts are inputs (seed [003]: 287 attacks in October
    2023); what they do to people is the civilians' mechanics, as for any strike."""

    kind: Literal["bombardment"]
    faction: FactionId
    start: Date
    end: Date
    fire: dict[Label, FireSpec] = Field(
        min_length=1, description="Per kind of fire (artillery, missile, air, ...): attacks and range."
    )
    areas: list[Label] = Field(
        default_factory=list,
        description="Sub-districts (name or P-code) or communities the attacks are confined to; empty: "
        "every enemy-held community within range.",
    )
    note: Text = ""


class StrikeReportEvent(Strict):
    """Places a source reports struck by the faction on these days, with no count. On each of its days
    ``air.reported_share`` of the faction's strikes in depth fall on those of the places its enemy holds,
    by people present ** ``air.population_exponent`` (``rules.airpower.report_weights``). Why: where the
    bombs fell is history (an input); the seeds name the towns bombed (seed [000], 20-21 Dec 2019: "heavy
    air strikes on Ma'arrat al-Nu'man and Saraqib") but do not count the strikes, so how much of the day's
    air campaign went there is a fitted parameter, and what the strikes do to people stays the
    civilians' mechanics."""

    kind: Literal["strike_report"]
    faction: FactionId
    start: Date
    end: Date | None = Field(None, description="Last day reported; None: the start day only.")
    places: list[Label] = Field(min_length=1, description="Communities reported struck (name or alias).")
    note: Text = ""


class CorridorSpec(Strict):
    road: Label = "M4"
    half_width_km: Annotated[
        float,
        Field(gt=0.0, le=50.0, json_schema_extra=bounds("at 50 km the corridor covers the whole pocket")),
        NUMBER,
    ] = Field(6.0, description="Half-width either side of the road (the Moscow protocol's: 6 km).")


class CeasefireEvent(Strict):
    kind: Literal["ceasefire"]
    start: Date
    end: Date | None = Field(None, description="None: it holds to the end of the run.")
    compliance: Fraction = Field(description="Daily probability that each party keeps to it.")
    parties: list[FactionId] = Field(default_factory=list, description="Factions bound; empty means all.")
    air_factor: Fraction = Field(0.1, description="Share of sorties flown on a day the ceasefire is kept.")
    corridor: CorridorSpec | None = None
    note: Text = ""


class ReinforcementEvent(Strict):
    kind: Literal["reinforcement"]
    date: Date
    formations: list[FormationSpec]
    note: Text = ""


class ObservationPostsEvent(Strict):
    """New observation posts of a faction (which must have ``posts:``), one per settlement."""

    kind: Literal["observation_posts"]
    date: Date
    faction: FactionId
    settlements: list[Label]
    strength_each: MenInt | None = Field(
        None, description="Men per post; default: the faction's posts.strength."
    )
    note: Text = ""


class InterventionEvent(Strict):
    """Direct intervention (Operation Spring Shield): strikes on enemy formations, support to allies."""

    kind: Literal["intervention"]
    faction: FactionId
    against: FactionId
    start: Date
    end: Date | None = None
    strikes_per_day: PerDay = Field(description="Drone and artillery strikes on enemy formations per day.")
    support_allies: bool = Field(
        True, description="Do the faction's allies' attacks next to its positions get turkey.rebel_support?"
    )
    trigger_deaths: Men | None = Field(
        None,
        description="Escalation rule: if set, the intervention starts on the first day on or after "
        "'start' when the faction's cumulative deaths reach this number, instead of on 'start' itself.",
    )
    note: Text = ""


class FireSupportEvent(Strict):
    """Fire support short of intervention: a guarantor's artillery backs its allies' attacks next to its
    positions (``turkey.rebel_support``), while its own units neither fight nor strike. Seed [000] records
    Turkish artillery behind the rebel attacks on Nayrab of 20 and 24 Feb 2020, a week before Spring Shield.
    """

    kind: Literal["fire_support"]
    faction: FactionId
    start: Date
    end: Date | None = None
    note: Text = ""


Event = Annotated[
    WeatherEvent
    | AirCampaignEvent
    | BombardmentEvent
    | StrikeReportEvent
    | CeasefireEvent
    | ReinforcementEvent
    | ObservationPostsEvent
    | InterventionEvent
    | FireSupportEvent,
    Field(discriminator="kind"),
]

# every event kind (the discriminator tag of each model in ``Event``)
EVENT_KINDS: frozenset[str] = frozenset(
    get_args(model.model_fields["kind"].annotation)[0] for model in get_args(get_args(Event)[0])
)
