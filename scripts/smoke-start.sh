#!/usr/bin/env bash
# Runs `npm start` exactly as the README says (embedded defaults, in a scratch directory for PGlite
# data), waits for readiness, checks the main endpoints, then stops it with SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${SMOKE_PORT:-5917}"
data_dir="$(mktemp -d)"
log="$(mktemp)"
pid=""
# Whatever ends this script, no server of it outlives it.
trap 'if [ -n "$pid" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi; rm -rf "$data_dir" "$log"' EXIT

# A session of its own, so the whole npm → sh → node chain can be signalled as one process group.
PORT="$port" HOST=127.0.0.1 PGLITE_DATA_DIR="$data_dir" setsid npm start >"$log" 2>&1 &
pid=$!

ready=""
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then ready=yes; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "smoke: the service did not become ready"; cat "$log"; kill -KILL -- "-$pid" 2>/dev/null || true; exit 1
fi

# The whole body first, then grep: piped, `grep -q` may stop reading at its match and curl fail
# writing the rest of a large body (exit 23), which pipefail turns into a failed smoke test.
serves() {
  local body
  body="$(curl -fsS "http://127.0.0.1:$port$1")" || { echo "smoke: GET $1 failed"; return 1; }
  grep -q -- "$2" <<<"$body" || { echo "smoke: GET $1 lacks $2"; return 1; }
}
serves /api/integrations/providers '"openai"'
serves /docs-json '/api/integrations/execute'
# The dashboard's files ship in the build (nest-cli.json assets): the page and its script load.
serves /dashboard '/dashboard/dashboard.js'
serves /dashboard/dashboard.js 'usage dashboard'
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
  -d '{"provider":"openai","operation":"chat.completions","params":{"messages":[]}}' "http://127.0.0.1:$port/api/integrations/execute")
[ "$code" = "401" ] || { echo "smoke: expected 401 for an unauthenticated execute, got $code"; exit 1; }

# SIGTERM to the group, as a container runtime stops a pod; the service must drain and exit.
kill -TERM -- "-$pid"
for _ in $(seq 1 40); do
  pgrep -g "$pid" >/dev/null || break
  sleep 0.25
done
if pgrep -g "$pid" >/dev/null; then
  echo "smoke: the service did not exit within 10 s of SIGTERM"; cat "$log"; kill -KILL -- "-$pid" 2>/dev/null || true; exit 1
fi
echo "smoke: npm start booted on embedded PGlite, answered probes and exited on SIGTERM"
