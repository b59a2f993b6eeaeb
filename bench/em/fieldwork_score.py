#!/usr/bin/python3
"""Scores Fieldwork's EM batch against the synthetic movies' truth, the way relion_peer.py scores RELION.

Usage: fieldwork_score.py MOVIES_DIR ITEMS.csv PICKS.csv DIAMETER_A
ITEMS.csv: movie, shift_x (JSON list), shift_y, defocus_u_um, defocus_v_um, astigmatism_angle_deg (from
`fieldwork sql --format csv`); PICKS.csv: movie, x_px, y_px. Prints one JSON object: drift RMS (mean, max,
px, over all frames, both referenced to frame 0), defocus error (worst relative error of the mean
defocus), and picking recall/precision (a pick matches a true particle within 0.3 x the diameter,
closest pairs first, each at most once).
"""
import csv
import json
import math
import os
import sys


def matching(truth, picks, tol):
    pairs = sorted((math.hypot(t[0] - p[0], t[1] - p[1]), i, j)
                   for i, t in enumerate(truth) for j, p in enumerate(picks)
                   if abs(t[0] - p[0]) <= tol and abs(t[1] - p[1]) <= tol)
    used_t, used_p, matched = set(), set(), 0
    for d, i, j in pairs:
        if d <= tol and i not in used_t and j not in used_p:
            used_t.add(i)
            used_p.add(j)
            matched += 1
    return matched


def main():
    movies_dir, items_csv, picks_csv, diameter = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    picks = {}
    with open(picks_csv) as f:
        for r in csv.DictReader(f):
            picks.setdefault(r["movie"], []).append((float(r["x_px"]), float(r["y_px"])))
    drift, defocus, truths, n_picks, matched = [], [], 0, 0, 0
    with open(items_csv) as f:
        for r in csv.DictReader(f):
            stem = os.path.splitext(r["movie"])[0]
            with open(os.path.join(movies_dir, stem + ".truth.json")) as t:
                truth = json.load(t)
            sx, sy = json.loads(r["shift_x"]), json.loads(r["shift_y"])
            tx, ty = truth["shiftX"], truth["shiftY"]
            sq = sum((sx[i] - sx[0] - tx[i] + tx[0]) ** 2 + (sy[i] - sy[0] - ty[i] + ty[0]) ** 2 for i in range(len(tx)))
            drift.append(math.sqrt(sq / len(tx)))
            if r.get("defocus_u_um") not in (None, "", "NULL"):
                t_mean = (truth["defocusUUm"] + truth["defocusVUm"]) / 2
                defocus.append(abs((float(r["defocus_u_um"]) + float(r["defocus_v_um"])) / 2 - t_mean) / t_mean)
            true_xy = [(p["x"], p["y"]) for p in truth["particles"]]
            mine = picks.get(r["movie"], [])
            truths += len(true_xy)
            n_picks += len(mine)
            matched += matching(true_xy, mine, 0.3 * diameter / truth["pixelSizeA"])
    print(json.dumps({
        "movies": len(drift),
        "drift_rms_mean_px": sum(drift) / len(drift) if drift else None,
        "drift_rms_max_px": max(drift) if drift else None,
        "defocus_error_max": max(defocus) if defocus else None,
        "recall": matched / truths if truths else None,
        "precision": matched / n_picks if n_picks else None,
        "picks": n_picks, "truth": truths,
    }))


if __name__ == "__main__":
    main()
