#!/usr/bin/python3
"""Runs PyAMA's own per-FOV code on one FOV for the microscopy benchmark and prints one JSON line
with the seconds per step. PyAMA is not part of this project: it is imported from a checkout
named by --src or $PYAMA_SRC, and nothing of it is copied here.

Usage: /usr/bin/python3 bench/microscopy/pyama_own.py PC.u16 FL.u16 T H W
           [--src DIR] [--edition auto|tk|core] [--fov N] [--out DIR] [--verbose]

PC.u16 and FL.u16 are raw little-endian uint16 stacks, T x H x W in C order (phase contrast and
fluorescence of one FOV, as `fieldwork nd2 synth --raw` writes them).

Two editions of PyAMA are recognised by the layout of the checkout:
  tk    the Tk desktop edition (src/pyama/...; e.g. github.com/keejkrej/pyama): the algorithms that
        specs/microscopy.md describes. Steps, in PyAMA's order and with its defaults:
          binarize    pyama.tools.binarize.binarize_phasecontrast_stack (binarize_frame per frame,
                      mask_size 3), on a pyama.stack.Stack holding the uint16 frames
          background  pyama.img_op.background_correction.background_schwarzfischer(fl, masks)
                      (div_horiz 7, div_vert 5; float32 result)
          tracking    pyama.session.model.SessionModel.track_stack (pyama.tracking.Tracker, one
                      ContourRoi per region)
          traces      SessionModel.read_traces (area and integrated corrected fluorescence)
        It needs numba (njit) and psutil: Debian's python3-numba and python3-psutil. Its stack
        module imports nd2reader (not packaged by Debian) only to open .nd2 files, which this
        driver never does: when nd2reader is missing an empty placeholder module is registered so
        the import succeeds (reported as "placeholder_modules"). The numba JIT compilation of
        binarize_frame is timed on its own as "jit" (a 16x16 frame before the stack) and counted
        in the total.
  core  the 2025 Qt rewrite (pyama-core/src/pyama_core/...; github.com/SoftmatterLMU-RaedlerGroup/pyama).
        Its functional API, in the order of its workflow (processing/workflow/run.py), defaults:
          binarize    pyama_core.processing.segmentation.segment_cell (log-STD)
          background  pyama_core.processing.background.estimate_background (the correction
                      itself, F - background, happens inside the extraction)
          tracking    pyama_core.processing.tracking.track_cell (IoU)
          traces      pyama_core.processing.extraction.extract_trace (all registered features,
                      times 0..T-1 as the workflow uses without timepoints)
        Arrays stay in memory: the workflow services write the same arrays to .npy memmaps in
        between, which this driver leaves out. Needs pandas (python3-pandas). Its background
        estimate needs at least 4 tiles per axis and so fails on axes of 512 px or less.

Seconds: "read" (the raw files), "import" (PyAMA's modules), one entry per step, "compute" (the
steps, jit included) and "total" (everything in this process up to the JSON). With --out DIR the
results are written after the timing to DIR/binarized.raw (uint8 0/1), corrected.raw (float32;
tk: PyAMA's corrected stack, core: F - background) and traces.csv
(fov,cell_id,frame,good,position_x,position_y,area,intensity_total,intensity_mean). PyAMA's own
progress prints go to /dev/null (to stderr with --verbose); stdout carries only the JSON line.
Exit 2 with a message on stderr when PyAMA cannot be found, imported or run.
"""
import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time
import types

T_START = time.perf_counter()


class Unusable(Exception):
    """PyAMA cannot be found, imported or run; the message says why."""


def find_pyama(src, edition):
    """(edition, directory to put on sys.path) for a checkout of either edition."""
    src = os.path.abspath(src)
    if not os.path.isdir(src):
        raise Unusable('PYAMA_SRC=%s is not a directory' % src)
    core = [os.path.join(src, 'pyama-core', 'src'), os.path.join(src, 'src'), src]
    core = [d for d in core if os.path.isfile(os.path.join(d, 'pyama_core', 'processing', 'segmentation', '__init__.py'))]
    tk = [os.path.join(src, 'src'), src]
    tk = [d for d in tk if os.path.isfile(os.path.join(d, 'pyama', 'img_op', 'coarse_binarize_phc.py'))]
    found = {'core': core[0] if core else None, 'tk': tk[0] if tk else None}
    if edition == 'auto':
        for e in ('tk', 'core'):
            if found[e]:
                return e, found[e]
        raise Unusable('%s holds neither PyAMA edition: no src/pyama/img_op/coarse_binarize_phc.py (Tk edition) '
                       'and no pyama-core/src/pyama_core/processing (Qt edition)' % src)
    if not found[edition]:
        raise Unusable('%s holds no PyAMA %s edition' % (src, edition))
    return edition, found[edition]


