#!/usr/bin/env bash
# Time from `kill -9` of the example's api process to its readiness endpoint answering 200 again.
#   bench/restart-time.sh [RUNS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
MODEL=examples/shop/slipway.yaml
./slipway up -f "$MODEL" --detach >/dev/null
api_field() { ./slipway status -f "$MODEL" --json | python3 -c "import json,sys;d=json.load(sys.stdin);a=[s for s in d['services'] if s['name']=='api'][0];print($1)"; }
url="$(api_field "a['url']")"
times=()
for i in $(seq 1 "$RUNS"); do
  pid="$(api_field "a['instances'][0]['pid']")"
  start=$(date +%s%N)
  kill -9 "$pid"
  # Wait for the old process to be gone, then for the new one to answer.
  while curl -fs -o /dev/null "$url/health/ready"; do sleep 0.01; done
  until curl -fs -o /dev/null "$url/health/ready"; do sleep 0.02; done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf 'run %d: api ready again %d ms after kill -9 (restarts now %s)\n' "$i" "$ms" "$(api_field "a['restarts']")"
  times+=("$ms")
  sleep 2
done
./slipway down -f "$MODEL" >/dev/null
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median over $RUNS runs: ${median} ms (target < 5000 ms)"
