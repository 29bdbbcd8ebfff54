#!/usr/bin/env bash
# The Slipway router versus nginx and HAProxy as reverse proxies, in front of the same backend, measured
# side by side in the same alternating rounds.
#
#   bench/router/run.sh [ROUNDS] [DURATION]          (defaults: 4 rounds of 20s each per proxy)
#
# Environment: THREADS (wrk threads, 2), CONNS (wrk connections, 64), WARMUP (per proxy, 30s),
#   ROUTER_JAVA_OPTS (the router JVM's flags; default = the ones docs/router.md recommends),
#   ROUTER_IO_THREADS (2), PROXIES (which to measure, in round order: "nginx haproxy router"),
#   BASE_PORT (42080; uses BASE_PORT+1..+5).
#
# Everything runs on 127.0.0.1 from a temp directory that is removed at the end, with every process
# this script started stopped by its pid. Needs nginx, haproxy and wrk: installed with apt-get when
# missing (as root).
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
PROXIES="${PROXIES:-nginx haproxy router}"
BASE_PORT="${BASE_PORT:-42080}"
BACKEND_PORT=$((BASE_PORT + 1))
NGINX_PORT=$((BASE_PORT + 2))
ROUTER_PORT=$((BASE_PORT + 3))
ADMIN_PORT=$((BASE_PORT + 4))
HAPROXY_PORT=$((BASE_PORT + 5))

for p in $PROXIES; do
  case "$p" in
    nginx|haproxy|router) ;;
    *) echo "bench/router: PROXIES: unknown proxy '$p'; use nginx, haproxy and/or router" >&2; exit 2 ;;
  esac
done

# Debian installs the daemons in /usr/sbin, which a non-root PATH may lack.
PATH="$PATH:/usr/sbin:/sbin"
if ! command -v nginx >/dev/null || ! command -v haproxy >/dev/null || ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench/router: nginx, haproxy and wrk are needed; run as root or 'sudo apt-get install -y nginx haproxy wrk'" >&2
    exit 1
  fi
  echo "installing nginx, haproxy and wrk ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx haproxy wrk >/dev/null
fi
NGINX="$(command -v nginx)"
HAPROXY="$(command -v haproxy)"

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

for p in "$BACKEND_PORT" "$NGINX_PORT" "$ROUTER_PORT" "$ADMIN_PORT" "$HAPROXY_PORT"; do
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
# The same tiny nginx serves every proxy: C, no JIT, no GC, a fixed 32-byte body, keep-alive without limit,
# so what differs between the runs is only the proxy.
mkdir -p "$TMP/backend" "$TMP/nginx" "$TMP/haproxy"
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

# ---------------------------------------------------------------- the second reference proxy: HAProxy
# Two threads, as nginx has two workers; idle backend connections shared by all clients (http-reuse
# always), as nginx's upstream keep-alive and the router's pool are; timeouts like the router's defaults.
cat > "$TMP/haproxy/haproxy.cfg" <<EOF
global
  nbthread 2
  maxconn 4096
  pidfile $TMP/haproxy/haproxy.pid

defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 75s

frontend bench
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend backend

backend backend
  server backend-1 127.0.0.1:$BACKEND_PORT
EOF
"$HAPROXY" -c -q -f "$TMP/haproxy/haproxy.cfg" || { echo "bench/router: haproxy rejects its config" >&2; exit 1; }

"$NGINX" -p "$TMP/backend" -c "$TMP/backend/nginx.conf" >"$TMP/backend/stdout" 2>&1 &
PIDS+=($!)
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout" 2>&1 &
NGINX_PID=$!
PIDS+=($NGINX_PID)
# -db: foreground, one process with nbthread threads (no master), so $! is what is measured and stopped.
"$HAPROXY" -db -f "$TMP/haproxy/haproxy.cfg" >"$TMP/haproxy/stdout" 2>&1 &
HAPROXY_PID=$!
PIDS+=($HAPROXY_PID)

# ---------------------------------------------------------------- the router
# Every safepoint (garbage collections included) logged with its pause, to count them against wrk's tail.
# shellcheck disable=SC2086
java $ROUTER_JAVA_OPTS -Xlog:safepoint:file="$TMP/router-safepoints.log":uptime -cp "$CP" dev.slipway.router.RouterMain --state-dir "$TMP/router" \
  --admin-port "$ADMIN_PORT" --io-threads "$ROUTER_IO_THREADS" >"$TMP/router.log" 2>&1 &
ROUTER_PID=$!
PIDS+=($ROUTER_PID)
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$ADMIN_PORT/health" && break
  sleep 0.1
done
curl -fs -X PUT "http://127.0.0.1:$ADMIN_PORT/routes" -d "{\"services\":{\"bench\":{\"listen\":$ROUTER_PORT,
  \"backends\":[{\"id\":\"bench-1\",\"version\":\"r1\",\"port\":$BACKEND_PORT}]}}}" >/dev/null

