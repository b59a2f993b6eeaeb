"""Independent oracle of PyAMA's per-FOV algorithms (specs/microscopy.md, "The reference
algorithms"), written from the spec alone in plain numpy/scipy, for the microscopy tests and
benchmark. Run it with Debian's python (numpy 1.24, scipy 1.10): /usr/bin/python3 pyama_oracle.py

Arrays travel as raw little-endian files in C order (frame, row, column); no headers.
  binarize   IN.raw H W OUT.raw                    IN float64 H*W -> OUT uint8 H*W (0/1)
  background FL.raw MASK.raw T H W OUT_BG.raw OUT_GAIN.raw OUT_CORR.raw [--div-horiz 7] [--div-vert 5]
             FL float64, MASK uint8 (T*H*W) -> bg float64 T*H*W, gain float64 H*W,
             corrected float32 T*H*W; a tile without background pixels: exit 3
  traces     MASK.raw CORR.raw T H W OUT.csv [--fov 0] [--ignore-max-area 300]
             [--good-min-area 1000] [--good-max-area 10000]
             MASK uint8 (cleaned masks), CORR float32 -> traces.csv (PyAMA's columns)
  pipeline   PC.raw FL.raw T H W OUTDIR [--fov 0] [--div-horiz 7] [--div-vert 5]
             phase contrast and fluorescence float64 -> OUTDIR/binarized.raw (uint8),
             corrected.raw (float32), traces.csv, timing.json (seconds per step and per frame)
  synth      OUTDIR T H W [--seed 0]               synthetic pc.raw / fl.raw (float64) to try it on
  selftest                                         hand-computable checks; exit 0 when all pass
Errors go to stderr with a non-zero exit (3: invalid frame for background, 2: anything else).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from scipy import ndimage
from scipy.interpolate import CubicSpline


class InvalidFrame(Exception):
    """A frame whose background cannot be estimated (a tile with no background pixel)."""


# ---------------------------------------------------------------- binarization

CROSS3 = ndimage.generate_binary_structure(2, 1)            # 3x3 cross
SQUARE3 = np.ones((3, 3), bool)                             # 3x3 square
ROUND5 = np.ones((5, 5), bool)
ROUND5[0, 0] = ROUND5[0, 4] = ROUND5[4, 0] = ROUND5[4, 4] = False   # 5x5 square less its corners


def local_sq_dev(img):
    """S: sum over the 3x3 window of (v - window mean)^2, borders mirrored without repeating the
    edge. Both sums run over the window in raster order (dy = -1..1, then dx = -1..1)."""
    a = np.asarray(img, np.float64)
    h, w = a.shape
    p = np.pad(a, 1, mode='reflect')                        # index -1 -> 1, n -> n-2
    shifts = [p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    total = shifts[0].copy()
    for s in shifts[1:]:
        total += s
    mean = total / 9.0
    S = (shifts[0] - mean) ** 2
    for s in shifts[1:]:
        S += (s - mean) ** 2
    return S


def log_std(S):
    """L = (ln S - ln 8) / 2 where S > 0, else 0."""
    L = np.zeros_like(S)
    pos = S > 0
    L[pos] = (np.log(S[pos]) - np.log(8.0)) / 2.0
    return L


def threshold(L):
    """m = centre of the first fullest of 200 numpy bins; returns (m, sigma, m + 3 sigma)."""
    counts, edges = np.histogram(L, bins=200)
    k = int(np.argmax(counts))
    m = (edges[k] + edges[k + 1]) / 2.0
    sigma = float(np.std(L[L <= m]))
    return m, sigma, m + 3.0 * sigma


def clean_mask(mask):
    m = ndimage.binary_dilation(mask, structure=SQUARE3, border_value=0)
    m = ndimage.binary_fill_holes(m)                        # background 4-connected to the border stays
    m &= ndimage.binary_opening(m, structure=ROUND5, iterations=2, border_value=0)
    m = ndimage.binary_erosion(m, structure=CROSS3, border_value=1)
    return m


def binarize(img):
    """Phase-contrast frame (H, W) -> uint8 0/1 mask."""
    L = log_std(local_sq_dev(img))
    _, _, thr = threshold(L)
    return clean_mask(L >= thr).astype(np.uint8)


# ---------------------------------------------------------------- background (Schwarzfischer)

def tile_bounds(n, div):
    """Tile i spans [b[i], b[i+2]) for i = 0 .. 2*div-4; centres (b[i] + b[i+2]) / 2."""
    b = np.round(np.linspace(0, n, 2 * div - 1)).astype(int)  # np.round: half to even
    starts, ends = b[:-2], b[2:]
    return starts, ends, (starts + ends) / 2.0


def tile_medians(fl, mask, div_horiz, div_vert, frame=0):
    h, w = fl.shape
    ys, ye, cy = tile_bounds(h, div_vert)
    xs, xe, cx = tile_bounds(w, div_horiz)
    med = np.empty((len(ys), len(xs)))
    for j in range(len(ys)):
        for i in range(len(xs)):
            f = fl[ys[j]:ye[j], xs[i]:xe[i]]
            v = f[mask[ys[j]:ye[j], xs[i]:xe[i]] == 0]
            if v.size == 0:
                raise InvalidFrame('frame %d: tile (y %d, x %d) = rows [%d, %d) x columns [%d, %d) '
                                   'has no background pixel' % (frame, j, i, ys[j], ye[j], xs[i], xe[i]))
            med[j, i] = np.median(v)
    return med, cy, cx


def interp_axis(centres, values, n, axis):
    """Not-a-knot cubic spline through (centres, values) along axis, evaluated at 0..n-1 clamped
    to [centres[0], centres[-1]]. One centre: constant (scipy needs two; decision of this oracle)."""
    pos = np.clip(np.arange(n, dtype=np.float64), centres[0], centres[-1])
    if len(centres) == 1:
        return np.repeat(np.take(values, [0], axis=axis), n, axis=axis)
    return CubicSpline(centres, values, axis=axis, bc_type='not-a-knot')(pos)


def interpolate_background(med, cy, cx, h, w):
    rows = interp_axis(cx, med, w, axis=1)                  # along x for every tile row: (ny, W)
    return interp_axis(cy, rows, h, axis=0)                 # along y for every column: (H, W)


def background(fl, masks, div_horiz=7, div_vert=5):
    """fl (T, H, W) float64, masks (T, H, W) -> (bg float64, gain float64, corrected float32)."""
    fl = np.asarray(fl, np.float64)
    t, h, w = fl.shape
    bg = np.empty_like(fl)
    for k in range(t):
        med, cy, cx = tile_medians(fl[k], masks[k], div_horiz, div_vert, frame=k)
        bg[k] = interpolate_background(med, cy, cx, h, w)
    means = bg.reshape(t, -1).mean(axis=1)
    gain = np.median(bg / means[:, None, None], axis=0)
    corrected = ((fl - bg) / gain).astype(np.float32)
    return bg, gain, corrected


# ---------------------------------------------------------------- labels, tracking, traces

def label_raster(mask):
    """4-connected labels 1..n numbered in raster order of each region's first pixel."""
    lab, n = ndimage.label(mask)
    if n == 0:
        return lab, 0
    flat = lab.ravel()
    nz = np.flatnonzero(flat)
    ids, first = np.unique(flat[nz], return_index=True)
    new = np.zeros(n + 1, lab.dtype)
    new[ids[np.argsort(first)]] = np.arange(1, n + 1)
    return new[lab], n


