#!/usr/bin/env bash
# Runs the conformance suite against Switchboard's /mcp, with the conformance fixture as the single
# stdio upstream and unprefixed names ("gateway": { "prefix": "never" }), so the suite sees the
# fixture's tools, resources and prompts exactly as it expects them — through the gateway. Both
# requirement sets run against the same gateway process: 2025-11-25 (sessions) and 2026-07-28
# (stateless requests), one after the other.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d)"
GW_PID=""
cleanup() {
  if [[ -n "$GW_PID" ]]; then kill "$GW_PID" 2>/dev/null || true; wait "$GW_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
cat >"$WORK/switchboard.json" <<JSON
{
  "gateway": { "prefix": "never" },
  "allowUnauthenticatedLoopback": true,
  "mcpServers": {
    "conformance": {
      "command": "$(command -v node)",
      "args": ["--import", "tsx", "test/fixtures/upstreams/conformance-server.ts", "--stdio"],
      "cwd": "$ROOT",
      "autoApproveToolChanges": true
    }
  }
}
JSON

(cd "$ROOT" && exec node --import tsx src/cli/run.ts serve --config "$WORK/switchboard.json" --port "$PORT" --data "$WORK/data") \
  >"$WORK/gateway.out" 2>"$WORK/gateway.err" &
GW_PID=$!
for _ in $(seq 1 300); do
  if curl -sf "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q '"state":"ready"'; then break; fi
  kill -0 "$GW_PID" 2>/dev/null || break
  sleep 0.1
done
if ! curl -sf "http://127.0.0.1:$PORT/health" | grep -q '"state":"ready"'; then
  echo "conformance: gateway or its upstream did not become ready" >&2
  tail -n 50 "$WORK/gateway.err" >&2
  exit 1
fi

status=0
for spec in 2025-11-25 2026-07-28; do
  CONFORMANCE_SPEC="$spec" bash "$ROOT/test/conformance/run.sh" "http://127.0.0.1:$PORT/mcp" || status=$?
done
if [[ $status -ne 0 ]]; then
  echo "--- gateway stderr ---" >&2
  tail -n 80 "$WORK/gateway.err" >&2
fi
exit $status