for p in "$BACKEND_PORT" "$NGINX_PORT" "$HAPROXY_PORT" "$ROUTER_PORT"; do
  for _ in $(seq 1 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$p/" && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$p/" | grep -q "hello from the bench backend" || {
    echo "bench/router: nothing answers on port $p" >&2; cat "$TMP/router.log" "$TMP/haproxy/stdout" >&2; exit 1; }
done

# CPU time (user + system, all threads) of a process and its children, in clock ticks: nginx's master
# forks the workers; HAProxy and the router are one process each.
cpu_ticks() {
  local t=0 c s
  for c in "$1" $(pgrep -P "$1"); do
    s=$(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0)
    t=$((t + s))
  done
  echo "$t"
}
HZ="$(getconf CLK_TCK)"

# wrk's --latency stops at p99; this prints p99.9 too.
cat > "$TMP/tail.lua" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("p99.9 %.3f\n", latency:percentile(99.9) / 1000))
end
EOF
run_wrk() { # $1 = port, $2 = duration, $3 = proxy pid; prints "rps p50_ms p99_ms p999_ms cpu_us_per_request errors"
  local c0 c1
  c0=$(cpu_ticks "$3")
  wrk -t"$THREADS" -c"$CONNS" -d"$2" --latency -s "$TMP/tail.lua" "http://127.0.0.1:$1/" > "$TMP/wrk.out" 2>&1
  c1=$(cpu_ticks "$3")
  awk -v cpu=$((c1 - c0)) -v hz="$HZ" '
    function ms(v) { if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0;
                     if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }
    /requests in/ { n=$1 }
    /Requests\/sec/ { rps=$2 }
    $1=="50%" { p50=ms($2) } $1=="99%" { p99=ms($2) } $1=="p99.9" { p999=$2 }
    /Non-2xx|Socket errors/ { err=err $0 ";" }
    END { printf "%.0f %.3f %.3f %.3f %.1f %s\n", rps, p50, p99, p999, cpu / hz * 1e6 / n, (err=="" ? "-" : err) }' "$TMP/wrk.out"
}
port_of() { case "$1" in nginx) echo "$NGINX_PORT" ;; haproxy) echo "$HAPROXY_PORT" ;; router) echo "$ROUTER_PORT" ;; esac; }
pid_of() { case "$1" in nginx) echo "$NGINX_PID" ;; haproxy) echo "$HAPROXY_PID" ;; router) echo "$ROUTER_PID" ;; esac; }

echo "warming up: $WARMUP per proxy (the router's JIT compiles its hot paths) ..."
for proxy in $PROXIES; do
  run_wrk "$(port_of "$proxy")" "$WARMUP" "$(pid_of "$proxy")" >/dev/null
done

echo
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, $ROUNDS rounds, alternating; $(nproc) cores; $(date -u +%Y-%m-%d)"
printf '%-7s %-7s %12s %10s %10s %10s %12s  %s\n' round proxy "requests/s" "p50 ms" "p99 ms" "p99.9 ms" "CPU us/req" errors
declare -A RPS P50 P99 P999 CPU
: > "$TMP/router-pauses.log"
for i in $(seq 1 "$ROUNDS"); do
  for proxy in $PROXIES; do
    s0=$(wc -l < "$TMP/router-safepoints.log")
    read -r rps p50 p99 p999 cpu err < <(run_wrk "$(port_of "$proxy")" "$DURATION" "$(pid_of "$proxy")")
    # the router's pauses while wrk measured it
    [ "$proxy" = router ] && tail -n +"$((s0 + 1))" "$TMP/router-safepoints.log" >> "$TMP/router-pauses.log"
    printf '%-7s %-7s %12s %10s %10s %10s %12s  %s\n' "$i" "$proxy" "$rps" "$p50" "$p99" "$p999" "$cpu" "$err"
    RPS[$proxy]+=" $rps"; P50[$proxy]+=" $p50"; P99[$proxy]+=" $p99"; P999[$proxy]+=" $p999"; CPU[$proxy]+=" $cpu"
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END { if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
declare -A M_RPS M_P99
for proxy in $PROXIES; do
  # shellcheck disable=SC2086
  M_RPS[$proxy]=$(median ${RPS[$proxy]}); M_P99[$proxy]=$(median ${P99[$proxy]})
  # shellcheck disable=SC2086
  printf '%-7s %-7s %12s %10s %10s %10s %12s\n' median "$proxy" "${M_RPS[$proxy]}" "$(median ${P50[$proxy]})" \
    "${M_P99[$proxy]}" "$(median ${P999[$proxy]})" "$(median ${CPU[$proxy]})"
done
if [ -n "${M_RPS[router]:-}" ]; then
  for ref in nginx haproxy; do
    [ -n "${M_RPS[$ref]:-}" ] || continue
    awk -v ref="$ref" -v r="${M_RPS[router]}" -v n="${M_RPS[$ref]}" -v r99="${M_P99[router]}" -v n99="${M_P99[$ref]}" 'BEGIN {
      printf "router/%-7s throughput %.2fx, p99 %.2fx (router %.3f ms, %s %.3f ms)\n", ref, r / n, r99 / n99, r99, ref, n99 }'
  done
  echo "targets: router/nginx throughput >= 1.00x (goal 1.05x) and p99 <= 1.00x; router/haproxy p99 toward 1.00x"
  # "Total: N ns" is a safepoint's whole pause (reaching it, the operation, leaving it).
  awk -v secs="$(awk -v r="$ROUNDS" -v d="${DURATION%s}" 'BEGIN { print r * d }')" '
    match($0, /Total: [0-9]+ ns/) { t = substr($0, RSTART + 7, RLENGTH - 10) / 1e6; n++; sum += t; if (t > max) max = t;
                                    if ($0 ~ /Collect/) gc++ }
    END { printf "router VM pauses while measured: %d safepoint(s) (%d of them GC) in %d s, max %.3f ms, total %.1f ms (%.3f%% of the time)\n",
          n, gc, secs, max, sum, secs ? sum / secs / 10 : 0 }' "$TMP/router-pauses.log"
  echo "router JVM: $ROUTER_JAVA_OPTS, --io-threads $ROUTER_IO_THREADS; RSS $(($(ps -o rss= -p "$ROUTER_PID") / 1024)) MB after the runs"
fi