def git_commit(src):
    try:
        out = subprocess.run(['git', '-C', src, 'log', '-1', '--format=%H %cs'], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def read_u16(path, shape):
    import numpy as np
    a = np.fromfile(path, dtype='<u2')
    n = shape[0] * shape[1] * shape[2]
    if a.size != n:
        raise ValueError('%s: %d uint16 values, expected %s = %d' % (path, a.size, 'x'.join(map(str, shape)), n))
    return a.reshape(shape)


def need(module, package):
    try:
        __import__(module)
    except ImportError as ex:
        raise Unusable('PyAMA needs the Python module %s (%s), which %s cannot import: %s'
                       % (module, package, sys.executable, ex))


# ---------------------------------------------------------------- Tk edition

def import_tk(path):
    placeholders = []
    need('numba', 'Debian: apt-get install python3-numba')
    need('psutil', 'Debian: apt-get install python3-psutil')
    need('pandas', 'Debian: apt-get install python3-pandas')
    need('h5py', 'Debian: apt-get install python3-h5py')
    need('skimage', 'Debian: apt-get install python3-skimage')
    need('matplotlib', 'Debian: apt-get install python3-matplotlib')
    try:
        import nd2reader  # noqa: F401
    except ImportError:
        # Only Stack._load_nd2 uses it; this driver hands PyAMA arrays, never .nd2 files.
        sys.modules['nd2reader'] = types.ModuleType('nd2reader')
        placeholders.append('nd2reader')
    sys.path.insert(0, path)
    import pyama.session  # noqa: F401 - first, as PyAMA's __main__ does (pyama.stack alone is a circular import)
    from pyama.stack import Stack
    from pyama.stack import types as ty
    from pyama.tools.binarize import binarize_phasecontrast_stack
    from pyama.img_op.coarse_binarize_phc import binarize_frame
    from pyama.img_op.background_correction import background_schwarzfischer
    from pyama.session.model import SessionModel
    return types.SimpleNamespace(Stack=Stack, ty=ty, binarize_stack=binarize_phasecontrast_stack,
                                 binarize_frame=binarize_frame, background=background_schwarzfischer,
                                 SessionModel=SessionModel), placeholders


def run_tk(P, pc, fl, sec):
    import numpy as np
    t0 = time.perf_counter()
    P.binarize_frame(np.ascontiguousarray(pc[0, :16, :16]))      # numba compiles generic_filter here
    sec['jit'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    masks = P.binarize_stack(P.Stack(arr=pc[None]), 0, return_result=True)
    sec['binarize'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    corrected = P.background(fl, masks)
    sec['background'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    model = P.SessionModel()
    model.track_stack(P.Stack(arr=masks[None]), channel=0)
    sec['tracking'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    name = 'Fluorescence 1'
    model.stack = P.Stack(arr=np.asarray(corrected)[None])
    model.add_trace_info(name, channel=0, type_=P.ty.TYPE_FLUORESCENCE, order=1, plot=True,
                         quantity='Integrated fluorescence')
    model.read_traces()
    sec['traces'] = time.perf_counter() - t0

    def rows(fov):
        out = []
        for cell_id, (_, tr) in enumerate(sorted(model.traces.items(), key=lambda kv: int(kv[0])), start=1):
            for fr, lbl in enumerate(tr['roi']):
                roi = model.rois[fr][lbl]
                cy, cx = roi.centroid
                area = float(tr['val']['Area'][fr])
                tot = float(tr['val'][name][fr])
                out.append((fov, cell_id, fr, bool(tr['select']), float(cx), float(cy), int(area), tot, tot / area))
        return out
    return masks, np.asarray(corrected, np.float32), rows, len(model.traces)


# ---------------------------------------------------------------- Qt edition (pyama-core)

def import_core(path):
    need('pandas', 'Debian: apt-get install python3-pandas')
    need('skimage', 'Debian: apt-get install python3-skimage')
    sys.path.insert(0, path)
    from pyama_core.processing.segmentation import segment_cell
    from pyama_core.processing.background import estimate_background
    from pyama_core.processing.tracking import track_cell
    from pyama_core.processing.extraction import extract_trace
    return types.SimpleNamespace(segment=segment_cell, background=estimate_background, track=track_cell,
                                 extract=extract_trace), []


def run_core(P, pc, fl, sec):
    import numpy as np
    T = pc.shape[0]
    t0 = time.perf_counter()
    seg = np.zeros(pc.shape, bool)
    P.segment(pc, seg)
    sec['binarize'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    bg = np.zeros(fl.shape, np.float32)
    try:
        P.background(fl.astype(np.float32), seg, bg)
    except Exception as ex:  # noqa: BLE001 - reported with the step's name
        raise Unusable('PyAMA (core) estimate_background failed on %dx%d frames: %s: %s'
                       % (fl.shape[1], fl.shape[2], type(ex).__name__, ex))
    sec['background'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    lab = np.zeros(pc.shape, np.uint16)
    P.track(image=seg, out=lab)
    sec['tracking'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    df = P.extract(image=fl.astype(np.float32), seg_labeled=lab, times=np.arange(T, dtype=float), background=bg)
    sec['traces'] = time.perf_counter() - t0

    def rows(fov):
        out = []
        ids = {c: i for i, c in enumerate(sorted(df['cell'].unique()), start=1)}
        for r in df.sort_values(['cell', 'frame']).itertuples(index=False):
            area = float(r.area)
            tot = float(r.intensity_total)
            out.append((fov, ids[r.cell], int(r.frame), bool(r.good), float(r.position_x), float(r.position_y),
                        int(area), tot, tot / area if area else float('nan')))
        return out
    corrected = fl.astype(np.float32) - bg
    return seg.astype(np.uint8), corrected, rows, int(df['cell'].nunique()) if len(df) else 0


# ---------------------------------------------------------------- main

CSV_HEADER = 'fov,cell_id,frame,good,position_x,position_y,area,intensity_total,intensity_mean'


def main(argv):
    ap = argparse.ArgumentParser(description="PyAMA's own per-FOV code on one FOV (timing)")
    ap.add_argument('pc'); ap.add_argument('fl')
    ap.add_argument('T', type=int); ap.add_argument('H', type=int); ap.add_argument('W', type=int)
    ap.add_argument('--src', default=os.environ.get('PYAMA_SRC'), help='PyAMA checkout (default $PYAMA_SRC)')
    ap.add_argument('--edition', default=os.environ.get('PYAMA_EDITION', 'auto'), choices=('auto', 'tk', 'core'))
    ap.add_argument('--fov', type=int, default=0)
    ap.add_argument('--out', help='write binarized.raw, corrected.raw and traces.csv here (after the timing)')
    ap.add_argument('--verbose', action='store_true', help="PyAMA's progress prints to stderr")
    a = ap.parse_args(argv)
    if not a.src:
        raise Unusable('PYAMA_SRC is not set (give a checkout of PyAMA with --src or PYAMA_SRC)')
    edition, path = find_pyama(a.src, a.edition)
    sink = sys.stderr if a.verbose else io.StringIO()

    sec = {}
    t0 = time.perf_counter()
    pc = read_u16(a.pc, (a.T, a.H, a.W))
    fl = read_u16(a.fl, (a.T, a.H, a.W))
    sec['read'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        try:
            P, placeholders = (import_tk if edition == 'tk' else import_core)(path)
        except Unusable:
            raise
        except Exception as ex:  # noqa: BLE001
            raise Unusable('cannot import PyAMA (%s edition) from %s: %s: %s' % (edition, path, type(ex).__name__, ex))
    sec['import'] = time.perf_counter() - t0

    with contextlib.redirect_stdout(sink):
        try:
            masks, corrected, rows, cells = (run_tk if edition == 'tk' else run_core)(P, pc, fl, sec)
        except Unusable:
            raise
        except Exception as ex:  # noqa: BLE001
            raise Unusable('PyAMA (%s edition) failed: %s: %s' % (edition, type(ex).__name__, ex))
    steps = [k for k in ('jit', 'binarize', 'background', 'tracking', 'traces') if k in sec]
    sec['compute'] = sum(sec[k] for k in steps)
    sec['total'] = time.perf_counter() - T_START

    if a.out:
        with contextlib.redirect_stdout(sink):
            os.makedirs(a.out, exist_ok=True)
            masks.astype('u1').tofile(os.path.join(a.out, 'binarized.raw'))
            corrected.astype('<f4').tofile(os.path.join(a.out, 'corrected.raw'))
            with open(os.path.join(a.out, 'traces.csv'), 'w') as f:
                f.write(CSV_HEADER + '\n')
                for r in rows(a.fov):
                    f.write('%d,%d,%d,%s,%r,%r,%d,%r,%r\n' % r)

    print(json.dumps({
        'tool': 'PyAMA (%s edition), own code' % edition,
        'source': path, 'commit': git_commit(a.src),
        'frames': a.T, 'height': a.H, 'width': a.W, 'fov': a.fov, 'cells': cells,
        'placeholder_modules': placeholders,
        'seconds': {k: round(v, 6) for k, v in sec.items()},
        'seconds_per_frame': {k: round(sec[k] / a.T, 6) for k in steps + ['compute']},
    }))
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except Unusable as ex:
        print('pyama_own: %s' % ex, file=sys.stderr)
        sys.exit(2)
