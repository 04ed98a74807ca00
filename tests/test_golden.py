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
        "daily.csv": "1217ba0e6f0e9c8e7b122231b47b30d67573ade548827160e2d37b5a74838c66",
        "captures.csv": "b2db53a68611a59d300977a0f4679595bf1908d94cde1471ec5cf5db87a08f32",
        "population.csv": "a9bed550a15403753aea91456b5bdc8e87bce513aeae04f66e3dcd4d091bc105",
    },
    "baseline-2": {
        "daily.csv": "b1d0319a2e680451a859e291d67f4fd704fdcbe478789ddb7454d051c605ca17",
        "captures.csv": "93dbac6cde0fc4676dc9421dd325968bd43ad1644f47d31298b9ce55be3d1048",
        "population.csv": "484d9e8ce26de7474d07f51c475e372d9461a026a1f4d52c77c25b71e2a7727f",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "d95dc6a8a4c33b0cc471f7dd9a7f7aa6c90ca103e698207765b89de68d79eff2",
        "captures.csv": "dd4766b246fae876a7603f6db8cf17f4eca78a22120f5543bd55ac8b7dabcb4b",
        "population.csv": "db53ab46ffddc4e6503d16b995ccece39288bcd6a1fcec5bd91ca9f4446c4062",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "982261312c2c4cf4b233115b1cc4121c795ce8035ce261e3939565c09f2910b4",
        "captures.csv": "a7e46385672879451a137870a68706747b7b7373aacd686a5c56517278864dad",
        "population.csv": "a3bfb9088334a4b8e7b15a59e67988e89cd64bc7572078088a8319875e243141",
    },
    "early_ceasefire-1": {
        "daily.csv": "d09d517574747f1df81727833a80298fc882b9711dc222fe0bb6efe4223129b7",
        "captures.csv": "5bb3edc83717a2b03af833e7dbc94ab46f243a3c9cf2e923442248a01acccd1c",
        "population.csv": "62be6a6e1643a9124b4ee937ec898d98f018a462c447c45c1be5b5d03fd14b45",
    },
    "escalation_2023_10-1": {
        "daily.csv": "b3f5c05a93cbbb690fad9698bb04fb34e634594248301d2e52ca13f2a6b26489",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "24318f8b8ee3d5cb8ed0ca46ee00d21764f5be5889e8e4ddd38390ab71e8cb78",
        "captures.csv": "e436e5701d3b575e56638f637dbbe305ac7e93a6bc8c9c053d8e3c7db89e146e",
        "population.csv": "524cc5b3df7fe1653465e8de9ba075852a728ac24e698d4bcd32c0d756f65e54",
    },
    "no_russian_air-1": {
        "daily.csv": "1e93093b9f387150e0a943a72745525b101ecfcd8414cd1e56bfb79862335d23",
        "captures.csv": "cfa3ad9cb2a4a80793dbf3bb376f0c3fd6695e4b1b2b1f90295b31b2851d4fd1",
        "population.csv": "02e359358b20815c1d9bc62b7cfe17619f3093f80cb739f55beed78cea5d20d2",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "1b2d6cdc68d24a55e3113326925ca14b3bfe1d1b325806005d82f39f0c20378d",
        "captures.csv": "eb797a7bd8bbb3ce2f8e6f744d6515a6889015b793582fadab646194d17ce2a6",
        "population.csv": "3725a95f933719ee6a326b41c68a725fe2ba8546c8f3acaef4404d021f1092ea",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "a5409bb90bba62096408127bc127e2a8a7e894f82c6e2690b423b811e83783c3",
        "captures.csv": "ef484d1feaf7152a906a2112d9cf05405670dfda20a386d89b4ffe10eb3b212f",
        "population.csv": "1c39953410d059a86b3afaf7859d6049f7ed6adbcd4ac59749bf52ebfe3f8bd8",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "eff5d17097fdb16b669999dd6845e2452476392ac2c7f116ab64453fc5d5c282",
        "captures.csv": "4881f1f7d902228c7fe8cc117e91848556d3a481cca8bdd02ab4fad5887a2cb3",
        "population.csv": "917a9258fb46080dad95107914c1a2bad576d96eed397284137715b19f19b443",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "e4e9723c47da5fee32b015cf685b6291b0ad1fdd0f1e0170c2948d4021f61b28",
        "captures.csv": "d6257ec86b268e5fee84a3c33d95b974205108c4afae348a8c7dba8ed2092af8",
        "population.csv": "78aa15e236c659fac00539b5c479c9f19ff3a13d7bf334bb6d2c74408b4c08a9",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "f61cdb1d05433e6050a8924167aa33716cf4379b11f7b58e0a6567fbf62a5f26",
        "captures.csv": "aa4c387a6910f0e2f9a297b0dcbbe21420022a53f3a40158edec03c765b06c4f",
        "population.csv": "92bd8d643c2033de787f7f40a633ce34701f21ca9e5aa6e0a557a7e0fa2eb097",
    },
    "uncalibrated-1": {
        "daily.csv": "355736a2627ba59aebfbf268aaff05c7fbd7ce68398229cdf972e949ee38b1c1",
        "captures.csv": "c0d5b1145679b175cbed77ca0e2369f685eef36a631648a18e7aeada13bb836e",
        "population.csv": "3edd36825f33c153c6183a5505272f4444195eccf89ef524c6b95533ad0da303",
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
