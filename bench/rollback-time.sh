#!/usr/bin/env bash
# Time to roll back: the bundled demo ships api v3 with FAULT_ERROR_RATE=0.05 under steady load, with
# the example's default canary settings; the demo measures, client side, from the first 5xx answered
# by v3 to the last request v3 served (after that, 100% of traffic is on stable).
#   bench/rollback-time.sh [RUNS] [RATE]     (default 3 runs at 500 requests/s)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
RATE="${2:-500}"
vals=()
for i in $(seq 1 "$RUNS"); do
  line="$(./slipway demo --rate "$RATE" | tail -1)"
  echo "run $i: $line"
  vals+=("$(sed -n 's/.*rollback_seconds=\([0-9.]*\).*/\1/p' <<<"$line")")
done
printf '%s\n' "${vals[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median rollback_seconds over %d runs: %s (target <= 5)\n", NR, a[int((NR+1)/2)]}'
