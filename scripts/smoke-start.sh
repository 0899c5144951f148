#!/usr/bin/env bash
# Runs `npm start` exactly as the README says (embedded defaults, in a scratch directory for PGlite
# data), waits for readiness, checks the main endpoints, then stops it with SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${SMOKE_PORT:-5917}"
data_dir="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$data_dir" "$log"' EXIT

PORT="$port" HOST=127.0.0.1 PGLITE_DATA_DIR="$data_dir" npm start >"$log" 2>&1 &
pid=$!

ready=""
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then ready=yes; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "smoke: the service did not become ready"; cat "$log"; kill "$pid" 2>/dev/null || true; exit 1
fi

curl -fsS "http://127.0.0.1:$port/api/integrations/providers" | grep -q '"openai"'
curl -fsS "http://127.0.0.1:$port/docs-json" | grep -q '/api/integrations/execute'
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
  -d '{"provider":"openai","operation":"chat.completions","params":{"messages":[]}}' "http://127.0.0.1:$port/api/integrations/execute")
[ "$code" = "401" ] || { echo "smoke: expected 401 for an unauthenticated execute, got $code"; exit 1; }

# npm start runs node as a child: signal the node process itself, as a container runtime would.
node_pid=$(pgrep -P "$pid" -f 'dist/apps/integrations' || pgrep -f "dist/apps/integrations/src/main.js" | head -1)
kill -TERM "${node_pid:-$pid}"
wait "$pid" || true
echo "smoke: npm start booted on embedded PGlite, answered probes and shut down"
