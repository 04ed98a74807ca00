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
        "daily.csv": "07a20f5d509400a50dd2435b8a961ac35805037fd26e301afdf1297ffd9683e8",
        "captures.csv": "c3b2093a8213171b6f4fb33450485e3af0ec200dd19b2a8d2bbe9dc341179376",
        "population.csv": "90ae4ce3eab97f4ec1de7f8552726d5ebc8f52221730d5914c107779de0015ba",
    },
    "baseline-2": {
        "daily.csv": "1a070e08fd81529d0dd8c0a8c2153f58b9edf020293031e7a1312c242866c5e8",
        "captures.csv": "3fc5a345f7402ba31044c8ebe36b6f754699bc908bb400fce1301492ec187c16",
        "population.csv": "619f53200c16cf957e66dd5b6a61d32b97c4b645e67795689e5d3b2afea34e5b",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "d25ba869ce39c88083ca2fd65172c0e62ba45053a2f46f66a85ae7ca63e27261",
        "captures.csv": "0a68545dbc82084c2903b8dc20cb492b0609d2619f2a699af6939a2fe2307366",
        "population.csv": "4c8ee114627fdd4a2831e641c838f76a89856405ca646ab82c8828d3ec6be71f",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "2a2cd66e3bbf208429832341787c392b87079e8414e5a2012bba85ac22bdae37",
        "captures.csv": "0291853ec9d1af8e3685af7a384f9f38adf170b3d84435be359f3f75b179dbc4",
        "population.csv": "02e9f0129ccbcfddbc8602575a4cd18b314e2722968c868043b13b44f8e0aaf6",
    },
    "early_ceasefire-1": {
        "daily.csv": "9531b717ae0972cf17a93bffb1ee870ee56489c33af0156c6d37a2571cc14827",
        "captures.csv": "a3014aeb2a25a6ce78da0e89aa9c86edbb9f44f5d5267955eb1c72e53a3b6a5c",
        "population.csv": "f9d9e045f6fc6f1bf89e7ec3b931f0e90e747ff3d13df183acd7f4504f68ef9a",
    },
    "escalation_2023_10-1": {
        "daily.csv": "b3f5c05a93cbbb690fad9698bb04fb34e634594248301d2e52ca13f2a6b26489",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "62e00e17c9b264d42bf08b594b0b84083936478893c62b5221e75f5c3f5c6bbb",
        "captures.csv": "aec37aa00aa7b6834813849505304a9858ff39f1ad9137cb43de4f667e4fcd13",
        "population.csv": "b6fd625a9e9d583ed86b1d2c0fbae61965f2a1a717eeab23960af1cc94ff7514",
    },
    "no_russian_air-1": {
        "daily.csv": "a76cbb4e07a634d44d6b82cb9caf5f1425b2c7b44a11634eea19bd46736226c5",
        "captures.csv": "5657d4ab59cc976f0bc90e17e8e8c3ac226d9e88cda25ad04cd2a8c0f618e081",
        "population.csv": "0c7ed46a8988f03309a4bac578df5e63eeca98918d32c5ca8d20ac5483f4c721",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "517c59b0a63450addfb122eb3bb77050b2c29108ba12f3bd06c3d6b104dfaec4",
        "captures.csv": "5118098aa77ad1be814bd18faa388d6a9d438e8efa15e9c2601f9f30e6edc865",
        "population.csv": "ce68785c0282edc5bb85d5edfe5824de298688a029d81633fc707adb4d93d34b",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "e3a7fbe78df393395dce890a3cbc330486d40c8fdd61f92127c237472c46bb24",
        "captures.csv": "fa1c6b28eeda79c2c31d0cdbe65a04735b1dcaaf71f4fe39b4c2d7fadc533c64",
        "population.csv": "74fbc4d3ed72adc7a8f3f906527965c3a3813b5847c7e269b110f6116b9b7011",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "403bf1302b268a1ccd3f14e80bc57f905148219922bcfa348c33e4e65b5fcff4",
        "captures.csv": "2424307e9dd717d5b7ebb99513c01011e12f63b0f357829e60f333fbe918976f",
        "population.csv": "7b3f9ba1c65e637337af6e7206bf34581a43ac481d715c32a6a29b00d3b63ccd",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "52481ca40847dcb66bfd6d8a172ea7bec2f55bff487dbfce4672f40fb5a82317",
        "captures.csv": "54b0fdd4a43408d5aa0e03f528661f12e7381ec53dc7b23f711d4400bd88a102",
        "population.csv": "f8ce06b52d8f100e6691235f9cb89ec0e81722898ae2d2aa18ab93f522b5b560",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "a198fff9e35de5ddf5fd0ffb5fcb2110915c4d484b2c9369321d132197c1417a",
        "captures.csv": "42338f4ff8f9d609627b2d0fb71fe1d8d31f5d48865f30e64ca3b4656afc72aa",
        "population.csv": "44ce4b0a8739c21ae3b04fd5ed4f249bbc305ed88315635f1c3650e87aabbefc",
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
