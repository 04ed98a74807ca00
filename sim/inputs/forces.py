"""Who fights: factions (kinds, objectives, supply, posts), formations (strength, quality, role) and the
campaign plan's orders (axis, time window, objective) — the scenario's order of battle and its plan."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from sim.inputs.fields import (
    CEV,
    NUMBER,
    Color,
    Date,
    FactionId,
    Fraction,
    Label,
    MenInt,
    Multiplier,
    PerDay,
    Strict,
    Text,
    bounds,
)


class FactionKind(StrEnum):
    BELLIGERENT = "belligerent"
    GUARANTOR = "guarantor"  # Turkey before it intervenes: present, armed, not attacking
    PASSIVE = "passive"  # e.g. the SDF at Tall Rif'at: holds ground, takes no part


class Role(StrEnum):
    """What a formation is for; the commander treats each role differently."""

    MANOEUVRE = "manoeuvre"  # attacks and counter-attacks
    LINE = "line"  # holds a sector, can be shifted to threatened settlements
    RESERVE = "reserve"  # held back, committed where the line is breaking
    POST = "post"  # Turkish observation post: static, can be encircled


class AirSpec(Strict):
    """An air arm. Sorties per day come from ``air_campaign`` events; this is the level between them."""

    base_sorties_per_day: PerDay = 0.0


class PostSpec(Strict):
    """A faction's observation posts: a small garrison at a fixed position that does not fight unless its
    faction intervenes (seeds [000], [002]: the Turkish posts were bypassed and encircled)."""

    group: Label = Field(description="Sub-faction of the posts' men (TSK).")
    strength: MenInt = Field(description="Men per post.")
    quality: CEV = Field(description="Combat effectiveness value (Dupuy CEV) of the posts' men.")
    cohesion: Fraction = Field(description="Morale the posts relax toward.")
    morale: Fraction = Field(description="Morale on the day a post is set up.")
    source: Text = Field("", description="Where the figures come from (seed quote or documented estimate).")


class FactionSpec(Strict):
    label: Label
    color: Color
    kind: FactionKind = FactionKind.BELLIGERENT
    enemies: list[FactionId] = Field(default_factory=list, description="Faction ids this faction fights.")
    allies: list[FactionId] = Field(default_factory=list, description="Faction ids whose ground it may use.")
    support: Fraction = Field(0.7, description="Political will and outside backing; scales replacements.")
    objectives: list[Label] = Field(
        default_factory=list, description="Road ids (M5, M4) or settlements, highest priority first."
    )
    supply_sources: list[Label] = Field(
        default_factory=list, description="Settlements that are supply heads."
    )
    border_supply: bool = Field(
        False, description="Also supplied from settlements marked as border crossings."
    )
    replacements_per_day: PerDay = Field(0.0, description="Men per day fed back into depleted units.")
    raids: bool = Field(
        False,
        description="Raids settlements it has just lost at poor odds, with surprise (HTS SVBIED and "
        "inghimasi counter-attacks, seed [000]); see commander.raid_rate.",
    )
    air: AirSpec | None = None
    air_scale: Annotated[
        float, Field(ge=0.0, le=10.0, json_schema_extra=bounds("ten times the campaigns as written")), NUMBER
    ] = Field(
        1.0,
        description="Multiplier on every air campaign of this faction "
        "(0.3 = without Russian air power, only the Syrian air force).",
    )
    posts: PostSpec | None = Field(
        None, description="Its observation posts, if it keeps any (the map's and observation_posts events)."
    )


class FormationSpec(Strict):
    id: Label
    name: Label
    faction: FactionId
    group: Label = Field(description="Sub-faction (SAA, Hezbollah, HTS, NFL, TIP, TSK, ...).")
    strength: MenInt
    quality: CEV = Field(1.0, description="Combat effectiveness value (Dupuy CEV), prior 0.7-2.0.")
    cohesion: Fraction = Field(0.7, description="Morale the formation relaxes toward; sub-factions differ.")
    morale: Fraction = 0.75
    location: Label
    role: Role = Role.LINE
    source: Text = Field("", description="Where the strength comes from (seed quote or documented estimate).")


class OrderKind(StrEnum):
    OFFENSIVE = "offensive"
    COUNTEROFFENSIVE = "counteroffensive"


class OrderSpec(Strict):
    """A push along an axis during a window, toward an objective that may lie beyond what is reached."""

    faction: FactionId
    axis: Label
    start: Date
    end: Date
    objective: Label
    road: Label | None = Field(
        None,
        description="Highway the axis follows (M5, M4): settlements on it come "
        "first, and the order runs until the whole road is held, not only the objective. "
        "'auto': the first of the faction's objective roads it does not yet hold.",
    )
    start_point: Label | None = Field(
        None,
        description="Settlement the push starts from (units redeploy there "
        "first); the axis then grows from it and from what the order takes.",
    )
    via: list[Label] = Field(
        default_factory=list,
        max_length=50,
        description="Settlements the axis passes through, in order, before it turns to the objective: it "
        "aims at the one after the last its side holds (the route an order describes, 'west of the M5 "
        "toward the Turkish border'). Which villages fall on the way, and when, is still the battle's "
        "outcome. After a road (``road``), before the objective.",
    )
    kind: OrderKind = Field(
        OrderKind.OFFENSIVE,
        description="'counteroffensive': each assault on a settlement the side did not assault the day "
        "before opens with surprise (combat.raid_surprise on its first day; SVBIEDs, inghimasi groups, "
        "seed [000]).",
    )
    formations: list[Label] = Field(default_factory=list, description="Formation ids committed to the axis.")
    intensity: Multiplier = Field(
        1.0, description="Relative share of the faction's air effort for this axis."
    )
    note: Text = Field("", description="Where this order comes from (seed and quote).")
