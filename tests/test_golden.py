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
        "daily.csv": "0cb4a9e8442a7192f72c699624fce373dc75d9e1047b20215885cea27f310f7e",
        "captures.csv": "172f3fee97755fbaf2ab7d7fe4ec3172de4ecba7f93083a0bfd1569718504859",
        "population.csv": "de512e34ee01c0d42ca213340838bb87df0ffc396ecadbd9e2f85b533a7c8f44",
    },
    "baseline-2": {
        "daily.csv": "bdbbe6e26fed0ba9c97ed268f9b7c829c949f6f2c4f84568fc25a269af14448d",
        "captures.csv": "69ff9f197bebc40f1cf9ffb301ecd90b12418870a4ae1e8aa3281130601ae148",
        "population.csv": "03d91d121e58f3adb9b905cbc05dc719ab4902c86a1ba28a13b87b7b05ab4eb5",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "dece71fcdfa42b2843b36844b0c4a93495cb3a1b644adcf0bdd6ed7d08ab9388",
        "captures.csv": "b02b38deb206404733e06b93037574c1293dd4cb54d32c779ae5a86c64c78f94",
        "population.csv": "65dd788a670c7f866e26142f567aecc661f84b99baedd7ff45b3d0e51588d63b",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "73956b1d88a695ca81d6060b4158425b481d117002e9eb919ded0f9a0705dffe",
        "captures.csv": "a90e58325782849024f8c9249f58decbfb67cb76f26a2292d2681b15403dfb83",
        "population.csv": "24c1cb0b2211a3d05811eae0b3c383f2f26193ddbd965cae47f8ae7d6a2bde23",
    },
    "early_ceasefire-1": {
        "daily.csv": "32c03bb30c13d587b16efdf4bf0b7d04690507bdb08c7cdf9e1981b409e7ac9e",
        "captures.csv": "1a1d44b57e0cb524f1687b3ef29af386a3eb046f3f9cb9855925db3ae9d152b7",
        "population.csv": "e041e083810070c078c4486650dfb4b5d4ea5b23c287e16111be6500f7dc05b4",
    },
    "escalation_2023_10-1": {
        "daily.csv": "38df9a6fc6fe08bce13c346fb59efff0476922a21d33fb7664558632ce3c4426",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "a37c4f25d6102240f6d0a28c9a81e5cba370b780f5aeb268364c709be7015316",
        "captures.csv": "11e4ed2363c24351c091eb81495a6b1c14a1e98b1d0076678b4753070422d9a7",
        "population.csv": "ea884125bab9f8aeb541088461b122e1bad3136d64ff786472154c58d4cdf9c7",
    },
    "no_russian_air-1": {
        "daily.csv": "2b741b83a321262c1ea4d86296848534976f33d7923f6ee9ce06c1d4d90d170c",
        "captures.csv": "07b62050cce3d684b090b02fe330ba22e522d7c58776e7fff90ac667c3e46a1e",
        "population.csv": "ffaf8a2f3d8a6cb4deced2205bf8ed1ffa954e215bb59110f472f6f34a8a2ccb",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "7e918005a5e94263530156189d0d223223e894dd9423de657445487a00cda3c4",
        "captures.csv": "9f96e043284b21c8f7492cc1342036aeee74c30884bfd0232e8979b0a53554ae",
        "population.csv": "f68c3965bc3e95c0dc5b8a33065b28e5f26736fdf88889038e70d736bedaf5df",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "6020c2fb43cb272682a832a22add52611c75613f1ac6c0a83d4c90a2a4ae476b",
        "captures.csv": "3a14df26c4c9493e62f8c6e0628c764a36a54a2ac3ac79ed04ec5871e08c4fc2",
        "population.csv": "d27dbc6b398ba86f7fc6b52fe0a57bb7c72423e67554dcccceb6b89398f24c82",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "ec9fb8f3c0d88b5e4ad15eb9601137f3b33abc04498d613ee48a13336c0471bd",
        "captures.csv": "d1bd5793f7d4223ae128fa253cb056584d7a8408966f07e403037629943b4bd2",
        "population.csv": "0289530913d70fdfaeb62401b7f7b7199f8657458213f1994319e933cb82350e",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "9604920402d1152381c1b12a47f2cdc7813dd3ff72d509c8deb5a82a20c483f9",
        "captures.csv": "0f4ef0eea49e6c5950e137fe8ad556bf24417504b24d50ab239531d1a815f51d",
        "population.csv": "e950ace4797df67f570741a0f824aed8300d650bb352ad2ea20b8ea69a8f7cf0",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "60021f0f33d9e762d2d9be2ce016bacc2f720cfc645a6f85869942336f86469e",
        "captures.csv": "9b1eb9fabedd94d10603c38cccaea31959233755466fc830b92d36a8facce3b3",
        "population.csv": "348087b2748450bdff69bf049be8f306b5332a940556c1fd599acabda6111900",
    },
    "uncalibrated-1": {
        "daily.csv": "7bbdcd76ec316102dd6fa2de28a4c9af808ec33c2346f8884726cdc94b80f838",
        "captures.csv": "ff76d8c2b5ece78a1546e93cb186aa8e3ae05bfe0942e9670c1457493316c977",
        "population.csv": "7beb6e05b840466967379d9e6bdd0c1a77ff08d784628938b1138b3a0afb42e4",
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
