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
        "daily.csv": "ea0f5e57c8f25f759af5e5a58d779afa6d52174062f0b51e2b05046775b8ae70",
        "captures.csv": "a3558da492ac9324f3a6c4ae2c9098ee3cfb98140bee8d682a03910d2e6a2892",
        "population.csv": "11307de70e22e298ad49a7e77d5b0bd1d6fa42e9982066639b482c49b79f89b4",
    },
    "baseline-2": {
        "daily.csv": "0c83c57f9a7f92cfa416661cc530335accf3f5243bb04b9860249c53afabb8a7",
        "captures.csv": "76a3cd01b23f4c3edfac487d9240213d4047b9a54f8758e6db5cd3ca19f871ad",
        "population.csv": "1f8a3e953b69f70afb9b0c7a4be86d1e8668bda7e0e4004cf22e1edc170e0720",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "64e6cb85111f24ba0705dd90523e97cf9e840e8bb9f38e2109451a2b990dc43c",
        "captures.csv": "e13cac70f9c2cedb4499789a8782c7cbe19d60dc638d3b3aa643c78c85bf1901",
        "population.csv": "87c42216545f5fa935e8d08d1d186fcc89b1056d8c6e1b67c2a67c06ba09334c",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "f80027291cc8d63d3e5e692cb0e0b8a079841e4566ae504bab6770e8b0c74588",
        "captures.csv": "a7b97a3f9b6da000e99b037ed5bbe7535f150be34f12d25307b0eddc50589df9",
        "population.csv": "29925b3775e24c375ad25af9b3a4d89008d3cc80d01ccc176d59afdde915158a",
    },
    "early_ceasefire-1": {
        "daily.csv": "7794d421149b7b013018a8149fa027d53fb61981d57d3c2f233cfea76a19604a",
        "captures.csv": "259a559e6ab6e4e2b6f6879746cb051a8bbcc7c341ce4e99fe2ba720796c356b",
        "population.csv": "af8bf22dff29fc326a118793666de1f0425280d227ae7eb9b75ddc248d461173",
    },
    "escalation_2023_10-1": {
        "daily.csv": "38df9a6fc6fe08bce13c346fb59efff0476922a21d33fb7664558632ce3c4426",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "00485f01843da91446bdb82675b8d59aa91b0dd34824ffc1f8acdc1034b180bd",
        "captures.csv": "889b1bb644aa05bc3a7e89d0155c085f3253671b99da63ea766bb4c96a13aa4f",
        "population.csv": "43d2b4439646721a75a2b91fadd42d87963e85221af8b82f771537bf29310289",
    },
    "no_russian_air-1": {
        "daily.csv": "a0bbabe23608c722db445fe0c810fbf57902d17ff1ee6f648e61cd75c24a9e45",
        "captures.csv": "af821f20fb649d26d003c49dd5e32f9155af3230c3da53d621f1977bd46aee39",
        "population.csv": "5d9e7e4a3149a042955268803b2acd7594d65e7e2b8d898a11ae5f9c0703b376",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "88b7427cfe46d629fd5ac23795df0ca4e894cab7f09c2472ce5da2dfda2775f7",
        "captures.csv": "00cf74fbd0e7c73be49555c53842763de0d501eac5b3f11182e0d44d6d312bb2",
        "population.csv": "2352458e378d244a420afe768bb838ee987099ba6084568519cdebccc80d7de2",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "b2e5585432b0d34fdfd17ff6bc8f4bb47b9cca4254679fd22945e8ec48bee799",
        "captures.csv": "4ae293975c03d140b37cd2ba5501629863aac9b6cf7b73c673adee44a440ef13",
        "population.csv": "d9a60293ce143b00da43ff00767a9dc192b434f839f4a5611c7350a5affd13b5",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "43776ab4e8919ae10111ad2d9b178ad2c060b94ba7120f805679634e49eb3bbc",
        "captures.csv": "164db1e734881e98691125d96e58286d06bf839c09f65f5ae21c3ee5d4359e51",
        "population.csv": "8ba5b065a5aa2a65fec7def8ba114e4571e9651557714823978162c9c56f0c77",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "a5d7eb92dd7d7ffc80059aba3f5e544d579ea8b49a25bfb7bee11e7a7cc62983",
        "captures.csv": "3fdc9ee9806e23ba9673a02634fb632f8d47c813dcf8facb68a4424eb7f913a1",
        "population.csv": "5d090e1b257d8f4ed5cd82b5ae65f618f53f0056c7c1b871b4506e5448c8a3a8",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "d2595660d32948166b74d1774f377af309fd0c588fe55606b61ab09ce6f8cace",
        "captures.csv": "c5b2d086c5480c86181391a3304a4673dfd814e0da7bdcab76426fd876095466",
        "population.csv": "ded58ece29ff8a9c28c36729cd382bd965c923694565fab52c35b1f17dfb267d",
    },
    "uncalibrated-1": {
        "daily.csv": "430c076ee6e8f9c5fc25f720db167d02642c3ab0fdef3f9a5547083bffad6ae7",
        "captures.csv": "2daf318005e12e72a1428dd1a5883b13525260c4890dbd9ac5104d8b1ffbf196",
        "population.csv": "2b3e8ab516d091c5d54ebac1a44e9b54006d6bc997e64c1e0049d430d3cb0571",
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
