#!/usr/bin/env bash
# `slipway generate all` on a model with N services (default 200), timed end to end (wall clock of the
# whole command, JVM start included) and as the command reports it (model loading + generation + writing).
#
#   bench/generate/run.sh [SERVICES] [RUNS]        (defaults: 200 services, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
N="${1:-200}"
RUNS="${2:-5}"
TMP="$(mktemp -d /tmp/slipway-gen-bench.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

{
  echo "name: big"
  echo "services:"
  for i in $(seq 1 "$N"); do
    dep=""
    if [ "$i" -gt 1 ]; then dep="    dependsOn: { s$((i - 1)): healthy, db: healthy }"; else dep="    dependsOn: { db: healthy }"; fi
    cat <<YAML
  s$i:
    run: "java -jar s$i.jar"
    image: ghcr.io/acme/s$i:1.0.$i
    port: 8080
    health: { ready: /health/ready, live: /health/live }
    resources: { cpu: 250m, memory: 256Mi }
    replicas: 2
    env: { DATABASE_URL: "\${resources.db.jdbcUrl}", DATABASE_PASSWORD: "\${resources.db.password}", NEXT_URL: "\${services.s$(( i % N + 1 )).url}" }
$dep
    strategy: { rolling: { maxSurge: 1, maxUnavailable: 0 } }
YAML
  done
  cat <<YAML
resources:
  db: { type: postgres, version: "15" }
environments:
  dev: { target: local }
  staging: { target: kubernetes, namespace: big-staging }
  production: { target: kubernetes, namespace: big }
YAML
} > "$TMP/slipway.yaml"

./slipway validate -f "$TMP/slipway.yaml" >/dev/null   # builds the CLI if needed, outside the timing
echo "model: $N services; $RUNS runs of: slipway generate all --env production"
for r in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  line="$(./slipway generate all -f "$TMP/slipway.yaml" --env production -o "$TMP/out" -q | tail -1)"
  end=$(date +%s.%N)
  printf 'run %d: wall %.2fs | %s\n' "$r" "$(echo "$end - $start" | bc)" "$line"
  rm -rf "$TMP/out"
done
echo "files: $(./slipway generate all -f "$TMP/slipway.yaml" --env production -o "$TMP/out" -q >/dev/null; find "$TMP/out" -type f | wc -l)"
