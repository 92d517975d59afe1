#!/usr/bin/env bash
# Benchmarks the flireo module (issue 5): flireo.parallel linking 10,000 assistants at
# concurrency 32 (client pacing off) against the release-built sandbox, next to wrk
# posting the same request at the same concurrency in the same run; then the same job
# with 20 ms of sandbox latency against the ideal time (items × latency / concurrency).
# Usage: Benchmarks/lua/run.sh [path/to/release/flireo] [assistants] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build-release/release/flireo}
N=${2:-10000}
C=${3:-32}
KEY=sk_bench_key
WORK=$(mktemp -d)
SERVER=
stop() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; SERVER=; }
trap 'stop; rm -rf "$WORK"' EXIT

serve() { # extra sandbox flags...
  stop
  "$BIN" sandbox serve --port 0 --seed 1 --assistants "$N" --numbers 10 --api-key "$KEY" "$@" >"$WORK/out" 2>"$WORK/err" &
  SERVER=$!
  for _ in $(seq 200); do grep -q '^listening on ' "$WORK/out" && break; sleep 0.05; done
  URL=$(sed -n 's/^listening on //p' "$WORK/out")
}

serve
DEFAULT=$(curl -sf "$URL/_sandbox/fixture" -H "Authorization: Bearer $KEY" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["default_numbers"][0])')
for offset in $(seq 0 100 $((N - 1))); do
  curl -sf "$URL/v1/assistants?limit=100&offset=$offset" -H "Authorization: Bearer $KEY"; echo
done | python3 -c 'import json,sys; [print(a["id"]) for l in sys.stdin if l.strip() for a in json.loads(l)["data"]]' >"$WORK/ids"

echo "== no latency, concurrency $C"
wrk -t2 -c"$C" -d5s -s Benchmarks/sandbox/link.lua "$URL" -- "$WORK/ids" "$DEFAULT" "$KEY" |
  awk '/^Requests\/sec/ {print "wrk POST link: " $2 " req/s"}'
curl -sf -X POST "$URL/_sandbox/reset" -H "Authorization: Bearer $KEY" >/dev/null
FLIREO_BASE_URL=$URL FLIREO_API_KEY=$KEY "$BIN" --rate-limit off Benchmarks/lua/link-parallel.lua "$C"

echo "== 20 ms latency, concurrency $C (ideal: $N × 0.020 / $C = $(python3 -c "print(round($N * 0.020 / $C, 3))") s)"
serve --latency-ms 20
FLIREO_BASE_URL=$URL FLIREO_API_KEY=$KEY "$BIN" --rate-limit off Benchmarks/lua/link-parallel.lua "$C"
