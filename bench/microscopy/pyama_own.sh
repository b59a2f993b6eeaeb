#!/usr/bin/env bash
# PyAMA's own per-FOV code for the microscopy benchmark (bench/microscopy/run calls it when
# PYAMA_SRC names a checkout of PyAMA; nothing of PyAMA is copied into this project).
#   PYAMA_SRC=<checkout> bench/microscopy/pyama_own.sh WORK SIZE FRAMES FOVS
# Runs bench/microscopy/pyama_own.py once per FOV on WORK/raw-SIZE/fov_NNNN_{pc,fl}.u16 (uint16,
# FRAMES x SIZE x SIZE), all FOVs at once like the numpy reference, waits for all of them and
# prints ONE number on stdout: the wall-clock seconds from the first start to the last end.
# Each FOV's JSON (seconds per step) goes to WORK/pyama-own-SIZE/fov_NNNN.json, its stderr to
# fov_NNNN.log there; a summary goes to stderr. PYAMA_EDITION=tk|core picks the edition when
# auto-detection is not wanted; PYAMA_OUT=1 also writes each FOV's binarized.raw, corrected.raw
# and traces.csv to WORK/pyama-own-SIZE/fov_NNNN/ (the writing is then inside the wall time).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYAMA_PYTHON:-/usr/bin/python3}"
die() { echo "pyama_own.sh: $*" >&2; exit 2; }

[ $# -eq 4 ] || die "usage: PYAMA_SRC=<PyAMA checkout> $0 WORK SIZE FRAMES FOVS"
work="$1" s="$2" frames="$3" fovs="$4"
[ -n "${PYAMA_SRC:-}" ] || die "PYAMA_SRC is not set: name a checkout of PyAMA (the Tk edition, e.g. github.com/keejkrej/pyama, or the 2025 pyama-core rewrite)"
[ -d "$PYAMA_SRC" ] || die "PYAMA_SRC=$PYAMA_SRC is not a directory"
[ -x "$py" ] || die "no python at $py (set PYAMA_PYTHON)"
for v in "$s" "$frames" "$fovs"; do [[ "$v" =~ ^[1-9][0-9]*$ ]] || die "SIZE, FRAMES and FOVS must be positive integers, got '$v'"; done
raw="$work/raw-$s"
out="$work/pyama-own-$s"
rm -rf "$out"; mkdir -p "$out"

for ((f = 0; f < fovs; f++)); do
  id=$(printf 'fov_%04d' "$f")
  [ -f "$raw/${id}_pc.u16" ] && [ -f "$raw/${id}_fl.u16" ] || die "missing $raw/${id}_pc.u16 or ${id}_fl.u16"
done

# No separate dry run (it would cost a numba JIT compile): the FOVs run, the first failure is shown.
start=$(date +%s.%N)
pids=()
for ((f = 0; f < fovs; f++)); do
  id=$(printf 'fov_%04d' "$f")
  extra=()
  [ -n "${PYAMA_OUT:-}" ] && extra=(--out "$out/$id")
  "$py" "$here/pyama_own.py" "$raw/${id}_pc.u16" "$raw/${id}_fl.u16" "$frames" "$s" "$s" --fov "$f" "${extra[@]}" \
    > "$out/$id.json" 2> "$out/$id.log" &
  pids+=($!)
done
failed=()
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("$i")
done
end=$(date +%s.%N)
if [ ${#failed[@]} -gt 0 ]; then
  id=$(printf 'fov_%04d' "${failed[0]}")
  echo "pyama_own.sh: PyAMA's own code failed on ${#failed[@]} of $fovs FOVs ($s x $s, $frames frames); $id:" >&2
  tail -n 20 "$out/$id.log" >&2
  exit 1
fi
wall=$(echo "$end - $start" | bc)
"$py" - "$out" "$fovs" "$frames" "$s" "$wall" >&2 <<'PY'
import json, sys
out, fovs, T, s, wall = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
recs = [json.load(open('%s/fov_%04d.json' % (out, f))) for f in range(fovs)]
r0 = recs[0]
steps = [k for k in ('jit', 'binarize', 'background', 'tracking', 'traces') if k in r0['seconds']]
mean = {k: sum(r['seconds'][k] for r in recs) / fovs / T for k in steps + ['compute']}
print('pyama_own: %s, commit %s, %d FOVs x %d frames at %dx%d: wall %.2f s = %.4f s per FOV-frame; '
      'per frame inside a process: %s; %d cells in FOV 0%s'
      % (r0['tool'], r0['commit'] or 'unknown', fovs, T, s, s, wall, wall / (fovs * T),
         ', '.join('%s %.4f' % (k, v) for k, v in mean.items()), r0['cells'],
         '; placeholder modules: ' + ', '.join(r0['placeholder_modules']) if r0['placeholder_modules'] else ''))
PY
echo "$wall"
