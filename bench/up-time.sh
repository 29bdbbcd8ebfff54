#!/usr/bin/env bash
# Time from `slipway up --detach` to "everything ready" for examples/shop, after the first build.
#   bench/up-time.sh [RUNS]     (default 5)
# Prints each run (wall clock of the whole command, and the control plane's own "ready in") and the
# median. Run on an otherwise idle machine; the figures go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
MODEL=examples/shop/slipway.yaml
./slipway down -f "$MODEL" >/dev/null 2>&1 || true
echo "first up (builds the example; not measured)..." >&2
./slipway up -f "$MODEL" --detach >/dev/null
./slipway down -f "$MODEL" >/dev/null
walls=()
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  out="$(./slipway up -f "$MODEL" --detach)"
  end=$(date +%s%N)
  wall=$(( (end - start) / 1000000 ))
  ready="$(sed -n 's/.*shop is ready in \([0-9.a-z]*\).*/\1/p' <<<"$out")"
  printf 'run %d: up --detach returned after %d ms (control plane: ready in %s)\n' "$i" "$wall" "$ready"
  walls+=("$wall")
  ./slipway down -f "$MODEL" >/dev/null
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median over $RUNS runs: ${median} ms (target < 15000 ms)"
