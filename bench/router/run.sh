#!/usr/bin/env bash
# The Slipway router versus nginx as a reverse proxy, in front of the same backend, measured side by side.
#
#   bench/router/run.sh [ROUNDS] [DURATION]          (defaults: 4 rounds of 20s each per proxy)
#
# Environment: THREADS (wrk threads, 2), CONNS (wrk connections, 64), WARMUP (per proxy, 30s),
#   ROUTER_JAVA_OPTS (the router JVM's flags; default = the ones docs/router.md recommends),
#   ROUTER_IO_THREADS (2), BASE_PORT (42080; uses BASE_PORT+1..+4).
#
# Everything runs on 127.0.0.1 from a temp directory that is removed at the end, with every process
# this script started stopped by its pid. Needs nginx and wrk: installed with apt-get when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

ROUNDS="${1:-4}"
DURATION="${2:-20s}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
WARMUP="${WARMUP:-30s}"
ROUTER_IO_THREADS="${ROUTER_IO_THREADS:-2}"
ROUTER_JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms64m -Xmx64m -XX:+UseSerialGC -Xss512k --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow}"
BASE_PORT="${BASE_PORT:-42080}"
BACKEND_PORT=$((BASE_PORT + 1))
NGINX_PORT=$((BASE_PORT + 2))
ROUTER_PORT=$((BASE_PORT + 3))
ADMIN_PORT=$((BASE_PORT + 4))

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench/router: nginx and wrk are needed; run as root or 'sudo apt-get install -y nginx wrk'" >&2
    exit 1
  fi
  echo "installing nginx and wrk ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null
fi
NGINX="$(command -v nginx)"

. "$ROOT/bin/lib/jdk.sh"
slipway_find_jdk

TMP="$(mktemp -d /tmp/slipway-router-bench.XXXXXX)"
chmod 755 "$TMP"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

for p in "$BACKEND_PORT" "$NGINX_PORT" "$ROUTER_PORT" "$ADMIN_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "bench/router: port $p is in use; set BASE_PORT to a free range" >&2
    exit 1
  fi
done

echo "building slipway-router ..."
mvn -B -q -pl slipway-router compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$TMP/cp.txt" >/dev/null
CP="$(tr ':' '\n' < "$TMP/cp.txt" | grep '/io/netty/' | paste -sd:):$ROOT/slipway-router/target/classes"

# ---------------------------------------------------------------- the backend: nginx answering from memory
# The same tiny nginx serves both proxies: C, no JIT, no GC, a fixed 32-byte body, keep-alive without limit,
# so what differs between the two runs is only the proxy.
mkdir -p "$TMP/backend" "$TMP/nginx"
nginx_common() { # $1 = prefix dir
  cat <<EOF
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
EOF
}
nginx_http_common() { # $1 = prefix dir
  cat <<EOF
  access_log off;
  client_body_temp_path $1/client_body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 75s;
EOF
}
{
  nginx_common "$TMP/backend"
  echo "worker_processes 1;"
  echo "events { worker_connections 4096; }"
  echo "http {"
  nginx_http_common "$TMP/backend"
  cat <<EOF
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location / { default_type text/plain; return 200 "hello from the bench backend\n"; }
  }
}
EOF
} > "$TMP/backend/nginx.conf"

# ---------------------------------------------------------------- the reference proxy: nginx
{
  nginx_common "$TMP/nginx"
  echo "worker_processes auto;"
  echo "events { worker_connections 4096; }"
  echo "http {"
  nginx_http_common "$TMP/nginx"
  cat <<EOF
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
    keepalive_requests 10000000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
} > "$TMP/nginx/nginx.conf"

"$NGINX" -p "$TMP/backend" -c "$TMP/backend/nginx.conf" >"$TMP/backend/stdout" 2>&1 &
PIDS+=($!)
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout" 2>&1 &
NGINX_PID=$!
PIDS+=($NGINX_PID)

# ---------------------------------------------------------------- the router
# shellcheck disable=SC2086
java $ROUTER_JAVA_OPTS -cp "$CP" dev.slipway.router.RouterMain --state-dir "$TMP/router" \
  --admin-port "$ADMIN_PORT" --io-threads "$ROUTER_IO_THREADS" >"$TMP/router.log" 2>&1 &
ROUTER_PID=$!
PIDS+=($ROUTER_PID)
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$ADMIN_PORT/health" && break
  sleep 0.1
