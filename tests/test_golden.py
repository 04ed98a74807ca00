"""Golden (fingerprint) runs: the SHA-256 of a run's tables, asserted byte for byte.

Why: a change meant to keep behaviour (a refactor, a speed-up) must leave every run as it was. The baseline
on two seeds is the contract; the other cases reach code that the baseline leaves idle (the counterfactual
timelines, the Turkish escalation trigger, and mechanics that are off in the committed fit), so a move
that breaks them shows here too.

When a change is *meant* to alter runs, it lands in its own commit that updates these hashes and says why
(``python -m tests.test_golden`` prints the current table in the form below).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
FILES = ("daily.csv", "captures.csv", "population.csv")

# case -> (scenario file, seed, --set overrides)
CASES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "baseline-1": ("baseline.yaml", 1, ()),
    "baseline-2": ("baseline.yaml", 2, ()),
    "no_turkish_intervention-1": ("no_turkish_intervention.yaml", 1, ()),
    "early_ceasefire-1": ("early_ceasefire.yaml", 1, ()),
    "turkey_escalation_rule-1": ("turkey_escalation_rule.yaml", 1, ()),
    "rebel_reinforcement_january-1": ("rebel_reinforcement_january.yaml", 1, ()),
    "uncalibrated-1": ("uncalibrated.yaml", 1, ()),
    "no_russian_air-1": ("no_russian_air.yaml", 1, ()),
    "ceasefire_5feb-1": ("ceasefire_5feb.yaml", 1, ()),
    "turkey_after_taftanaz-1": ("turkey_after_taftanaz.yaml", 1, ()),
    "no_turkish_intervention_no_ceasefire-1": ("no_turkish_intervention_no_ceasefire.yaml", 1, ()),
    "escalation_2023_10-1": ("escalation_2023_10.yaml", 1, ()),
    "contingency_zawiya_m4-1": ("contingency_zawiya_m4.yaml", 1, ()),
    "mechanics-off-in-fit-1": (
        "baseline.yaml",
        1,
        (
            "parameters.commander.consolidation_days=0",
            "parameters.commander.stand_down=true",
            "parameters.civilians.strike_exposure=0.5",
            "parameters.civilians.open_air_lethality=0.0005",
        ),
    ),
}

# case -> {file: sha256}; regenerate with `python -m tests.test_golden`
GOLDEN: dict[str, dict[str, str]] = {
    "baseline-1": {
        "daily.csv": "04af12e48c365ddb41704e695ce35d28b2cdc9fdf833eb5591808d769d27465b",
        "captures.csv": "c102bf6e3fcfa7887fbb6a3d0b62d6f4aac35dbc51ff5e16dae3a19ff609858a",
        "population.csv": "faaad3be4d322df7874aea9075c1b5fc980ea51ba8779b77aaadeede835fb956",
    },
    "baseline-2": {
        "daily.csv": "7c512bfd3daf505bef6b5e6235a3d8193bdd4c30ab7b7e0e9d0284ffa7bff02a",
        "captures.csv": "2a06243d03ae6bedc80c1aa51ca8a5238caabf8d992e99c4857832644214a50a",
        "population.csv": "9c6e79f4e80374528d3bb455def8c60e200e1d0d963f4df7811e114e65107422",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "8a1adc5fade8a55206c585b3092685586ea59e0247ebdc4dee7fe46b1943cf0b",
        "captures.csv": "633995d8d74fee8074795c4d6f6c736b8084e49e60a45e63e6e0c4cb782f46f4",
        "population.csv": "42ddbc4ffc4df088838aa391f995914f0503b3551f7a99fea13328741dd2cfd3",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "cca7402dcef12e6b119db3f73d16cc9e7aabcea5d1889e123d045e3644e5bc87",
        "captures.csv": "5625f5fc1d638c52247069b63059c014e3940076f572a985ae3acc9e8601b0db",
        "population.csv": "85802f3e1a3b9940c0fccc93b81110c8590b881c1cb939009284dcc35a40615a",
    },
    "early_ceasefire-1": {
        "daily.csv": "433f48da262e3043fe98710dc62aebbd96a6e46da6fbf6653b280edf08bb328e",
        "captures.csv": "9b7c505422a58b197152d8e9658eec7a80e92a910239b68410199f81f9757e76",
        "population.csv": "bdc4dbc6fc0ee2e3b3a9cea0fecea2ebb01620bc7cadbdecd90b096b38554b80",
    },
    "escalation_2023_10-1": {
        "daily.csv": "b3f5c05a93cbbb690fad9698bb04fb34e634594248301d2e52ca13f2a6b26489",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "87cac92a0a8de9f22fe9e8a4915219dcde7e8e89ca09168a7de525e74e68a9d1",
        "captures.csv": "acdc0b1797f69904c090b8f768fe88db0e37ed8450c992e2ab437c1a4d92584e",
        "population.csv": "d4cab0d10f698f477db3441736c9e08740154f99546af23d7e9a7140815a01a0",
    },
    "no_russian_air-1": {
        "daily.csv": "edb2cdcabd973885f8126aff52df1d4b456f9e7ddeaffca749835842e31fa65c",
        "captures.csv": "52addeb96d1244e3df078d3f50cad1db4741b42e889bb7de4312d0bd70cb5ec8",
        "population.csv": "dfe7876515611244d2d3db8689985fbe690dc0c1be6b5186ed602b65dc1ef114",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "2552437767233ef41ea2232b8390175cf840ba5341d08e8888d58d662353e279",
        "captures.csv": "c59ce38f3e2a2adeacd3361d5565cd39bd097024115cc5e3d323baa8ba3c24b0",
        "population.csv": "fde2ba22dc165aaceaeba36bcb2ac6bd6c467d75f90e2a74531c7786880a07c9",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "d2dac236a0819314f1ea0abab7c18a8a079f6d87a5bfd4744410456da2120ea1",
        "captures.csv": "765f97baac05d649b52ce41ce617cffc53702f87c678dcebaf31034a607517da",
        "population.csv": "fb27e85b0422cef1c813a5cd4f9c7a9516d820d748cfbe980521956e82f582fe",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "e27c13168c25212ab473316c93ab869fee802dd0d1cc44fa0f91d8c96cc50318",
        "captures.csv": "7af6818e45befba81d8133fecfeade1363e69cda79f3cda1c252ea669056eb08",
        "population.csv": "b3d61c84eb1e42a8e4e11634724b24322003620f4354ab03f8aec3156aaa10d9",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "429fa90dcc34093b09d0099da06871485bbd511362d2347cb01c0c988e2a5217",
        "captures.csv": "ee9a31a1c9799ca3f4467aac0710b794565d580e4b466e81f21e1d080e2cee5f",
        "population.csv": "c6cff065718c7230f642677bcd07df52b1ad78ea0e0cbfb64fb488278cf937a0",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "9303fd133e015cb372a7ceb5c57a84d2399102da0def99087a793d5c6490f451",
        "captures.csv": "0374345b0b915ae6c0d1030de1a3738f5c3c07d9b6406730ba49f88e8e4660e6",
        "population.csv": "1927c56c39bd4d335e986924b97cc49c13ac3273406973e1d906924e72d9a112",
    },
    "uncalibrated-1": {
        "daily.csv": "881d2387858effcda952b295143d4ed14f5c55d70bc0ab7129ba0f579d125b2e",
        "captures.csv": "e50da82fe9c26c1d166327bfedf691c324f13a60f50af9694737986454ca6e49",
        "population.csv": "d5b1004f3b81091043f25c48c353d7cf9cfa3e30da32ffff0f1b2cb67d08fe50",
    },
}


def fingerprint(case: str, out: Path) -> dict[str, str]:
    from sim.runs.runner import run_scenario

    scenario, seed, overrides = CASES[case]
    run_scenario(
        SCENARIOS / scenario, seed=seed, out=out, overrides=list(overrides), progress=False, figures=False
    )
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in FILES}


@pytest.mark.parametrize("case", sorted(CASES))
def test_runs_are_byte_for_byte_the_golden_ones(case, tmp_path):
    assert fingerprint(case, tmp_path) == GOLDEN[case]


def test_every_case_has_a_fingerprint():
    assert sorted(GOLDEN) == sorted(CASES)


if __name__ == "__main__":  # print the table of current fingerprints
    import tempfile

    print("GOLDEN: dict[str, dict[str, str]] = {")
    for case in sorted(CASES):
        with tempfile.TemporaryDirectory() as tmp:
            fp = fingerprint(case, Path(tmp))
        print(f"    {case!r}: {{")
        for name in FILES:
            print(f"        {name!r}: {fp[name]!r},")
        print("    },")
    print("}")
    sys.exit(0)
