#!/usr/bin/python3
"""Synthetic EM movies with known drift and particle centres, for developing the RELION peer.

Usage: make_test_movies.py OUT_DIR [--count N] [--size PX] [--frames F] [--angpix A]
                           [--diameter A] [--dose E_PER_PX_PER_FRAME] [--seed S] [--int16]

Each movie <name>.mrc (frames x ny x nx) comes with <name>.truth.json holding shiftX, shiftY
(px per frame, frame i's content displaced by +shift relative to frame 0, i.e.
frame_i(x + shift) = frame_0(x)), particles (centres in frame-0 pixels, origin top-left, x along a
row, y down) and pixelSizeA. The specimen is a smooth random texture (Gaussian blobs) with dark
discs of the given diameter as particles; each frame is the specimen shifted by a Fourier phase
ramp on a padded canvas (so nothing wraps into view), cropped, scaled to the dose and drawn
with Poisson noise. Movie 0 drifts far (tens of px) so that sign conventions are unambiguous.
Debian's /usr/bin/python3 has numpy and mrcfile.
"""
import argparse
import json
import os

import mrcfile
import numpy as np


def specimen(rng, n, radius_px, particles):
    """Relative transmission around 1: random blobs plus dark soft discs at the particle centres."""
    img = np.zeros((n, n), np.float32)
    spectrum = np.fft.rfft2(rng.standard_normal((n, n)).astype(np.float32))
    ky = np.fft.fftfreq(n)[:, None]
    kx = np.fft.rfftfreq(n)[None, :]
    k2 = kx * kx + ky * ky
    for sigma_px, amp in ((1.5, 0.6), (4.0, 1.0), (12.0, 1.0)):
        band = np.fft.irfft2(spectrum * np.exp(-2 * np.pi ** 2 * sigma_px ** 2 * k2), s=(n, n))
        img += amp * band / band.std()
    img *= 0.08 / img.std()
    h = int(radius_px + 12)
    for (px, py) in particles:
        x0, y0 = int(px) - h, int(py) - h
        yy, xx = np.mgrid[y0:y0 + 2 * h + 1, x0:x0 + 2 * h + 1]
        r = np.hypot(xx - px, yy - py)
        img[y0:y0 + 2 * h + 1, x0:x0 + 2 * h + 1] -= 0.25 / (1 + np.exp(np.clip((r - radius_px) / 1.5, -50, 50)))
    return 1.0 + img


def drift(rng, frames, far):
    """Smooth drift relative to frame 0: a fast initial jump decaying to a slow linear creep."""
    t = np.arange(frames, dtype=np.float64)
    out = []
    for _ in range(2):
        amp = rng.uniform(12, 25) * rng.choice([-1, 1]) if far else rng.uniform(-6, 6)
        creep = rng.uniform(-0.15, 0.15)
        s = amp * (1 - np.exp(-t / 4.0)) + creep * t
        out.append(s - s[0])
    return out


def place_particles(rng, size, radius_px, count):
    margin = radius_px + 40
    placed = []
    tries = 0
    while len(placed) < count and tries < 20000:
        tries += 1
        p = rng.uniform(margin, size - margin, 2)
        if all(np.hypot(*(p - q)) > 3.0 * radius_px for q in placed):
            placed.append(p)
    return placed


def make_movie(path_base, rng, size, frames, angpix, diameter_a, dose, far, as_int16):
    radius_px = diameter_a / angpix / 2
    pad = 64
    n = size + 2 * pad
    n = -(-n // 128) * 128
    off = (n - size) // 2
    density = max(4, int(0.4 * size * size / (np.pi * (1.5 * radius_px) ** 2)))
    centres = place_particles(rng, size, radius_px, density)
    spec = specimen(rng, n, radius_px, [(x + off, y + off) for (x, y) in centres])
    sx, sy = drift(rng, frames, far)
    if np.max(np.abs(sx)) > pad - 4 or np.max(np.abs(sy)) > pad - 4:
        raise SystemExit("drift exceeds the padding")
    f_spec = np.fft.rfft2(spec)
    ky = np.fft.fftfreq(n)[:, None]
    kx = np.fft.rfftfreq(n)[None, :]
    dtype = np.int16 if as_int16 else np.float32
    with mrcfile.new(path_base + ".mrc", overwrite=True) as m:
        m.set_data(np.zeros((frames, size, size), dtype))
        for i in range(frames):
            # frame_i(x) = spec(x - s_i): multiply by exp(-2 pi i k.s)
            ramp = np.exp(-2j * np.pi * (kx * sx[i] + ky * sy[i]))
            frame = np.fft.irfft2(f_spec * ramp, s=(n, n))[off:off + size, off:off + size]
            m.data[i] = rng.poisson(np.clip(frame, 0, None) * dose).astype(dtype)
        m.voxel_size = angpix
    truth = {
        "shiftX": [round(float(v), 4) for v in sx],
        "shiftY": [round(float(v), 4) for v in sy],
        "particles": [{"x": round(float(x), 2), "y": round(float(y), 2)} for (x, y) in centres],
        "pixelSizeA": angpix,
        "diameterA": diameter_a,
    }
    with open(path_base + ".truth.json", "w") as f:
        json.dump(truth, f)
    return truth


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--frames", type=int, default=20)
    ap.add_argument("--angpix", type=float, default=1.0)
    ap.add_argument("--diameter", type=float, default=80.0)
    ap.add_argument("--dose", type=float, default=1.0, help="electrons per pixel per frame")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--int16", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    for k in range(a.count):
        base = os.path.join(a.out, "movie_%03d" % k)
        t = make_movie(base, rng, a.size, a.frames, a.angpix, a.diameter, a.dose, k == 0, a.int16)
        print("%s.mrc: %d particles, final drift (%.1f, %.1f) px"
              % (base, len(t["particles"]), t["shiftX"][-1], t["shiftY"][-1]))


if __name__ == "__main__":
    main()
