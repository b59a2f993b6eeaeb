#!/usr/bin/python3
"""Reference timing for the microscopy benchmark: runs the Python oracle of PyAMA's per-FOV
algorithms (binarize, Schwarzfischer background, tracking and traces; see specs/microscopy.md)
on one FOV and prints one JSON line with the seconds per FOV-frame.

Usage: /usr/bin/python3 bench/microscopy/pyama_reference.py PC.raw FL.raw T H W OUTDIR [--dtype u2] [--oracle PATH]
PC.raw and FL.raw are little-endian T*H*W stacks (phase contrast, fluorescence), float64 unless
--dtype says otherwise (u2: the uint16 frames `fieldwork nd2 synth --raw` writes). OUTDIR
receives the oracle's binarized.raw, corrected.raw, traces.csv and timing.json. The oracle
defaults to udfs/src/test/resources/org/fieldwork/microscopy/pyama_oracle.py under the repository
root (two folders above this file's folder); it needs numpy and scipy (Debian's python3 has them).
"""
import argparse
import importlib.util
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_ORACLE = os.path.join(ROOT, 'udfs', 'src', 'test', 'resources', 'org', 'fieldwork',
                              'microscopy', 'pyama_oracle.py')


def load_oracle(path):
    spec = importlib.util.spec_from_file_location('pyama_oracle', path)
    if spec is None or spec.loader is None:
        raise ImportError('cannot load the oracle from %s' % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_counts(oracle, a):
    """The oracle's pipeline on integer frames, read and widened to float64 as PyAMA does."""
    import time
    import numpy as np
    t0 = time.perf_counter()
    pc = oracle.read_raw(a.pc, '<' + a.dtype, (a.T, a.H, a.W)).astype(np.float64)
    fl = oracle.read_raw(a.fl, '<' + a.dtype, (a.T, a.H, a.W)).astype(np.float64)
    t_read = time.perf_counter() - t0
    masks, corrected, rows, steps = oracle.pipeline(pc, fl)
    t0 = time.perf_counter()
    os.makedirs(a.outdir, exist_ok=True)
    masks.astype('u1').tofile(os.path.join(a.outdir, 'binarized.raw'))
    corrected.astype('<f4').tofile(os.path.join(a.outdir, 'corrected.raw'))
    oracle.write_csv(os.path.join(a.outdir, 'traces.csv'), rows)
    t_write = time.perf_counter() - t0
    compute = sum(steps.values())
    return {'cells': len({r[1] for r in rows}),
            'seconds': dict(steps, read=t_read, write=t_write, compute=compute),
            'seconds_per_frame': {k: v / a.T for k, v in steps.items()}}


def main(argv):
    ap = argparse.ArgumentParser(description='PyAMA oracle timing for one FOV')
    ap.add_argument('pc'); ap.add_argument('fl')
    ap.add_argument('T', type=int); ap.add_argument('H', type=int); ap.add_argument('W', type=int)
    ap.add_argument('outdir')
    ap.add_argument('--oracle', default=DEFAULT_ORACLE)
    ap.add_argument('--dtype', default='f8', help='pixel type of the raw stacks: f8 (float64) or u2 (uint16)')
    a = ap.parse_args(argv)
    oracle = load_oracle(a.oracle)
    if a.dtype == 'f8':
        timing = oracle.run_pipeline(a.pc, a.fl, a.T, a.H, a.W, a.outdir)
    else:
        timing = run_counts(oracle, a)
    s = timing['seconds']
    print(json.dumps({
        'tool': 'pyama-oracle (numpy/scipy, one process)',
        'frames': a.T, 'height': a.H, 'width': a.W, 'cells': timing['cells'],
        'seconds_per_fov_frame': s['compute'] / a.T,
        'seconds_per_fov_frame_with_io': (s['compute'] + s['read'] + s['write']) / a.T,
        'seconds_per_frame_by_step': {k: timing['seconds_per_frame'][k]
                                      for k in ('binarize', 'background', 'traces')},
    }))
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as ex:  # noqa: BLE001 - report every failure the same way
        print('pyama_reference: error: %s: %s' % (type(ex).__name__, ex), file=sys.stderr)
        sys.exit(3 if type(ex).__name__ == 'InvalidFrame' else 2)
