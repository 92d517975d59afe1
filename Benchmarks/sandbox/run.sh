#!/usr/bin/env bash
# Benchmarks the sandbox with wrk (issue 4): GET and POST of /v1/assistants/{id}/phone-number
# with 1, 8 and 64 connections, next to a reference measured in the same run: GET
# /_sandbox/faults, a route of the same server with no authentication, store or stats (the
# framework's floor). Prints one line per run; BENCHMARKS.md records the figures.
# Usage: Benchmarks/sandbox/run.sh [path/to/release/flireo] [seconds per run]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build-release/release/flireo}
SECONDS_PER_RUN=${2:-10}
KEY=sk_bench_key
WORK=$(mktemp -d)
"$BIN" sandbox serve --port 0 --seed 1 --assistants 2000 --numbers 2000 --api-key "$KEY" >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$WORK/out" && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' "$WORK/out")
FIXTURE=$(curl -sf "$URL/_sandbox/fixture" -H "Authorization: Bearer $KEY")
ASSISTANT=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["assistant_with_custom_number"])' <<<"$FIXTURE")
DEFAULT=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["default_numbers"][0])' <<<"$FIXTURE")
for offset in 0 100 200 300 400 500 600 700 800 900; do
  curl -sf "$URL/v1/assistants?limit=100&offset=$offset" -H "Authorization: Bearer $KEY"
  echo
done | python3 -c 'import json,sys; [print(a["id"]) for l in sys.stdin if l.strip() for a in json.loads(l)["data"]]' >"$WORK/ids"

run() { # name connections wrk-arguments...
  local name=$1 connections=$2; shift 2
  local threads=$(( connections < 2 ? 1 : 2 ))
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"${SECONDS_PER_RUN}s" --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-28s c=%-3s %10s req/s  p50 %-9s p99 %-9s non-2xx %s\n' "$name" "$connections" "$rps" "$p50" "$p99" "${errors:-0}"
}

for connections in 1 8 64; do
  run "reference GET /_sandbox/faults" "$connections" "$URL/_sandbox/faults"
  run "GET phone-number" "$connections" -H "Authorization: Bearer $KEY" "$URL/v1/assistants/$ASSISTANT/phone-number"
  run "POST phone-number (link)" "$connections" -s Benchmarks/sandbox/link.lua "$URL" -- "$WORK/ids" "$DEFAULT" "$KEY"
done
curl -sf "$URL/_sandbox/stats" | python3 -c 'import json,sys; s=json.load(sys.stdin)["data"]; print("server stats: requests", s["requests"], "max_in_flight", s["max_in_flight"], "statuses", s["statuses"])'
