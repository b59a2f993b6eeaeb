#!/usr/bin/python3
"""The RELION side of the EM benchmark: RELION 3.1's own CPU motion correction and LoG picking on
synthetic movies with known truth, timed and scored the way Fieldwork's results are.

Usage:
  relion_peer.py MOVIES_DIR WORK_DIR --threads N --angpix A --voltage KV --dose E_PER_A2_PER_FRAME
                 --diameter A [--patches P] [--skip-global] [--repeat R] [--pick-lowpass A]
                 [--pick-mpi] [--json OUT.json]
Run it with Debian's /usr/bin/python3 (numpy, mrcfile).

MOVIES_DIR holds <name>.mrc movies (frames x ny x nx; float32, int16 or uint16) and <name>.truth.json with
shiftX, shiftY (px per frame; frame i's content is displaced by +shift relative to frame 0, i.e.
frame_i(x + shift) = frame_0(x)), particles ([{"x", "y"}], frame-0 pixels, 0-based pixel centres,
x along a row, y down the rows) and pixelSizeA.

What runs (from WORK_DIR, which gets a link Movies -> MOVIES_DIR and one folder per step):
- relion_run_motioncorr --use_own --j N --bfactor 150 (px^2), bin 1, one process: RELION corrects
  the movies one after another with N threads each. Run "global" uses --patch_x 1 --patch_y 1;
  run "local" uses P x P patches (default 5, as Fieldwork's default local + global motion). Dose
  weighting is on with --dose_per_frame when --dose > 0 and off when --dose is 0 (Fieldwork's
  rule for its --dose). Each call is timed whole (wall clock, reading and writing included);
  with --repeat R the fastest of R calls counts. Children's CPU seconds and the load average
  before the runs are reported too, as wall times on a shared machine vary with its load.
  The local run's data_global_shift is its global stage, the same trajectory as the global run's.
- relion_autopick --LoG on the corrected micrographs of the last motion run, with --LoG_diam_min
  0.9 x and --LoG_diam_max 1.1 x the diameter and RELION's GUI defaults otherwise (--shrink 0
  --lowpass 20 --LoG_adjust_threshold 0 --LoG_upper_threshold 999). RELION's threshold is
  adaptive per micrograph: the mean (+ adjust x the standard deviation, adjust 0 here) of the best
  LoG response over pixels whose best diameter lies in the requested range. relion_autopick has no
  threads; it runs as one process, since a micrograph takes it about a second (4k at 1.35 A/px)
  and mpirun's start costs more. --pick-mpi runs mpirun -np N relion_autopick_mpi instead (N
  micrographs at a time), for many micrographs.

Conventions, found on synthetic movies (bench/em/make_test_movies.py) and checked here on every run:
- rlnMicrographShiftX/Y in data_global_shift are the shifts RELION applies to align each frame,
  the negative of our displacement, and frame 1 is 0 exactly. The drift error therefore compares
  -(relion_i - relion_0) with (truth_i - truth_0), both referenced to frame 0; its RMS is taken
  over all frames (frame 0 included, where it is 0) as sqrt(mean(dx^2 + dy^2)). The "offset-free"
  RMS also removes the mean error over the frames (the sum's absolute position is arbitrary).
- rlnCoordinateX/Y are 0-based pixel indices of the micrograph (no +1: on noisy soft discs at
  integer centres the mean pick offset was within 0.2 px of 0; RELION writes the index of the
  peak in its working grid divided by the grid's scale), and RELION's aligned sum is in frame-0
  coordinates (both runs), so picks compare with the truth directly. With --lowpass 20 the
  working grid is coarse (pixel size 10 A), so single picks are quantised to a few pixels. A pick matches a truth
  particle within 0.3 x the diameter; pairs are matched closest first, each pick and each truth
  particle at most once.
The summary prints the mean pick-minus-truth offset and warns if the opposite shift sign fits the
truth better, so a convention change shows up.

With --json, writes {"motion": {...}, "motion_global": {...}, "picking": {...}, "machine": {...}}:
"motion" is the run comparable with Fieldwork's default (local when P > 1, else global).
Exit status 2 with the failing file, the reason and the tail of RELION's output when RELION fails.
"""
import argparse
import glob
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time

import mrcfile
import numpy as np

