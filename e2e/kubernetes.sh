#!/usr/bin/env bash
# Slipway's Kubernetes scenarios against a real cluster you point it at (k3s, kind, EKS...): the ones
# KubernetesCliIT runs against the fabric8 mock server and a simulated kubelet, here with a real
# API server, real kubelets and real images. Public images only; it builds nothing but the CLI.
#
#   SLIPWAY_E2E_KUBECONFIG=~/.kube/config e2e/kubernetes.sh [--context NAME]
#   e2e/kubernetes.sh --kubeconfig FILE [--context NAME] [--namespace NS] [--keep] [--no-kubectl]
#   SLIPWAY_E2E_CONTEXT=kind-kind e2e/kubernetes.sh          # the default kubeconfig, that context
#
# It works in a namespace of its own (default slipway-e2e, created by the first deploy) and deletes
# what it created at the end (--keep leaves it). With kubectl on PATH it also checks the objects
# through kubectl (--no-kubectl: only through slipway). With neither a kubeconfig nor a context given it
# touches no cluster: it prints "skipped: no cluster configured" and exits 0 — it never falls back
# to whatever ~/.kube/config points at by itself.
#
# Environment: SLIPWAY_E2E_KUBECONFIG, SLIPWAY_E2E_CONTEXT, SLIPWAY_E2E_NAMESPACE; SLIPWAY_E2E_TAGS:
# two tags of docker.io/nginxinc/nginx-unprivileged (default "1.27-alpine 1.26-alpine");
# SLIPWAY_E2E_IMAGE: that repository elsewhere (no tag), for a cluster that pulls from a mirror;
# SLIPWAY_E2E_CLI: the slipway command to run (default: the launcher; the script's own test sets it).
# Exit: 0 every scenario passed (or skipped), 1 one failed (its output is printed), 2 bad usage.
set -uo pipefail

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
}

kubeconfig="${SLIPWAY_E2E_KUBECONFIG:-}"
context="${SLIPWAY_E2E_CONTEXT:-}"
namespace="${SLIPWAY_E2E_NAMESPACE:-slipway-e2e}"
read -r -a tags <<<"${SLIPWAY_E2E_TAGS:-1.27-alpine 1.26-alpine}"
image="${SLIPWAY_E2E_IMAGE:-docker.io/nginxinc/nginx-unprivileged}"
keep=0
use_kubectl=1
while [ $# -gt 0 ]; do
  case "$1" in
    --kubeconfig) [ $# -ge 2 ] || { usage >&2; exit 2; }; kubeconfig="$2"; shift 2 ;;
    --kubeconfig=*) kubeconfig="${1#*=}"; shift ;;
    --context) [ $# -ge 2 ] || { usage >&2; exit 2; }; context="$2"; shift 2 ;;
    --context=*) context="${1#*=}"; shift ;;
    --namespace) [ $# -ge 2 ] || { usage >&2; exit 2; }; namespace="$2"; shift 2 ;;
    --namespace=*) namespace="${1#*=}"; shift ;;
    --keep) keep=1; shift ;;
    --no-kubectl) use_kubectl=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "e2e/kubernetes.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -z "$kubeconfig" ] && [ -z "$context" ]; then
  echo "skipped: no cluster configured (set SLIPWAY_E2E_KUBECONFIG or pass --kubeconfig FILE / --context NAME)"
  exit 0
fi
if [ -n "$kubeconfig" ] && [ ! -r "$kubeconfig" ]; then
  echo "e2e/kubernetes.sh: cannot read the kubeconfig $kubeconfig" >&2
  exit 2
fi
if [ "${#tags[@]}" -lt 2 ]; then
  echo "e2e/kubernetes.sh: SLIPWAY_E2E_TAGS wants two tags, e.g. \"1.27-alpine 1.26-alpine\"" >&2
  exit 2
fi
if ! [[ "$namespace" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]]; then
  echo "e2e/kubernetes.sh: \`$namespace\` is not a namespace name (lower-case letters, digits, '-')" >&2
  exit 2
fi

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
slipway="${SLIPWAY_E2E_CLI:-$here/../slipway}"
work="$(mktemp -d "${TMPDIR:-/tmp}/slipway-e2e.XXXXXX")"
model="$work/slipway.yaml"
# The model with this run's namespace and image repository; the tags come with each deploy.
sed -e "s|namespace: slipway-e2e|namespace: $namespace|" -e "s|docker.io/nginxinc/nginx-unprivileged|$image|" \
  "$here/kubernetes/slipway.yaml" >"$model"

# What every command gets to reach the cluster (the model's environment names no context).
conn=()
[ -n "$kubeconfig" ] && conn+=(--kubeconfig "$kubeconfig")
[ -n "$context" ] && conn+=(--context "$context")

failures=0
out="$work/last.log"

# run EXPECTED NAME ARGS...: runs slipway, passes when its exit code is EXPECTED; the output stays in $out.
run() {
  local expected="$1" name="$2" code
  shift 2
  "$slipway" "$@" </dev/null >"$out" 2>&1
  code=$?
  if [ "$code" -eq "$expected" ]; then
    echo "ok   - $name"
    return 0
  fi
  echo "FAIL - $name: exit $code, expected $expected"
  echo "       slipway $*"
  sed 's/^/       | /' "$out"
  failures=$((failures + 1))
  return 1
}

