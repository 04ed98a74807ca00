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
    "mechanics-off-in-fit-1": (
        "baseline.yaml",
        1,
        (
            "parameters.combat.occupy_below=16.764",
            "parameters.commander.stand_down=true",
            "parameters.civilians.strike_exposure=0.5",
            "parameters.civilians.open_air_lethality=0.0005",
        ),
    ),
}

# case -> {file: sha256}; regenerate with `python -m tests.test_golden`
GOLDEN: dict[str, dict[str, str]] = {
    "baseline-1": {
        "daily.csv": "06872773d88846802b22cad266fab751ff838919d8280cae8de69d8d4a05235c",
        "captures.csv": "d4a2e3ae840b96f61e8751042bcb9d7bd5aeffac1a000a0fc8d71d1ef47dc1fb",
        "population.csv": "ddc740c409136f596e82b8790d192f727b69360e87756a9c86b0c415955cb027",
    },
    "baseline-2": {
        "daily.csv": "af751b63158c1858729498e38dca6ec43da78c30ae71952814e0ffc6a932c423",
        "captures.csv": "f32ecc346a977b423d843624a5641496db01722450b42f87d7dbf8e1a7965322",
        "population.csv": "8cde998b697b8d8b0cd66fbca25a83f6698990d6078834174b9703e68cfb779a",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "816ab6d298d0ef769b71bafac95062cd77387f722a1b3eeacf356a1ed33cdd31",
        "captures.csv": "02752eee447840675a21337701207bd2f359c0ecdfd89dc4e79f61e62212380d",
        "population.csv": "55869676bc40e19d2ccb58c15faacc3fb5386b12173407900a19be72a4d63f47",
    },
    "early_ceasefire-1": {
        "daily.csv": "313bdc3b1fe31b4e09e20ca09181099b812c357773ce07116fca9c24a662c5d5",
        "captures.csv": "2ad15b99208a66d0f85c53f2c64b9ca446f03dc6769345ba55d0dd4284a1733a",
        "population.csv": "204dfee2afb764cf71efd9fdf10985f442fe15fc2e48c60610087e3194c1b2fa",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "31f017881282a4562c4053e4ec3e9b09415c4083a88319ac6bfd8c3f1408a82b",
        "captures.csv": "f4e591d98ea9e330c73ca772583b749e003c17866a7a2e23efd04c446ff4c5df",
        "population.csv": "271d15133d24dbb975b6ad605f7e228c6b64f51d50a22c9765203f5f79764a85",
    },
    "no_russian_air-1": {
        "daily.csv": "85afef3b13de34e7a91629d157e9c3d0897b30d1890865b2f84e6fbdaf5ca49c",
        "captures.csv": "3f96cfa7124346e5a5093ede29c19ec1b15a45c7f6900e0b3c9c2056fc6d58c3",
        "population.csv": "50bebc32bed545476f78db2ba3c66dae887abe020dc40d362e6bdc4af546e438",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "ce9d38f975ab39cf0fe3c31116a0048a5b42bbea743431d45e0348a00f5a06ec",
        "captures.csv": "dae697760a76cea72e764c713aaeeedb32e55786f4857db6443d7e131e0792a5",
        "population.csv": "da6939593ad345a9d6c0279092c089aacfdd3404e270735440a9298635ac5337",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "6b5d895507b3b97a858dea2da5325b7327d88d137cf11ccfc9049db4bc37d5fb",
        "captures.csv": "1bd9b2cfb22f4f76177f27c6b45a64934f1a2ef15102a3661e0aa952473124cd",
        "population.csv": "55e4e30f1e154ba62f5e551fffe299f721550a76413ba8fab2d226efb4d0f6d4",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "5fecb4c47cc4c63a9f05f8baf9a3d61aa8e01cb3074c26bc6266ba9dee10ff08",
        "captures.csv": "1a3df0bae836f855c3282c53867f331a79e0f86f8b87dd476a601d0470bb4736",
        "population.csv": "608d8e782295cffbb0c1d1fbbddaa018930df9d38a4ade8dabc1a079ca14e1b0",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "43fe50e92ba304f7ac9f38c0bb7b164e9a481da66b2db0b19170dda21f382895",
        "captures.csv": "1ae2a3698ef89df56374e5f49983af3c0c9f520efdcc044de70229757d213410",
        "population.csv": "528192cc8a7864ecf448628cb2dc7efd7f72280c3e3613fda5c0d3d39656fba1",
    },
    "uncalibrated-1": {
        "daily.csv": "ddb9467b8ccb79ffa2e80e98ba9089978686a63496524abf3ef81dcae2f2f647",
        "captures.csv": "272e170109f0db725ed7abb819aa0ab86627169b972430b26e9a973a82884ea9",
        "population.csv": "ec3986ab04bd726864e8f93ca51e68eff80fe811ace6864133ee5a370344239c",
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