MOTIONCORR = "relion_run_motioncorr"
AUTOPICK = "relion_autopick"
AUTOPICK_MPI = "relion_autopick_mpi"
BFACTOR_PX2 = 150
CS_MM = 2.7
AMPLITUDE_CONTRAST = 0.1
MATCH_FRACTION = 0.3
LOG_MIN_FACTOR = 0.9
LOG_MAX_FACTOR = 1.1
MODE_BYTES = {0: 1, 1: 2, 2: 4, 6: 2}
PROGRESS_BAR = re.compile(r"\s*\d+/\s*\S+ sec [.~]*~~\(,_,\">(\s*\[oo\])?")


class PeerError(Exception):
    """A failure to report: the file concerned, the reason, and RELION's output tail if any."""

    def __init__(self, what, reason, tail=""):
        super().__init__(what + ": " + reason)
        self.what, self.reason, self.tail = what, reason, tail


# ---------------------------------------------------------------- STAR files

def read_star(path):
    """A STAR file as {block name: table}; a table is a list of rows (dicts label -> text) for a
    loop, or one dict for key-value pairs. Labels lose their leading underscore."""
    blocks = {}
    name, rows, labels, in_loop = None, None, None, False
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("data_"):
                name = line[5:]
                blocks[name] = {}
                in_loop, labels = False, None
                continue
            if name is None:
                continue
            if line.startswith("loop_"):
                in_loop, labels, rows = True, [], []
                blocks[name] = rows
                continue
            if line.startswith("_"):
                parts = line.split()
                label = parts[0][1:]
                if in_loop and (len(parts) == 1 or parts[1].startswith("#")):
                    labels.append(label)
                else:
                    blocks[name][label] = parts[1] if len(parts) > 1 else ""
                continue
            if in_loop and labels:
                values = line.split()
                if len(values) >= len(labels):
                    rows.append(dict(zip(labels, values)))
    return blocks


def write_movies_star(path, movie_names, angpix, voltage):
    with open(path, "w") as f:
        f.write("\n# version 30001\n\ndata_optics\n\nloop_\n"
                "_rlnOpticsGroupName #1\n_rlnOpticsGroup #2\n_rlnMicrographOriginalPixelSize #3\n"
                "_rlnVoltage #4\n_rlnSphericalAberration #5\n_rlnAmplitudeContrast #6\n")
        f.write("opticsGroup1 1 %.6f %.6f %.6f %.6f\n" % (angpix, voltage, CS_MM, AMPLITUDE_CONTRAST))
        f.write("\n# version 30001\n\ndata_movies\n\nloop_\n_rlnMicrographMovieName #1\n_rlnOpticsGroup #2\n")
        for m in movie_names:
            f.write("%s 1\n" % m)


# ---------------------------------------------------------------- running RELION

def tail(path, lines=25):
    try:
        with open(path, errors="replace") as f:
            text = f.read().replace("\r", "\n")
    except OSError:
        return ""
    kept = [l.strip() for l in PROGRESS_BAR.sub("\n", text).splitlines() if l.strip()]
    return "\n".join(kept[-lines:])


def mentions(path, needle):
    """The lines of a RELION log that name needle (RELION says why it skipped a movie on one line)."""
    try:
        with open(path, errors="replace") as f:
            text = PROGRESS_BAR.sub("\n", f.read().replace("\r", "\n"))
    except OSError:
        return ""
    return "\n".join(l.strip() for l in text.splitlines() if needle in l and not l.strip().startswith("*"))


def failure_tail(log, work_dir, out):
    """RELION's own output, then the per-movie logs that mention an error."""
    parts = [tail(log)]
    for movie_log in sorted(glob.glob(os.path.join(work_dir, out, "Movies", "*.log"))):
        text = tail(movie_log, 8)
        if "error" in text.lower():
            parts.append("--- " + movie_log + " ---\n" + text)
    return "\n".join(p for p in parts if p)


