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
        "daily.csv": "afac9ed17da7ddc35da1b1f1565b211d9d1687cf296bf164b2b4f99109dfdcad",
        "captures.csv": "40f9f272268167b5b8db17bb7e45516307e5640913172f600713730f1a84274f",
        "population.csv": "b6b438e117d5115a9dd6ef220ccad12e58d0225f8571aafd209db7e9f1b767f0",
    },
    "baseline-2": {
        "daily.csv": "fbfaad6fc1403d3226faddb2c3c2b9b48f8bf87763a093df9aef202af88e0acb",
        "captures.csv": "2b8ffef337105ce3809820ca78c98811e8177097c81fb7877b5eac5d9218ec67",
        "population.csv": "d3a43755c06a66ed0a17ecb0341a84cb53aee9e88c61789400e53dc16462629c",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "668498f9644798a8a8ffc5a8f2cf9aa23f8a3812ff8f446eba6719ffdaa14166",
        "captures.csv": "e39e48f1e441ed10c7d5cfcc2ea80dfc22436b327d9843bb769b45a3294df17b",
        "population.csv": "a5d21439a77d02e3de2c5e1950043017a3c23910aa7a86fa0197245b4ec7d19a",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "de51264941e8b8114e2a8df4350e699ce83e9bf43aa710402f8bf7ff0d36a84c",
        "captures.csv": "e2a57074971f21edcda46c8cf4a414e8c96816adffd970ba34a33b780f765317",
        "population.csv": "cf44170faaeb1dc4b62dc2e77f91cde22b847add59cb3ace75950d7b71f4bc8f",
    },
    "early_ceasefire-1": {
        "daily.csv": "d4cb8428aa4c9436e805fbd18a14992a5b975b5ea0273c993d2f1f7fcfcf562f",
        "captures.csv": "274bfd7aaf076768c7f547dfd40256ddaa44d520bfa7a98e3857462f8e3ddaa3",
        "population.csv": "3d0ddbd2e9e3464e597a026f02ab857647c57936312629debe241a039aab713c",
    },
    "escalation_2023_10-1": {
        "daily.csv": "b3f5c05a93cbbb690fad9698bb04fb34e634594248301d2e52ca13f2a6b26489",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "b7f9fec1631083a9473d03392fde8415e7415a5fe6e396976a3e38358fa9f5bd",
        "captures.csv": "8152fcba553fae61a4cdb88663246fd8c9adc7cdc7fa02afa8bf0a5093828b03",
        "population.csv": "f2a7789599744d185e11310a6c027fddfbe394c56fab5e10a9d8eaa5a764bb60",
    },
    "no_russian_air-1": {
        "daily.csv": "fbb4f12113b14fa507f40891233eec95b840a9f457681a1c9a07d76f90f972f4",
        "captures.csv": "b2820161dcfaea8b15f9396029cccb9f6016a4048d695c53cd9f5953f299c914",
        "population.csv": "d2dc58fe6fea248632542e5aad680f33eea71c57b5c2a371014242fe462ff71b",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "adc7b705bcc077afe9626a8d26a53020cff2047c518f5fa8f28dae1ccf752c60",
        "captures.csv": "7213d9029bca44bc2d461849eeb8960bbe5df939d13507e7f7b4e1a4a839aef3",
        "population.csv": "6370fcceb59630972e412fa29db944f47ebe0813f847ae6907ca53e8dd9dc39b",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "c2b37c1343dc967efdc938e3effa233b2186c94833ebff6400b42ba044c69c0e",
        "captures.csv": "bee783e5c7a67988f85737ead9dc30cbda1eccf691c71ba8cdd015fe5d97377e",
        "population.csv": "878ebe5359309cd6c4d5558720d9ea6c0977aeb0b280739feb0d39d8c521361b",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "c86a214dbb011be3c8aa4f1fe9b36dbecb6f36d0503e5b7dc84f8e1619383cc6",
        "captures.csv": "dd0b955f6c1cf172745b54af9babb9c0810d487fc8735a4566a31fa10706a35d",
        "population.csv": "971d7a27ad90a10ce7638296698256c1a1a56281a8ae7e4220773798232591eb",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "509f975bd0d2c5fddbe91d3917af5d0933bb39da00062e6fb26224f5cf516319",
        "captures.csv": "118df561e1a4ff37ba732a350dfd9daa56c171e4a6150860f1aa6c62f305a7a0",
        "population.csv": "fef5fe2cd8504244c4f99f7fcf75bce384750cf460c63dce1d30c712d94d2023",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "456ee1122c373cee32994ecc62069e6c7a1bfed37071b9d2011fdc31252237af",
        "captures.csv": "d99d99f8c1c13606eb521492936125b606eb44d0217249a22a90aecef26ae6ce",
        "population.csv": "9ae40df5d6396d33da67b1dbfc070516d6839468325a58991600a683881ce37f",
    },
    "uncalibrated-1": {
        "daily.csv": "9efb0c7b03f653143a3cf524fb5580de4f981b56326b32ce9e3a75b06ab1aa51",
        "captures.csv": "7072ac3fa786774040a63cb6d598116623b0f8f7c7fe8fb14233c6672296d459",
        "population.csv": "704001a98f4e9dc801968a5f2ff48db4f5028471e41046b7d08b190a5c9f1332",
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
