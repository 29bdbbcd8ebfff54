#!/usr/bin/env bash
# Zero downtime under load: wrk drives traffic through Slipway's router while a release replaces the
# service, for a blue-green switch, a full canary, a rolling replacement of 3 instances, and a canary
# during which the control plane is killed with -9 and started again. Counts failed requests.
#   bench/zero-downtime/run.sh [SECONDS]     (wrk duration per scenario, default 40)
# Needs wrk (installed from Debian when run as root).
set -euo pipefail
cd "$(dirname "$0")"
HERE="$(pwd)"
ROOT="$(cd ../.. && pwd)"
DUR="${1:-40}"
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -q --no-install-recommends wrk >/dev/null; }
. "$ROOT/bin/lib/jdk.sh"; slipway_find_jdk
WORK="$(mktemp -d /tmp/slipway-zdt.XXXXXX)"
trap '"$ROOT/slipway" down -f "$WORK/slipway.yaml" --volumes >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
cp "$HERE/slipway.yaml" "$WORK/"
cp "$ROOT/slipway-cli/src/test/resources/rollout/Hello.java" "$WORK/"
javac -d "$WORK/classes" "$WORK/Hello.java"
S="$ROOT/slipway"
M="$WORK/slipway.yaml"
"$S" up -f "$M" --detach >/dev/null
front() { "$S" status -f "$M" --json | python3 -c "import json,sys;print([s['url'] for s in json.load(sys.stdin)['services'] if s['name']=='$1'][0])"; }

# wrk in the background for $DUR seconds (sets P to its pid).
load() { # url outfile
  wrk -t2 -c32 -d"${DUR}s" --timeout 10s "$1/" > "$2" 2>&1 &
  P=$!
}
summarize() { # name outfile rolloutline
  local reqs non2xx sockerr
  reqs=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$2")
  non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\)/\1/p' "$2"); non2xx=${non2xx:-0}
  sockerr=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\)/\1+\2+\3+\4/p' "$2")
  sockerr=$(( ${sockerr:-0} ))
  local rps; rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$2")
  printf '| %-34s | %9s | %8s | %6s | %s |\n' "$1" "$reqs" "$rps" "$(( non2xx + sockerr ))" "$3"
}

echo "| scenario | requests | req/s | failed | rollout |"
echo "|---|---|---|---|---|"

# 1. blue-green switch (then the old set retired after the 5s window)
URL=$(front bluegreen); OUT="$WORK/bg.txt"; load "$URL" "$OUT"; sleep 5
R=$("$S" deploy -f "$M" bluegreen --version b2 --wait | tail -1); wait "$P"
summarize "blue-green switch (2 instances)" "$OUT" "$R"

# 2. a full canary (20% · pause · analysis · 50% · pause · 100%)
URL=$(front canary); OUT="$WORK/canary.txt"; load "$URL" "$OUT"; sleep 5
R=$("$S" deploy -f "$M" canary --version c2 --wait | tail -1); wait "$P"
summarize "full canary" "$OUT" "$R"

# 3. rolling replacement of 3 instances
URL=$(front rolling); OUT="$WORK/rolling.txt"; load "$URL" "$OUT"; sleep 5
R=$("$S" deploy -f "$M" rolling --version r2 --wait | tail -1); wait "$P"
summarize "rolling, 3 instances" "$OUT" "$R"

# 4. kill -9 of the control plane mid-canary, then `up` again: the rollout resumes
URL=$(front canary); OUT="$WORK/kill.txt"; load "$URL" "$OUT"; sleep 5
"$S" deploy -f "$M" canary --version c3 >/dev/null
sleep 4
CP=$(python3 -c "import json;print(json.load(open('$WORK/.slipway/run/control-plane.json'))['pid'])")
kill -9 "$CP"
sleep 3
"$S" up -f "$M" --detach >/dev/null
until "$S" history -f "$M" canary --json | python3 -c "import json,sys;d=json.load(sys.stdin)['deployments'][0];sys.exit(0 if d['state'] not in ('running','paused','pending') else 1)"; do sleep 1; done
R="$("$S" history -f "$M" canary --json | python3 -c "import json,sys;d=json.load(sys.stdin)['deployments'][0];print('canary', d['to'], d['state'], 'after a kill -9 of the control plane')")"
wait "$P"
summarize "kill -9 control plane mid-canary" "$OUT" "$R"