def run_timed(cmd, cwd, log_path, env=None):
    """Runs cmd with its output to log_path; returns (wall seconds, children's CPU seconds, rc)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        with open(log_path, "w") as log:
            rc = subprocess.run(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env).returncode
    except FileNotFoundError:
        raise PeerError(cmd[0], "not found on PATH (Debian package relion; MPI runs need mpirun)")
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, rc


# ---------------------------------------------------------------- inputs

class Movie:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".mrc")]
        try:
            with open(path, "rb") as f:
                header = f.read(1024)
            if len(header) < 1024:
                raise ValueError("shorter than an MRC header")
            h = np.frombuffer(header, dtype=mrcfile.dtypes.HEADER_DTYPE, count=1)[0]
            if h["map"] != b"MAP ":
                raise ValueError("no 'MAP ' tag in the header")
            self.nx, self.ny, self.nz = int(h["nx"]), int(h["ny"]), int(h["nz"])
            self.mode = int(h["mode"])
            if self.mode not in MODE_BYTES:
                raise ValueError("mode %d is not a movie mode RELION reads (0, 1, 2, 6)" % self.mode)
            expected = 1024 + int(h["nsymbt"]) + self.nx * self.ny * self.nz * MODE_BYTES[self.mode]
            size = os.path.getsize(path)
            if size < expected:
                raise ValueError("truncated: %d bytes, the header promises %d" % (size, expected))
        except (OSError, ValueError) as e:
            raise PeerError(path, "not a usable MRC movie (%s)" % e)
        truth_path = path[:-len(".mrc")] + ".truth.json"
        try:
            with open(truth_path) as f:
                t = json.load(f)
            self.shift_x = np.asarray(t["shiftX"], float)
            self.shift_y = np.asarray(t["shiftY"], float)
            self.particles = np.asarray([[p["x"], p["y"]] for p in t["particles"]], float).reshape(-1, 2)
            self.pixel_size = float(t["pixelSizeA"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise PeerError(truth_path, "truth file missing or incomplete (%s: %s)" % (type(e).__name__, e))
        if len(self.shift_x) != self.nz or len(self.shift_y) != self.nz:
            raise PeerError(truth_path, "%d shifts for a movie of %d frames" % (len(self.shift_x), self.nz))


def find_movies(movies_dir):
    paths = sorted(glob.glob(os.path.join(movies_dir, "*.mrc")))
    if not paths:
        raise PeerError(movies_dir, "no *.mrc movies there")
    for p in paths:
        if any(c.isspace() for c in os.path.basename(p)):
            raise PeerError(p, "a file name with white space cannot go into a STAR file")
    return [Movie(p) for p in paths]


def link_movies(work_dir, movies_dir):
    link = os.path.join(work_dir, "Movies")
    target = os.path.abspath(movies_dir)
    if os.path.islink(link):
        os.unlink(link)
    elif os.path.exists(link):
        raise PeerError(link, "exists and is not a link; give an empty or earlier WORK_DIR")
    os.symlink(target, link)


# ---------------------------------------------------------------- motion

def drift_errors(movie, relion_x, relion_y):
    """Per-frame error of RELION's drift against the truth, both relative to frame 0 (RELION's
    shifts negated: they are the corrections, the truth is the displacement)."""
    ex = -(relion_x - relion_x[0]) - (movie.shift_x - movie.shift_x[0])
    ey = -(relion_y - relion_y[0]) - (movie.shift_y - movie.shift_y[0])
    return ex, ey


def run_motion(label, movies, args, work_dir, patches):
    out = "MotionCorr_%s/" % label
    cmd = [MOTIONCORR, "--i", "movies.star", "--o", out, "--use_own", "--j", str(args.threads),
           "--bin_factor", "1", "--bfactor", str(BFACTOR_PX2), "--patch_x", str(patches), "--patch_y", str(patches),
           "--angpix", repr(args.angpix), "--voltage", repr(args.voltage), "--dose_per_frame", repr(max(args.dose, 0)),
           "--preexposure", "0"]
    if args.dose > 0:
        cmd.append("--dose_weighting")
    log = os.path.join(work_dir, "motioncorr_%s.log" % label)
    walls, cpus = [], []
    for _ in range(args.repeat):
        shutil.rmtree(os.path.join(work_dir, out), ignore_errors=True)
        wall, cpu, rc = run_timed(cmd, work_dir, log)
        if rc != 0:
            raise PeerError(MOTIONCORR + " (" + log + ")", "exit status %d" % rc, failure_tail(log, work_dir, out))
        walls.append(wall)
        cpus.append(cpu)
    wall, cpu = min(walls), cpus[walls.index(min(walls))]
    corrected = os.path.join(work_dir, out, "corrected_micrographs.star")
    if not os.path.exists(corrected):
        raise PeerError(corrected, "not written (see %s)" % log, failure_tail(log, work_dir, out))

    per_movie = []
    for m in movies:
        star = os.path.join(work_dir, out, "Movies", m.name + ".star")
        movie_log = os.path.join(work_dir, out, "Movies", m.name + ".log")
        if not os.path.exists(star):
            said = mentions(log, "Movies/" + m.name + ".mrc")
            raise PeerError(m.path, "RELION wrote no shifts (%s missing)%s" % (star, ": " + said if said else ""),
                            tail(movie_log) or tail(log))
        rows = read_star(star).get("global_shift")
        if not isinstance(rows, list) or not rows:
            raise PeerError(star, "no data_global_shift table", tail(movie_log))
        rows.sort(key=lambda r: int(r["rlnMicrographFrameNumber"]))
        rx = np.array([float(r["rlnMicrographShiftX"]) for r in rows])
        ry = np.array([float(r["rlnMicrographShiftY"]) for r in rows])
        if len(rx) != m.nz:
            raise PeerError(star, "%d shifts for %d frames" % (len(rx), m.nz), tail(movie_log))
        ex, ey = drift_errors(m, rx, ry)
        rms = float(np.sqrt(np.mean(ex ** 2 + ey ** 2)))
        rms_free = float(np.sqrt(np.mean((ex - ex.mean()) ** 2 + (ey - ey.mean()) ** 2)))
        # the opposite sign, as a guard against a convention change on either side
        fx = (rx - rx[0]) - (m.shift_x - m.shift_x[0])
        fy = (ry - ry[0]) - (m.shift_y - m.shift_y[0])
        rms_flipped = float(np.sqrt(np.mean(fx ** 2 + fy ** 2)))
        truth_path = float(np.sqrt(np.mean((m.shift_x - m.shift_x[0]) ** 2 + (m.shift_y - m.shift_y[0]) ** 2)))
        per_movie.append({"movie": m.name, "drift_rms_px": rms, "drift_rms_offset_free_px": rms_free,
                          "drift_rms_if_sign_flipped_px": rms_flipped, "truth_drift_rms_px": truth_path,
                          "micrograph": os.path.join(out, "Movies", m.name + ".mrc")})
    n = len(movies)
    rmss = [p["drift_rms_px"] for p in per_movie]
    return {
        "run": label,
        "seconds": wall,
        "seconds_all_repeats": walls,
        "cpu_seconds": cpu,
        "movies": n,
        "seconds_per_movie": wall / n,
        "movies_per_min": 60.0 * n / wall,
        "drift_rms_mean_px": float(np.mean(rmss)),
        "drift_rms_max_px": float(np.max(rmss)),
        "drift_rms_offset_free_mean_px": float(np.mean([p["drift_rms_offset_free_px"] for p in per_movie])),
        "per_movie": per_movie,
        "corrected_star": os.path.join(out, "corrected_micrographs.star"),
        "settings": {
            "program": MOTIONCORR + " --use_own", "threads_per_movie": args.threads, "processes": 1,
            "patches": "%dx%d" % (patches, patches) if patches > 1 else "none (global only)",
            "bfactor_px2": BFACTOR_PX2, "bin": 1, "max_iter": 5,
            "dose_weighting": args.dose > 0, "dose_per_frame_e_per_A2": args.dose,
            "angpix": args.angpix, "voltage_kv": args.voltage,
        },
        "command": " ".join(cmd),
        "log": log,
    }


# ---------------------------------------------------------------- picking

def match(picks, truth, radius):
    """Greedy closest-first one-to-one matching within radius; returns matched (pick, truth) pairs."""
    if len(picks) == 0 or len(truth) == 0:
        return []
    d = np.hypot(picks[:, None, 0] - truth[None, :, 0], picks[:, None, 1] - truth[None, :, 1])
    cand = np.argwhere(d <= radius)
    order = np.argsort(d[cand[:, 0], cand[:, 1]], kind="stable")
    used_p, used_t, pairs = set(), set(), []
    for i, j in cand[order]:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
            pairs.append((i, j))
    return pairs


def run_picking(motion, movies, args, work_dir):
    odir = "AutoPick/"
    shutil.rmtree(os.path.join(work_dir, odir), ignore_errors=True)
    dmin, dmax = LOG_MIN_FACTOR * args.diameter, LOG_MAX_FACTOR * args.diameter
    relion_args = ["--i", motion["corrected_star"], "--odir", odir, "--pickname", "autopick", "--LoG",
                   "--LoG_diam_min", "%.3f" % dmin, "--LoG_diam_max", "%.3f" % dmax, "--angpix", repr(args.angpix),
                   "--shrink", "0", "--lowpass", repr(args.pick_lowpass), "--LoG_adjust_threshold", "0",
                   "--LoG_upper_threshold", "999"]
    processes = args.threads if args.pick_mpi else 1
    env = None
    if processes > 1:
        cmd = ["mpirun", "-np", str(processes)]
        if processes > (os.cpu_count() or 1):
            cmd.append("--oversubscribe")
        cmd += [AUTOPICK_MPI] + relion_args
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # Open MPI refuses root without these
            env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    else:
        cmd = [AUTOPICK] + relion_args
    log = os.path.join(work_dir, "autopick.log")
    wall, cpu, rc = run_timed(cmd, work_dir, log, env)
    if rc != 0:
        program = " ".join(cmd[:3] + [AUTOPICK_MPI]) if processes > 1 else AUTOPICK
        raise PeerError(program + " (" + log + ")", "exit status %d" % rc, tail(log))

    radius_px = MATCH_FRACTION * args.diameter / args.angpix
    n_picks = n_truth = n_matched = 0
    offsets, per_movie = [], []
    for m, pm in zip(movies, motion["per_movie"]):
        coords = os.path.join(work_dir, odir, os.path.splitext(pm["micrograph"])[0] + "_autopick.star")
        if not os.path.exists(coords):
            raise PeerError(m.path, "RELION wrote no coordinates (%s missing)" % coords, tail(log))
        blocks = read_star(coords)
        rows = next((t for t in blocks.values() if isinstance(t, list)), [])
        picks = np.array([[float(r["rlnCoordinateX"]), float(r["rlnCoordinateY"])] for r in rows]).reshape(-1, 2)
        pairs = match(picks, m.particles, radius_px)
        for i, j in pairs:
            offsets.append(picks[i] - m.particles[j])
        n_picks += len(picks)
        n_truth += len(m.particles)
        n_matched += len(pairs)
        per_movie.append({"movie": m.name, "picks": len(picks), "truth": len(m.particles), "matched": len(pairs)})
    mean_offset = np.mean(offsets, axis=0).tolist() if offsets else [float("nan")] * 2
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "seconds_per_micrograph": wall / len(movies),
        "recall": n_matched / n_truth if n_truth else float("nan"),
        "precision": n_matched / n_picks if n_picks else float("nan"),
        "picks": n_picks,
        "truth": n_truth,
        "matched": n_matched,
        "match_radius_px": radius_px,
        "mean_pick_offset_px": mean_offset,
        "per_movie": per_movie,
        "settings": {
            "program": (AUTOPICK_MPI + " via mpirun") if processes > 1 else AUTOPICK, "processes": processes,
            "threads_per_process": 1, "micrographs_from": motion["run"] + " motion run",
            "LoG_diam_min_A": dmin, "LoG_diam_max_A": dmax, "lowpass_A": args.pick_lowpass, "shrink": 0,
            "threshold": "RELION adaptive per micrograph: mean of the best LoG response where the best "
                         "diameter is in range (LoG_adjust_threshold 0), LoG_upper_threshold 999",
        },
        "command": " ".join(cmd),
        "log": log,
    }


# ---------------------------------------------------------------- main

def summary(result):
    lines = []
    mach = result["machine"]
    lines.append("RELION %s, %d movie(s) of %s, %d thread(s); load average before %.2f on %d CPUs"
                 % (mach["relion_version"], mach["movies"], mach["movie_shape"], mach["threads"],
                    mach["load_avg_before"], mach["cpus"]))
    for key in ("motion_global", "motion"):
        mo = result.get(key)
        if mo is None or (key == "motion_global" and mo is result.get("motion")):
            continue
        s = mo["settings"]
        lines.append("motion %-6s (%s, DW %s): %.2f s total, %.2f s/movie, %.2f movies/min (CPU %.1f s); "
                     "drift RMS error mean %.3f px, max %.3f px (offset-free mean %.3f px)"
                     % (mo["run"], s["patches"], "on" if s["dose_weighting"] else "off", mo["seconds"],
                        mo["seconds_per_movie"], mo["movies_per_min"], mo["cpu_seconds"], mo["drift_rms_mean_px"],
                        mo["drift_rms_max_px"], mo["drift_rms_offset_free_mean_px"]))
    pk = result.get("picking")
    if pk:
        lines.append("picking LoG %.0f-%.0f A on the %s, %d process(es): %.2f s total, %.2f s/micrograph; "
                     "recall %.3f, precision %.3f (%d picks, %d of %d particles within %.1f px; "
                     "mean offset %+.2f, %+.2f px)"
                     % (pk["settings"]["LoG_diam_min_A"], pk["settings"]["LoG_diam_max_A"],
                        pk["settings"]["micrographs_from"], pk["settings"]["processes"], pk["seconds"],
                        pk["seconds_per_micrograph"], pk["recall"], pk["precision"], pk["picks"], pk["matched"],
                        pk["truth"], pk["match_radius_px"], pk["mean_pick_offset_px"][0], pk["mean_pick_offset_px"][1]))
    if "relion_max_rss_gb" in mach:
        lines.append("largest RELION process: %.2f GB resident" % mach["relion_max_rss_gb"])
    return "\n".join(lines)


def relion_version():
    try:
        out = subprocess.run([MOTIONCORR, "--version"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if "version" in line.lower():
                return line.split(":", 1)[-1].strip()
    except OSError:
        pass
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("movies_dir")
    ap.add_argument("work_dir")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--angpix", type=float, required=True)
    ap.add_argument("--voltage", type=float, required=True, help="kV")
    ap.add_argument("--dose", type=float, required=True, help="e/A^2 per frame; 0: no dose weighting")
    ap.add_argument("--diameter", type=float, required=True, help="particle diameter (A)")
    ap.add_argument("--patches", type=int, default=5, help="local motion run on P x P patches; 0 or 1: none")
    ap.add_argument("--skip-global", action="store_true", help="no separate global-only motion run")
    ap.add_argument("--pick-lowpass", type=float, default=20.0, help="LoG lowpass (A), RELION GUI default 20")
    ap.add_argument("--pick-mpi", action="store_true", help="pick with N MPI ranks instead of one process")
    ap.add_argument("--repeat", type=int, default=1, help="run each motion correction R times, report the fastest")
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.repeat < 1 or args.threads < 1 or args.angpix <= 0 or args.voltage <= 0 or args.dose < 0 or args.diameter <= 0:
        ap.error("--threads, --angpix, --voltage and --diameter must be positive, --dose zero or more")
    if args.patches > 1 and args.skip_global:
        labels = [("local", args.patches)]
    elif args.patches > 1:
        labels = [("global", 1), ("local", args.patches)]
    else:
        labels = [("global", 1)]

    try:
        movies = find_movies(args.movies_dir)
        for m in movies:
            if abs(m.pixel_size - args.angpix) > 1e-3 * args.angpix:
                print("relion_peer: warning: %s: truth pixel size %.4f A, --angpix %.4f A"
                      % (m.path, m.pixel_size, args.angpix), file=sys.stderr)
        shapes = sorted({"%dx%dx%d" % (m.nx, m.ny, m.nz) for m in movies})
        os.makedirs(args.work_dir, exist_ok=True)
        link_movies(args.work_dir, args.movies_dir)
        write_movies_star(os.path.join(args.work_dir, "movies.star"), ["Movies/%s.mrc" % m.name for m in movies],
                          args.angpix, args.voltage)
        result = {"machine": {"relion_version": relion_version(), "cpus": os.cpu_count(), "threads": args.threads,
                              "load_avg_before": os.getloadavg()[0], "movies": len(movies),
                              "movie_shape": ",".join(shapes), "movie_modes": sorted({m.mode for m in movies})}}
        runs = {}
        for label, patches in labels:
            runs[label] = run_motion(label, movies, args, args.work_dir, patches)
        comparable = runs.get("local") or runs["global"]
        result["motion"] = comparable
        if "global" in runs:
            result["motion_global"] = runs["global"]
        result["picking"] = run_picking(comparable, movies, args, args.work_dir)
    except PeerError as e:
        print("relion_peer: %s: %s" % (e.what, e.reason), file=sys.stderr)
        if e.tail:
            print("--- last lines of RELION's output ---\n" + e.tail, file=sys.stderr)
        sys.exit(2)

    for mo in runs.values():
        for p in mo["per_movie"]:
            if p["drift_rms_if_sign_flipped_px"] < p["drift_rms_px"]:
                print("relion_peer: warning: %s (%s run): RELION's shifts fit the truth better without negation "
                      "(%.3f vs %.3f px): check the shift conventions"
                      % (p["movie"], mo["run"], p["drift_rms_if_sign_flipped_px"], p["drift_rms_px"]),
                      file=sys.stderr)
    result["machine"]["relion_max_rss_gb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2 ** 20
    print(summary(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