# expect NAME PATTERN: the last command's output matches the extended regular expression PATTERN.
expect() {
  if grep -Eq -- "$2" "$out"; then
    echo "ok   - $1"
  else
    echo "FAIL - $1: no line matches /$2/"
    sed 's/^/       | /' "$out"
    failures=$((failures + 1))
  fi
}

# expect_none NAME PATTERN: no line of the last command's output matches PATTERN.
expect_none() {
  if grep -Eq -- "$2" "$out"; then
    echo "FAIL - $1: a line matches /$2/"
    sed 's/^/       | /' "$out"
    failures=$((failures + 1))
  else
    echo "ok   - $1"
  fi
}

# kube NAME ARGS...: runs kubectl on the cluster under test; a kubectl that fails fails the check.
kube() {
  local name="$1"
  shift
  if kubectl ${kubectl_conn[@]+"${kubectl_conn[@]}"} "$@" >"$out" 2>&1; then
    return 0
  fi
  echo "FAIL - $name: kubectl $* failed"
  sed 's/^/       | /' "$out"
  failures=$((failures + 1))
  return 1
}

cleanup() {
  if [ "$keep" -eq 0 ]; then
    "$slipway" down --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --yes </dev/null >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "e2e/kubernetes.sh: namespace $namespace, ${kubeconfig:-the default kubeconfig}${context:+, context $context}"
t1="${tags[0]}"
t2="${tags[1]}"

# 1. The first deploy applies the whole application and waits for it.
run 0 "deploy api (first deploy: the whole app) at $t1" deploy api --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --image-tag "$t1" --wait
kubectl_conn=()
[ -n "$kubeconfig" ] && kubectl_conn+=(--kubeconfig "$kubeconfig")
[ -n "$context" ] && kubectl_conn+=(--context "$context")
if [ "$use_kubectl" -eq 1 ] && ! command -v kubectl >/dev/null 2>&1; then
  echo "note: no kubectl on PATH; checking through slipway only"
  use_kubectl=0
fi
if [ "$use_kubectl" -eq 1 ] &&
  kube "the namespace's objects (kubectl)" get deployments,services -n "$namespace" -l app.kubernetes.io/managed-by=slipway -o name; then
  expect "the namespace holds Slipway's Deployments (kubectl)" '^deployment\.apps/(api|web)'
fi

# 2. status --json and history read the state back from the cluster.
run 0 "status --json" status --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --json &&
  expect "status shows api at $t1" "\"image\" *: *\"[^\"]*:$t1\""
run 0 "history api" history api --env e2e -f "$model" ${conn[@]+"${conn[@]}"} && expect "history lists r1" '^r1 '

# 3. A canary to the second tag goes live.
run 0 "deploy api at $t2 (canary)" deploy api --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --image-tag "$t2" --wait
run 0 "status --json after the canary" status --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --json &&
  expect "status shows api at $t2" "\"image\" *: *\"[^\"]*:$t2\""

# 4. A release whose pods never become ready (its image cannot be pulled) is rolled back: exit 1,
#    traffic still on the previous release.
run 1 "deploy api at a tag that does not exist: rolled back" deploy api --env e2e -f "$model" ${conn[@]+"${conn[@]}"} \
  --image-tag slipway-e2e-no-such-tag --wait
run 0 "status --json after the rollback" status --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --json &&
  expect "api still serves $t2" "\"image\" *: *\"[^\"]*:$t2\""

# 5. Errors: an unknown context names the contexts there; an unreachable server names its endpoint.
kc=()
[ -n "$kubeconfig" ] && kc+=(--kubeconfig "$kubeconfig")
run 2 "an unknown context: exit 2" status --env e2e -f "$model" ${kc[@]+"${kc[@]}"} --context slipway-e2e-no-such-context &&
  expect "the message names the context asked for" 'slipway-e2e-no-such-context'
cat >"$work/unreachable.yaml" <<'EOF'
apiVersion: v1
kind: Config
clusters:
- name: unreachable
  cluster: { server: "https://127.0.0.1:9" }
users:
- name: nobody
  user: { token: not-a-token }
contexts:
- name: unreachable
  context: { cluster: unreachable, user: nobody }
current-context: unreachable
EOF
"$slipway" status --env e2e -f "$model" --kubeconfig "$work/unreachable.yaml" </dev/null >"$out" 2>&1
code=$?
if [ "$code" -ne 0 ]; then echo "ok   - an unreachable server: exit $code"; else echo "FAIL - an unreachable server: exit 0"; failures=$((failures + 1)); fi
expect "the message names the endpoint" '127\.0\.0\.1:9'

# 6. down: without a terminal and without --yes nothing is deleted; with --yes everything goes.
run 2 "down without --yes and without a terminal: refused" down --env e2e -f "$model" ${conn[@]+"${conn[@]}"}
run 0 "down --yes" down --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --yes
run 0 "status --json after down" status --env e2e -f "$model" ${conn[@]+"${conn[@]}"} --json &&
  expect_none "no service has a release any more" '"release" *: *"r[0-9]'
if [ "$use_kubectl" -eq 1 ] && kube "what is left (kubectl)" get deployments,statefulsets,services,configmaps,secrets,leases \
  -n "$namespace" -l app.kubernetes.io/managed-by=slipway -o name; then
  expect_none "nothing of Slipway's is left (kubectl)" '^[a-z.]+/'
fi

if [ "$failures" -gt 0 ]; then
  echo "e2e/kubernetes.sh: $failures check(s) failed"
  exit 1
fi
echo "e2e/kubernetes.sh: every scenario passed"