done
curl -fs -X PUT "http://127.0.0.1:$ADMIN_PORT/routes" -d "{\"services\":{\"bench\":{\"listen\":$ROUTER_PORT,
  \"backends\":[{\"id\":\"bench-1\",\"version\":\"r1\",\"port\":$BACKEND_PORT}]}}}" >/dev/null

for p in "$BACKEND_PORT" "$NGINX_PORT" "$ROUTER_PORT"; do
  for _ in $(seq 1 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$p/" && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$p/" | grep -q "hello from the bench backend" || {
    echo "bench/router: nothing answers on port $p" >&2; cat "$TMP/router.log" >&2; exit 1; }
done

# CPU time (user + system, all threads) of a process and its children, in clock ticks: nginx's master
# forks the workers; the router is one process.
cpu_ticks() {
  local t=0 c s
  for c in "$1" $(pgrep -P "$1"); do
    s=$(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0)
    t=$((t + s))
  done
  echo "$t"
}
HZ="$(getconf CLK_TCK)"

run_wrk() { # $1 = port, $2 = duration, $3 = proxy pid; prints "rps p50_ms p99_ms cpu_us_per_request errors"
  local c0 c1
  c0=$(cpu_ticks "$3")
  wrk -t"$THREADS" -c"$CONNS" -d"$2" --latency "http://127.0.0.1:$1/" > "$TMP/wrk.out" 2>&1
  c1=$(cpu_ticks "$3")
  awk -v cpu=$((c1 - c0)) -v hz="$HZ" '
    function ms(v) { if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0;
                     if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }
    /requests in/ { n=$1 }
    /Requests\/sec/ { rps=$2 }
    $1=="50%" { p50=ms($2) } $1=="99%" { p99=ms($2) }
    /Non-2xx|Socket errors/ { err=err $0 ";" }
    END { printf "%.0f %.3f %.3f %.1f %s\n", rps, p50, p99, cpu / hz * 1e6 / n, (err=="" ? "-" : err) }' "$TMP/wrk.out"
}

echo "warming up: $WARMUP per proxy (the router's JIT compiles its hot paths) ..."
run_wrk "$NGINX_PORT" "$WARMUP" "$NGINX_PID" >/dev/null
run_wrk "$ROUTER_PORT" "$WARMUP" "$ROUTER_PID" >/dev/null

echo
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, $ROUNDS rounds, alternating; $(nproc) cores; $(date -u +%Y-%m-%d)"
printf '%-7s %-7s %12s %10s %10s %12s  %s\n' round proxy "requests/s" "p50 ms" "p99 ms" "CPU us/req" errors
declare -a N_RPS R_RPS N_P99 R_P99 N_P50 R_P50 N_CPU R_CPU
for i in $(seq 1 "$ROUNDS"); do
  for proxy in nginx router; do
    port=$NGINX_PORT; pid=$NGINX_PID
    [ "$proxy" = router ] && port=$ROUTER_PORT && pid=$ROUTER_PID
    read -r rps p50 p99 cpu err < <(run_wrk "$port" "$DURATION" "$pid")
    printf '%-7s %-7s %12s %10s %10s %12s  %s\n' "$i" "$proxy" "$rps" "$p50" "$p99" "$cpu" "$err"
    if [ "$proxy" = nginx ]; then N_RPS+=("$rps"); N_P50+=("$p50"); N_P99+=("$p99"); N_CPU+=("$cpu");
    else R_RPS+=("$rps"); R_P50+=("$p50"); R_P99+=("$p99"); R_CPU+=("$cpu"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END { if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
nr=$(median "${N_RPS[@]}"); rr=$(median "${R_RPS[@]}")
n50=$(median "${N_P50[@]}"); r50=$(median "${R_P50[@]}")
n99=$(median "${N_P99[@]}"); r99=$(median "${R_P99[@]}")
nc=$(median "${N_CPU[@]}"); rc=$(median "${R_CPU[@]}")
printf '%-7s %-7s %12s %10s %10s %12s\n' median nginx "$nr" "$n50" "$n99" "$nc"
printf '%-7s %-7s %12s %10s %10s %12s\n' median router "$rr" "$r50" "$r99" "$rc"
awk -v r="$rr" -v n="$nr" -v r99="$r99" -v n99="$n99" 'BEGIN {
  printf "router/nginx throughput: %.2fx (target >= 1.00x); p99: router %.3f ms vs nginx %.3f ms (%.2fx)\n", r/n, r99, n99, r99/n99 }'
echo "router JVM: $ROUTER_JAVA_OPTS, --io-threads $ROUTER_IO_THREADS; RSS $(($(ps -o rss= -p "$ROUTER_PID") / 1024)) MB after the runs"