def region_classes(lab, n, ignore_max=300, good_min=1000, good_max=10000):
    area = np.bincount(lab.ravel(), minlength=n + 1)
    edge = np.zeros(n + 1, bool)
    edge[np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])] = True
    ignored = area <= ignore_max
    good = ~edge & (area >= good_min) & (area <= good_max)
    edge[0] = ignored[0] = True
    good[0] = False
    return area, edge, ignored, good


def track_all(labels, classes):
    """labels: per frame (lab, n); classes: per frame (area, edge, ignored, good).
    Returns every trace begun in frame 0, in frame-0 label order: (per-frame labels, 0 where the
    trace has no region, valid flags)."""
    T = len(labels)
    lab0, n0 = labels[0]
    ignored0, edge0 = classes[0][2], classes[0][1]
    regions, valid, carry = [], [], {}                      # carry: region of frame t-1 -> trace
    for r in range(1, n0 + 1):
        if ignored0[r]:
            continue
        carry[r] = len(regions)
        regions.append([r] + [0] * (T - 1))
        valid.append(not edge0[r])
    for t in range(1, T):
        prev, _ = labels[t - 1]
        cur, n = labels[t]
        _, edge, ignored, _ = classes[t]
        both = (prev > 0) & (cur > 0)
        pairs = np.unique(np.stack([cur[both], prev[both]], axis=1), axis=0)
        parents = {}
        for c, p in pairs:
            if int(p) in carry:
                parents.setdefault(int(c), []).append(carry[int(p)])
        new_carry, taken = {}, set()
        for r in range(1, n + 1):
            if ignored[r]:
                continue
            ps = parents.get(r, [])
            if not ps:
                continue
            if len(ps) >= 2:                                # merge
                for tr in ps:
                    valid[tr] = False
                continue
            tr = ps[0]
            if tr in taken:                                 # division: the later region is skipped
                valid[tr] = False
                continue
            taken.add(tr)
            new_carry[r] = tr
            regions[tr][t] = r
            if edge[r]:
                valid[tr] = False
        carry = new_carry
    return regions, valid


def track(labels, classes):
    """The kept traces (a region in every frame, never invalidated) as per-frame label lists."""
    regions, valid = track_all(labels, classes)
    return [regions[i] for i in range(len(regions)) if valid[i] and all(regions[i])]


