"""The history-matching section of ``calibration/report.md``.

What the waves found (points, NROY share, the box of the last wave's NROY points, the fit targets no point
of the prior box reaches) and the committed model's own implausibility over the report's ensemble: the
same measure as the waves' (``implausibility``), with R the report's runs, for fit and holdout targets.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def report_section(
    summary: dict[str, Any] | None,
    committed: pd.DataFrame | None,
    figure: str,
    selection: pd.DataFrame | None = None,
) -> list[str]:
    """Markdown for calibration/report.md: the waves, the targets no point reaches, and the committed
    model's own implausibility over the report's ensemble."""
    lines = ["## History matching", ""]
    n_cap = "?"
    if committed is not None:
        n_cap = str(int(((committed["group"] == "capture") & (committed["use"] == "fit")).sum()))
    if summary is None:
        lines += [
            "Not run yet: `idlib-sim calibrate --method history-matching --priors "
            "calibration/priors_history_matching.yaml --seeds 3 --waves 3`.",
            "",
        ]
    else:
        cfg = summary["config"]
        disc = ", ".join(f"{g} {v:g}" for g, v in cfg["discrepancy"].items())
        lines += [
            f"`idlib-sim calibrate --method history-matching --priors {summary.get('priors_file', '...')} "
            f"--seeds {cfg['seeds_per_point']} --points {cfg['points']} --waves {len(summary['waves'])}` "
            f"over {len(summary['parameters'])} parameters (the priors' box), "
            f"{cfg['points']} Latin-hypercube points a wave, "
            f"{cfg['seeds_per_point']} common seeds a point; implausibility "
            "|median error| / sqrt(obs sd² + discrepancy sd² + spread² x (1 + 1/R)), the spread over the "
            "runs that produced the event, cut-off "
            f"{cfg['cutoff']:g} on the {_ordinal(cfg['order'])}largest over the fit targets that some point "
            f"of the first wave matches (discrepancy sd: {disc}; `sim/fit/implausibility.py`).",
            "",
            "The last two columns are the bar's capture figures for the best point of the wave on each (over "
            "its seeds; a few seeds flatter the best of many points).",
            "",
            "| wave | points x seeds | NROY points | best capture median (days) | most within 10 d |",
            "|---|---|---|---|---|",
        ]
        for w in summary["waves"]:
            lines.append(
                f"| {w['wave']} | {w['points']} x {len(w['seeds'])} | {w['nroy']} ({w['nroy_share']:.0%}) | "
                f"{w['best_capture_median_days']:.1f} | {w['best_captures_within_10_days']} of {n_cap} |"
            )
        last = summary["waves"][-1]
        if last["next_box_parameters"]:
            lines += [
                "",
                "Box holding the last wave's NROY points (the prior range in brackets):",
                "",
                "| parameter | NROY box | prior |",
                "|---|---|---|",
            ]
            for (name, lo, hi, _scale), (lo2, hi2) in zip(
                cfg["priors"], last["next_box_parameters"].values(), strict=True
            ):
                lines.append(f"| `{name}` | {lo2:.4g}-{hi2:.4g} | {lo:.4g}-{hi:.4g} |")
        ex = summary["excluded_targets"]
        lines += [
            "",
            "**Fit targets that no point of the prior box reaches** (minimum implausibility over wave 1 at "
            f"or above {cfg['cutoff']:g}): "
            + (
                ", ".join(
                    f"`{t}` ({summary['waves'][0]['targets'][t]['min_implausibility']:.1f})" for t in ex
                )
                or "none"
            )
            + (
                ". Within these priors they are gaps in the mechanics, not in the calibration."
                if ex
                else ": each fit target alone is matched by some point; whether any point matches them all "
                "is the NROY count above."
            ),
            "",
            "| fit target | median implausibility (wave 1) | min (wave 1) | "
            + " | ".join(f"share under {cfg['cutoff']:g}, wave {w['wave']}" for w in summary["waves"])
            + " |",
            "|---|---|---|" + "---|" * len(summary["waves"]),
        ]
        w1 = summary["waves"][0]["targets"]
        order = sorted(
            summary["fit_targets"],
            key=lambda t: (w1[t]["share_below_cutoff"], -w1[t].get("median_implausibility", 0.0)),
        )
        for t in order:
            cells = [
                f"{w1[t].get('median_implausibility', float('nan')):.2f}",
                f"{w1[t]['min_implausibility']:.2f}",
            ]
            cells += [f"{w['targets'][t]['share_below_cutoff']:.0%}" for w in summary["waves"]]
            lines.append(f"| {t} | " + " | ".join(cells) + " |")
        if selection is not None and len(selection):
            lines += [
                "",
                f"**The {len(selection) - 1} points closest to not ruled out, re-scored** with the committed "
                "parameters on the selection seeds (`--select`; fit distance, lower is better; the gain is "
                "the committed parameters' distance minus the candidate's, paired on the same seeds):",
                "",
                "| candidate | mean distance | paired gain over the committed parameters |",
                "|---|---|---|",
            ]
            for _, r in selection.iterrows():
                gain = r.get("paired_gain_vs_committed", float("nan"))
                se = r.get("paired_se", float("nan"))
                lines.append(f"| {r['candidate']} | {r['mean_distance']:.2f} | {gain:+.2f} ± {se:.2f} |")
        lines += ["", f"![History matching]({figure})", ""]
    if committed is not None and len(committed):
        cutoff = summary["config"]["cutoff"] if summary else 3.0
        ex = set(summary["excluded_targets"]) if summary else set()
        fit = committed[committed["use"] == "fit"]
        kept = fit[~fit["id"].isin(ex)]
        worst = kept.sort_values("implausibility", ascending=False)
        runs = int(committed["runs"].iloc[0])
        verdict = "not ruled out" if (worst["implausibility"] < cutoff).all() else "ruled out"
        lines += [
            f"**The committed model** over the report's {runs} runs (the same measure, R = {runs}): "
            f"{verdict} on the matchable fit targets at the cut-off "
            f"{cutoff:g}; its largest implausibilities: "
            + ", ".join(f"`{r.id}` {r.implausibility:.1f}" for r in worst.head(5).itertuples())
            + ". Every target (fit and holdout):",
            "",
            "| target | use | median error | spread | never | obs sd | discrepancy sd | implausibility |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in committed.sort_values(["use", "implausibility"], ascending=[True, False]).itertuples():
            lines.append(
                f"| {r.id} | {r.use} | {r.error_median:.3g} | {r.error_spread:.3g} | {r.share_never:.0%} | "
                f"{r.obs_sd:.3g} | {r.disc_sd:.3g} | {r.implausibility:.2f} |"
            )
        lines.append("")
    return lines


def _ordinal(k: int) -> str:
    return {1: "", 2: "second ", 3: "third "}.get(k, f"{k}th ")