def traces(masks, corrected, fov=0, ignore_max=300, good_min=1000, good_max=10000):
    """masks (T, H, W) 0/1, corrected (T, H, W) float32 -> list of CSV rows (tuples)."""
    T, h, w = masks.shape
    labels = [label_raster(masks[t] != 0) for t in range(T)]
    classes = [region_classes(lab, n, ignore_max, good_min, good_max) for lab, n in labels]
    kept = track(labels, classes)
    cols = np.tile(np.arange(w, dtype=np.float64), h)
    rows = np.repeat(np.arange(h, dtype=np.float64), w)
    stats = []
    for t in range(T):
        lab, n = labels[t]
        flat = lab.ravel()
        sx = np.bincount(flat, weights=cols, minlength=n + 1)
        sy = np.bincount(flat, weights=rows, minlength=n + 1)
        # bincount adds the weights one pixel after the other in raster order, in float64
        si = np.bincount(flat, weights=corrected[t].astype(np.float64).ravel(), minlength=n + 1)
        stats.append((sx, sy, si))
    out = []
    for cell_id, regs in enumerate(kept, start=1):
        for t, r in enumerate(regs):
            area, _, _, good = classes[t]
            sx, sy, si = stats[t]
            a = int(area[r])
            out.append((fov, cell_id, t, bool(good[r]), float(sx[r] / a), float(sy[r] / a), a,
                        float(si[r]), float(si[r] / a)))
    return out


CSV_HEADER = 'fov,cell_id,frame,good,position_x,position_y,area,intensity_total,intensity_mean'


def write_csv(path, rows):
    with open(path, 'w') as f:
        f.write(CSV_HEADER + '\n')
        for fov, cid, t, good, px, py, a, tot, mean in rows:
            f.write('%d,%d,%d,%s,%r,%r,%d,%r,%r\n' % (fov, cid, t, good, px, py, a, tot, mean))


# ---------------------------------------------------------------- pipeline

def pipeline(pc, fl, fov=0, div_horiz=7, div_vert=5):
    """pc, fl (T, H, W) -> (masks uint8, corrected float32, rows, seconds per step)."""
    T = pc.shape[0]
    t0 = time.perf_counter()
    masks = np.stack([binarize(pc[t]) for t in range(T)])
    t1 = time.perf_counter()
    _, _, corrected = background(fl, masks, div_horiz, div_vert)
    t2 = time.perf_counter()
    rows = traces(masks, corrected, fov)
    t3 = time.perf_counter()
    return masks, corrected, rows, {'binarize': t1 - t0, 'background': t2 - t1, 'traces': t3 - t2}


def run_pipeline(pc_path, fl_path, T, H, W, outdir, fov=0, div_horiz=7, div_vert=5):
    """The `pipeline` command as a function (bench/microscopy/pyama_reference.py calls it);
    returns the timing record it writes to OUTDIR/timing.json."""
    t0 = time.perf_counter()
    pc = read_raw(pc_path, '<f8', (T, H, W))
    fl = read_raw(fl_path, '<f8', (T, H, W))
    t_read = time.perf_counter() - t0
    masks, corrected, rows, steps = pipeline(pc, fl, fov, div_horiz, div_vert)
    t0 = time.perf_counter()
    os.makedirs(outdir, exist_ok=True)
    masks.astype('u1').tofile(os.path.join(outdir, 'binarized.raw'))
    corrected.astype('<f4').tofile(os.path.join(outdir, 'corrected.raw'))
    write_csv(os.path.join(outdir, 'traces.csv'), rows)
    t_write = time.perf_counter() - t0
    compute = sum(steps.values())
    timing = {'frames': T, 'height': H, 'width': W, 'cells': len({r[1] for r in rows}),
              'seconds': dict(steps, read=t_read, write=t_write, compute=compute),
              'seconds_per_frame': {k: v / T for k, v in dict(steps, compute=compute).items()}}
    with open(os.path.join(outdir, 'timing.json'), 'w') as f:
        json.dump(timing, f, indent=1)
    return timing


# ---------------------------------------------------------------- raw files

def read_raw(path, dtype, shape):
    a = np.fromfile(path, dtype=dtype)
    if a.size != int(np.prod(shape)):
        raise ValueError('%s: %d values of %s, expected %s = %d'
                         % (path, a.size, dtype, 'x'.join(map(str, shape)), int(np.prod(shape))))
    return a.reshape(shape)


# ---------------------------------------------------------------- synthetic data

def synth(T, H, W, seed=0):
    """A few elliptic cells (bright halo, textured dark interior) on a low-noise phase-contrast
    background; fluorescence: vignetted background plus bright cells. Returns (pc, fl) float64."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    ncells = max(3, int(round(8 * H * W / 256.0 ** 2)))
    ay = rng.uniform(14, 22, ncells)
    ax = rng.uniform(20, 30, ncells)
    cy, cx = np.empty(ncells), np.empty(ncells)
    placed = 0
    for _ in range(200 * ncells):                           # centres far enough apart not to touch
        if placed == ncells:
            break
        y, x = rng.uniform(40, H - 40), rng.uniform(40, W - 40)
        if all(np.hypot(y - cy[k], x - cx[k]) > 1.3 * (ax[k] + ax[placed]) + 6 * T for k in range(placed)):
            cy[placed], cx[placed] = y, x
            placed += 1
    ncells = placed
    th = rng.uniform(0, np.pi, ncells)
    vy, vx = rng.normal(0, 1.5, ncells), rng.normal(0, 1.5, ncells)
    bright = rng.uniform(300, 900, ncells)
    r2 = ((xx - W / 2) / (W / 2)) ** 2 + ((yy - H / 2) / (H / 2)) ** 2
    vignette = 400.0 * (1.0 - 0.35 * r2)
    pc = np.empty((T, H, W))
    fl = np.empty((T, H, W))
    for t in range(T):
        p = 1000.0 + rng.normal(0, 2.0, (H, W))
        f = vignette * (1.0 + 0.02 * t) + rng.normal(0, 3.0, (H, W))
        for c in range(ncells):
            y0, x0 = cy[c] + vy[c] * t, cx[c] + vx[c] * t
            dy, dx = yy - y0, xx - x0
            u = (dx * np.cos(th[c]) + dy * np.sin(th[c])) / ax[c]
            v = (-dx * np.sin(th[c]) + dy * np.cos(th[c])) / ay[c]
            rho = np.sqrt(u * u + v * v)
            inside = rho <= 1.0
            halo = (rho > 1.0) & (rho <= 1.25)
            p[inside] = 700.0 + rng.normal(0, 40.0, inside.sum())
            p[halo] += 350.0 * (1.25 - rho[halo]) / 0.25
            f[inside] += bright[c] * (1.0 + 0.05 * t)
        pc[t], fl[t] = p, f
    return pc, fl


# ---------------------------------------------------------------- self test

def _brute_S(a):
    h, w = a.shape

    def m(i, n):
        return 1 if i == -1 and n > 1 else (n - 2 if i == n else i)

    S = np.zeros((h, w))
    for y in range(h):
        for x in range(w):
            win = [a[m(y + dy, h), m(x + dx, w)] for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
            mu = sum(win) / 9.0
            S[y, x] = sum((v - mu) ** 2 for v in win)
    return S


def _brute_morph(mask, st, erode, outside):
    h, w = mask.shape
    k = st.shape[0] // 2
    out = np.zeros_like(mask)
    for y in range(h):
        for x in range(w):
            vals = []
            for dy in range(-k, k + 1):
                for dx in range(-k, k + 1):
                    if st[dy + k, dx + k]:
                        yy, xx = y + dy, x + dx
                        vals.append(mask[yy, xx] if 0 <= yy < h and 0 <= xx < w else outside)
            out[y, x] = all(vals) if erode else any(vals)
    return out


def _brute_fill(mask):
    h, w = mask.shape
    seen = np.zeros_like(mask)
    stack = [(y, x) for y in range(h) for x in range(w)
             if (y in (0, h - 1) or x in (0, w - 1)) and not mask[y, x]]
    for y, x in stack:
        seen[y, x] = True
    while stack:
        y, x = stack.pop()
        for yy, xx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
            if 0 <= yy < h and 0 <= xx < w and not mask[yy, xx] and not seen[yy, xx]:
                seen[yy, xx] = True
                stack.append((yy, xx))
    return ~seen


def selftest():
    results = []

    def check(name, ok, detail=''):
        results.append(bool(ok))
        print('%s %s%s' % ('PASS' if ok else 'FAIL', name, (': ' + detail) if detail else ''))
        return bool(ok)

    rng = np.random.default_rng(1)
    # S: a lone 9 in zeros has window mean 1 at its centre: S = 8 * 1 + 8^2 = 72
    a = np.zeros((5, 5)); a[2, 2] = 9.0
    S = local_sq_dev(a)
    check('S of a lone 9 (centre 72, corner 0)', S[2, 2] == 72.0 and S[0, 0] == 0.0 and S[1, 1] == 72.0)
    # mirrored border: a 9 at (1, 2); at (0, 2) rows -1, 0, 1 -> 1, 0, 1 hold it twice: mean 2, S = 7*4 + 2*49
    a = np.zeros((5, 5)); a[1, 2] = 9.0
    S = local_sq_dev(a)
    check('S mirrors without repeating the edge', S[0, 2] == 7 * 4.0 + 2 * 49.0 and S[0, 0] == 0.0
          and S[0, 1] == 126.0, 'S[0,2]=%r' % S[0, 2])
    b = rng.integers(0, 50, (5, 7)).astype(float)
    check('S vectorised == brute-force loops (5x7 random)', np.array_equal(local_sq_dev(b), _brute_S(b)))
    L = log_std(np.array([0.0, 8.0, 8.0 * np.e ** 2]))
    check('L = (ln S - ln 8)/2, 0 where S = 0', np.allclose(L, [0.0, 0.0, 1.0], atol=1e-15, rtol=0))
    # histogram: 200 bins over [0, 200] -> bin k = [k, k+1); values 0..200 once, 42.3 four more times
    Lh = np.concatenate([np.arange(201.0), [42.3] * 4, [42.9]])
    m, sigma, thr = threshold(Lh)
    sel = Lh[Lh <= 42.5]
    check('threshold: mode bin centre and std below it', m == 42.5 and sigma == np.std(sel)
          and thr == 42.5 + 3 * np.std(sel), 'm=%r sigma=%r' % (m, sigma))
    # first fullest bin wins; the last bin is closed (200.0 lands in bin 199)
    Lt = np.concatenate([np.arange(201.0), [10.5, 150.5]])
    counts, _ = np.histogram(Lt, bins=200)
    m, _, _ = threshold(Lt)
    check('threshold: first of equal fullest bins, last bin closed', counts[199] == 2 and m == 10.5,
          'm=%r' % m)
    # morphology against loops: each scipy call as the spec words it
    mk = rng.random((14, 16)) < 0.45
    d = _brute_morph(mk, SQUARE3, False, False)
    check('dilation 3x3 square, outside 0', np.array_equal(
        ndimage.binary_dilation(mk, structure=SQUARE3, border_value=0), d))
    ring = np.zeros((9, 9), bool); ring[2:7, 2:7] = True; ring[4, 4] = False
    ring[0:2, 6] = True; ring[1, 7] = False                  # a hole 8-connected but not 4-connected outside
    hole = np.zeros((9, 9), bool); hole[1:8, 1:8] = True; hole[2:7, 2:7] = False; hole[1, 4] = False
    hole[0, 3] = False
    for name, x in (('ring', ring), ('notched box', hole), ('random', mk)):
        check('fill holes == 4-connected flood from the border (%s)' % name,
              np.array_equal(ndimage.binary_fill_holes(x), _brute_fill(x)))
    big = rng.random((18, 18)) < 0.75
    op = big.copy()
    for _ in range(2):
        op = _brute_morph(op, ROUND5, True, False)
    for _ in range(2):
        op = _brute_morph(op, ROUND5, False, False)
    check('opening: 2 erosions then 2 dilations, 5x5 less corners, outside 0', np.array_equal(
        ndimage.binary_opening(big, structure=ROUND5, iterations=2, border_value=0), op))
    check('final erosion: 3x3 cross, outside 1', np.array_equal(
        ndimage.binary_erosion(big, structure=CROSS3, border_value=1), _brute_morph(big, CROSS3, True, True)))
    raw = np.zeros((12, 12), bool); raw[3:12, 0:9] = True   # clean-up chain against loops
    raw |= rng.random((12, 12)) < 0.2
    x = _brute_fill(_brute_morph(raw, SQUARE3, False, False))
    op = x.copy()
    for _ in range(2):
        op = _brute_morph(op, ROUND5, True, False)
    for _ in range(2):
        op = _brute_morph(op, ROUND5, False, False)
    check('clean-up chain == loops', np.array_equal(clean_mask(raw), _brute_morph(x & op, CROSS3, True, True)))
    # tile bounds: linspace(0, 100, 13) = 0, 8.33, 16.67, 25, ... rounded half-even
    s, e, c = tile_bounds(100, 7)
    check('tile bounds for n=100, div 7', list(s) == [0, 8, 17, 25, 33, 42, 50, 58, 67, 75, 83]
          and list(e) == [17, 25, 33, 42, 50, 58, 67, 75, 83, 92, 100] and c[0] == 8.5,
          'starts %s ends %s' % (list(s), list(e)))
    s, e, c = tile_bounds(10, 3)                            # linspace(0,10,5) = 0, 2.5, 5, 7.5, 10
    check('tile bounds round half to even (2.5 -> 2, 7.5 -> 8)', list(s) == [0, 2, 5] and list(e) == [5, 8, 10])
    # median with an even count of background pixels: (2 + 3) / 2
    fl1 = np.full((10, 10), 100.0)
    fl1[0, 0], fl1[0, 1], fl1[1, 0], fl1[1, 1] = 10.0, 2.0, 3.0, 1.0
    mk2 = np.ones((10, 10), np.uint8); mk2[0:2, 0:2] = 0
    med, _, _ = tile_medians(fl1, mk2, 2, 2)                # div 2: one tile, the whole frame
    check('tile median of an even count (1, 2, 3, 10) = 2.5; masked pixels left out',
          med.shape == (1, 1) and med[0, 0] == 2.5)
    try:
        tile_medians(fl1, np.ones((10, 10), np.uint8), 2, 2, frame=4)
        check('tile without background pixels is reported', False)
    except InvalidFrame as ex:
        check('tile without background pixels is reported', 'frame 4' in str(ex) and 'tile (y 0, x 0)' in str(ex),
              str(ex))
    # spline: reproduces a constant, and a tensor product of cubics inside the centres; clamped outside
    H, W = 60, 90
    _, _, cy = tile_bounds(H, 5)
    _, _, cx = tile_bounds(W, 7)

    def f(y, x):
        return (1.0 + 0.3 * y - 0.01 * y ** 2 + 2e-4 * y ** 3) * (2.0 - 0.05 * x + 1e-3 * x ** 2 - 1e-5 * x ** 3)

    bgc = interpolate_background(np.full((len(cy), len(cx)), 7.25), cy, cx, H, W)
    check('spline reproduces a constant', np.allclose(bgc, 7.25, rtol=0, atol=1e-12))
    bgf = interpolate_background(f(cy[:, None], cx[None, :]), cy, cx, H, W)
    yc = np.clip(np.arange(H), cy[0], cy[-1])[:, None]
    xc = np.clip(np.arange(W), cx[0], cx[-1])[None, :]
    err = np.abs(bgf - f(yc, xc)).max()
    check('spline reproduces a bicubic, constant past the end centres', err < 1e-10, 'max error %.2e' % err)
    check('clamping: rows above the first centre equal it', np.array_equal(bgf[0], bgf[int(np.floor(cy[0]))])
          and np.array_equal(bgf[:, -1], bgf[:, int(np.ceil(cx[-1]))]))
    # gain and correction: frame 1 = 2 x frame 0 of the same shape -> gain = bg0 / mean(bg0)
    base = 100.0 + np.add.outer(np.arange(40.0), 2 * np.arange(50.0))
    flg = np.stack([base, 2 * base, 3 * base])
    mg = np.zeros((3, 40, 50), np.uint8)
    bg, gain, corr = background(flg, mg)
    g0 = bg[0] / bg[0].mean()
    check('gain = median over frames of bg / mean(bg)', np.allclose(gain, g0, rtol=1e-12)
          and np.allclose(bg[1], 2 * bg[0], rtol=1e-12), 'max |gain-g0| %.2e' % np.abs(gain - g0).max())
    check('corrected = (F - bg) / gain, float32', corr.dtype == np.float32 and np.array_equal(
        corr, ((flg - bg) / gain).astype(np.float32)))
    # a linear field y + 2x: a tile's median is the value at its pixel-grid middle ((b_i + b_{i+2} - 1) / 2),
    # half a pixel before the tile centre the spline puts it at, so bg = F - 0.5 - 2 * 0.5 between the centres
    _, _, cy = tile_bounds(40, 5)
    _, _, cx = tile_bounds(50, 7)
    iy = slice(int(np.ceil(cy[0])), int(np.floor(cy[-1])) + 1)
    ix = slice(int(np.ceil(cx[0])), int(np.floor(cx[-1])) + 1)
    err = np.abs(bg[0][iy, ix] - (base[iy, ix] - 1.5)).max()
    check('a linear field: bg = F - 1.5 between the centres (tile medians sit half a pixel early)',
          err < 1e-9, 'max error %.2e' % err)
    # labels in raster order of first pixel
    u = np.zeros((6, 8), bool)
    u[3:5, 0] = True; u[1:5, 2] = True; u[4, 2:6] = True; u[0:5, 6] = True; u[0, 0] = True
    lab, n = label_raster(u)
    check('labels 4-connected, raster order of first pixel', n == 3 and lab[0, 0] == 1 and lab[0, 6] == 2
          and lab[1, 2] == 2 and lab[3, 0] == 3, str(lab.tolist()))
    _selftest_tracking(check)
    _selftest_binarize(check)
    print('%d/%d checks passed' % (sum(results), len(results)))
    return all(results)


def _rect(m, t, y0, y1, x0, x1):
    m[t, y0:y1, x0:x1] = 1


def _selftest_tracking(check):
    """Thresholds lowered to ignore <= 2 px, good 6..30 px, on a 3-frame 24x30 stack."""
    T, H, W = 3, 24, 30
    m = np.zeros((T, H, W), np.uint8)
    # A: stable 3x3 (9 px, good) at rows 2-4, cols 2-4 in every frame, then grows to 6x6 = 36 (not good)
    _rect(m, 0, 2, 5, 2, 5); _rect(m, 1, 2, 5, 3, 6); _rect(m, 2, 2, 8, 2, 8)
    # B: divides at t=1 into two pieces both overlapping it
    _rect(m, 0, 2, 5, 10, 14); _rect(m, 1, 2, 5, 10, 11); _rect(m, 1, 2, 5, 13, 14); _rect(m, 2, 2, 5, 10, 11)
    # C and D: merge at t=2
    _rect(m, 0, 2, 4, 18, 20); _rect(m, 0, 2, 4, 22, 24)
    _rect(m, 1, 2, 4, 18, 20); _rect(m, 1, 2, 4, 22, 24)
    _rect(m, 2, 2, 4, 18, 24)
    # E: on the left border in frame 0 (invalid from the start)
    _rect(m, 0, 12, 15, 0, 3); _rect(m, 1, 12, 15, 0, 3); _rect(m, 2, 12, 15, 0, 3)
    # G: reaches the bottom border at t=1
    _rect(m, 0, 19, 22, 6, 9); _rect(m, 1, 20, 24, 6, 9); _rect(m, 2, 19, 22, 6, 9)
    # F: appears at t=1 (no trace); small blob at t=0 (ignored, 2 px) that grows later (still no trace)
    _rect(m, 1, 10, 13, 12, 15); _rect(m, 2, 10, 13, 12, 15)
    _rect(m, 0, 17, 18, 14, 16); _rect(m, 1, 17, 19, 14, 16); _rect(m, 2, 17, 19, 14, 16)
    # J: stable, good only in frame 1 (4 px at t=0, 6 px at t=1, 4 px at t=2); kept
    _rect(m, 0, 9, 11, 22, 24); _rect(m, 1, 9, 11, 22, 25); _rect(m, 2, 9, 11, 22, 24)
    # K: vanishes at t=2 (does not span)
    _rect(m, 0, 15, 17, 22, 24); _rect(m, 1, 15, 17, 22, 24)
    # M: shrinks to an ignored 2-px blob at t=1 (not linked, trace ends)
    _rect(m, 0, 19, 22, 20, 23); _rect(m, 1, 20, 21, 21, 23); _rect(m, 2, 19, 22, 20, 23)
    corr = np.arange(T * H * W, dtype=np.float32).reshape(T, H, W) / 8.0
    labels = [label_raster(m[t] != 0) for t in range(T)]
    classes = [region_classes(lab, n, 2, 6, 30) for lab, n in labels]
    regions, valid = track_all(labels, classes)

    def at(t, y, x):
        return int(labels[t][0][y, x])

    names = {}
    for name, pts in (('A', [(2, 2), (2, 3), (2, 2)]), ('B', [(2, 10), (2, 10), (2, 10)]),
                      ('C', [(2, 18), (2, 18), (-1, 0)]), ('D', [(2, 22), (2, 22), (-1, 0)]),
                      ('J', [(9, 22), (9, 22), (9, 22)]), ('E', [(12, 0), (12, 0), (12, 0)]),
                      ('K', [(15, 22), (15, 22), (-1, 0)]), ('G', [(19, 6), (20, 6), (19, 6)]),
                      ('M', [(19, 20), (-1, 0), (-1, 0)])):
        names[tuple(at(t, y, x) if y >= 0 else 0 for t, (y, x) in enumerate(pts))] = name
    table = {names.get(tuple(r), str(r)): v for r, v in zip(regions, valid)}
    order = [names.get(tuple(r), str(r)) for r in regions]
    # A, B (divides at 1: the first piece continues), C and D (merge at 2: neither continues), J,
    # E (edge from the start), K (gone at 2), G (edge at 1, continues), M (ignored at 1: ends);
    # F (appears at 1) and the 2-px blob begin no trace
    expect = {'A': True, 'B': False, 'C': False, 'D': False, 'J': True, 'E': False, 'K': True,
              'G': False, 'M': True}
    check('every frame-0 trace: regions per frame and valid flag', table == expect
          and order == ['A', 'B', 'C', 'D', 'J', 'E', 'K', 'G', 'M'], '%s %s' % (order, table))
    rows = traces(m, corr, fov=7, ignore_max=2, good_min=6, good_max=30)
    ids = sorted({r[1] for r in rows})
    out = []
    out.append(check('tracking keeps exactly the stable cells A and J', ids == [1, 2] and len(rows) == 6,
                     '%d cells, %d rows' % (len(ids), len(rows))))
    a = [r for r in rows if r[1] == 1]
    j = [r for r in rows if r[1] == 2]
    exp_a = []
    for t, (y0, y1, x0, x1) in enumerate([(2, 5, 2, 5), (2, 5, 3, 6), (2, 8, 2, 8)]):
        area = (y1 - y0) * (x1 - x0)
        tot = float(sum(float(corr[t, y, x]) for y in range(y0, y1) for x in range(x0, x1)))
        exp_a.append((7, 1, t, 6 <= area <= 30, (x0 + x1 - 1) / 2.0, (y0 + y1 - 1) / 2.0, area, tot, tot / area))
    out.append(check('cell 1 (A): area, centroid, intensity, good per frame', a == exp_a, str(a)))
    out.append(check('cell 2 (J): good only in frame 1', [r[3] for r in j] == [False, True, False]
                     and [r[6] for r in j] == [4, 6, 4]))
    # ids follow frame-0 label order: A's first pixel (row 2) comes before J's (row 9)
    out.append(check('cell ids in frame-0 label order', a[0][5] < j[0][5]))
    # division with the earlier region continuing: the trace stays invalid
    m2 = np.zeros((2, 10, 12), np.uint8)
    _rect(m2, 0, 2, 7, 2, 9); _rect(m2, 1, 2, 4, 2, 9); _rect(m2, 1, 5, 7, 2, 9)
    out.append(check('division invalidates', traces(m2, np.zeros((2, 10, 12), np.float32), ignore_max=2) == []))
    # a region overlapping a trace-less region and one traced region has a single parent
    m3 = np.zeros((2, 10, 12), np.uint8)
    _rect(m3, 0, 2, 5, 2, 5); _rect(m3, 0, 2, 3, 7, 8)     # second is 1 px: ignored, carries no trace
    _rect(m3, 1, 2, 5, 2, 9)
    r3 = traces(m3, np.zeros((2, 10, 12), np.float32), ignore_max=2, good_min=1)
    out.append(check('an ignored region is not a parent', len(r3) == 2 and r3[1][6] == 21))
    return out


def _selftest_binarize(check):
    pc, _ = synth(1, 96, 96, seed=3)
    L = log_std(local_sq_dev(pc[0]))
    counts, edges = np.histogram(L, bins=200)
    # histogram by explicit edges: bin k holds edges[k] <= v < edges[k+1], last bin closed
    lo, hi = L.min(), L.max()
    e = lo + np.arange(201) * ((hi - lo) / 200.0); e[-1] = hi
    idx = np.searchsorted(e, L.ravel(), side='right') - 1
    idx[idx == 200] = 199
    mine = np.bincount(idx, minlength=200)
    k = int(np.argmax(mine))
    mm = (e[k] + e[k + 1]) / 2.0
    sel = L[L <= mm]
    sd = np.sqrt(((sel - sel.sum() / sel.size) ** 2).sum() / sel.size)
    m, sigma, _ = threshold(L)
    out = [check('histogram == explicit edges min + k*(max-min)/200', np.array_equal(mine, counts)
                 and np.array_equal(e, edges) and mm == m and abs(sd - sigma) < 1e-12,
                 'm=%r sigma=%r' % (m, sigma))]
    raw = L >= m + 3 * sigma
    x = _brute_morph(raw, SQUARE3, False, False)
    x = _brute_fill(x)
    op = x.copy()
    for _ in range(2):
        op = _brute_morph(op, ROUND5, True, False)
    for _ in range(2):
        op = _brute_morph(op, ROUND5, False, False)
    x = _brute_morph(x & op, CROSS3, True, True)
    b = binarize(pc[0])
    out.append(check('binarize == thresholds and clean-up by loops (96x96 synthetic)',
                     np.array_equal(b, x.astype(np.uint8)) and 0 < b.sum() < b.size,
                     '%d foreground px' % b.sum()))
    return out


# ---------------------------------------------------------------- command line

def main(argv):
    ap = argparse.ArgumentParser(prog='pyama_oracle.py', description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('binarize')
    p.add_argument('inp'); p.add_argument('H', type=int); p.add_argument('W', type=int); p.add_argument('out')
    p = sub.add_parser('background')
    for a in ('fl', 'mask'):
        p.add_argument(a)
    for a in ('T', 'H', 'W'):
        p.add_argument(a, type=int)
    for a in ('out_bg', 'out_gain', 'out_corr'):
        p.add_argument(a)
    p.add_argument('--div-horiz', type=int, default=7); p.add_argument('--div-vert', type=int, default=5)
    p = sub.add_parser('traces')
    p.add_argument('mask'); p.add_argument('corr')
    for a in ('T', 'H', 'W'):
        p.add_argument(a, type=int)
    p.add_argument('out')
    p.add_argument('--fov', type=int, default=0)
    p.add_argument('--ignore-max-area', type=int, default=300)
    p.add_argument('--good-min-area', type=int, default=1000)
    p.add_argument('--good-max-area', type=int, default=10000)
    p = sub.add_parser('pipeline')
    p.add_argument('pc'); p.add_argument('fl')
    for a in ('T', 'H', 'W'):
        p.add_argument(a, type=int)
    p.add_argument('outdir')
    p.add_argument('--fov', type=int, default=0)
    p.add_argument('--div-horiz', type=int, default=7); p.add_argument('--div-vert', type=int, default=5)
    p = sub.add_parser('synth')
    p.add_argument('outdir')
    for a in ('T', 'H', 'W'):
        p.add_argument(a, type=int)
    p.add_argument('--seed', type=int, default=0)
    sub.add_parser('selftest')
    a = ap.parse_args(argv)

    if a.cmd == 'binarize':
        binarize(read_raw(a.inp, '<f8', (a.H, a.W))).astype('u1').tofile(a.out)
    elif a.cmd == 'background':
        fl = read_raw(a.fl, '<f8', (a.T, a.H, a.W))
        mk = read_raw(a.mask, 'u1', (a.T, a.H, a.W))
        bg, gain, corr = background(fl, mk, a.div_horiz, a.div_vert)
        bg.astype('<f8').tofile(a.out_bg)
        gain.astype('<f8').tofile(a.out_gain)
        corr.astype('<f4').tofile(a.out_corr)
    elif a.cmd == 'traces':
        mk = read_raw(a.mask, 'u1', (a.T, a.H, a.W))
        corr = read_raw(a.corr, '<f4', (a.T, a.H, a.W))
        write_csv(a.out, traces(mk, corr, a.fov, a.ignore_max_area, a.good_min_area, a.good_max_area))
    elif a.cmd == 'pipeline':
        timing = run_pipeline(a.pc, a.fl, a.T, a.H, a.W, a.outdir, a.fov, a.div_horiz, a.div_vert)
        print(json.dumps(timing))
    elif a.cmd == 'synth':
        pc, fl = synth(a.T, a.H, a.W, a.seed)
        os.makedirs(a.outdir, exist_ok=True)
        pc.astype('<f8').tofile(os.path.join(a.outdir, 'pc.raw'))
        fl.astype('<f8').tofile(os.path.join(a.outdir, 'fl.raw'))
    elif a.cmd == 'selftest':
        return 0 if selftest() else 1
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except InvalidFrame as ex:
        print('pyama_oracle: invalid frame: %s' % ex, file=sys.stderr)
        sys.exit(3)
    except Exception as ex:  # noqa: BLE001 - every failure is reported the same way
        print('pyama_oracle: error: %s: %s' % (type(ex).__name__, ex), file=sys.stderr)
        sys.exit(2)
