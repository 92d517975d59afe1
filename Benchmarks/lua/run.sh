#!/usr/bin/env bash
# Benchmarks the flireo module (issue 5): flireo.parallel linking 10,000 assistants at
# concurrency 32 (client pacing off) against the release-built sandbox, next to wrk
# posting the same request at the same concurrency in the same run; then the same job
# with 20 ms of sandbox latency against the ideal time (items × latency / concurrency).
# Each phase also prints the CPU it cost per request: the sandbox's (from /proc) and the
# client's (from /usr/bin/time): on two cores shared by client and server, the ratio of
# the rates follows the ratio of those sums.
# Then the same links without Lua (`flireo-bench links`, built beside flireo), and reads of
# the links (GET): the HTTP core, AsyncHTTPClient called directly and bare SwiftNIO, each
# next to wrk.
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

# CPU time of a process in clock ticks (user + system), and the sandbox's request count.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
served() { curl -sf "$URL/_sandbox/stats" -H "Authorization: Bearer $KEY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["requests"])'; }
per() { python3 -c "print(round(($1) * 1e6 / $(getconf CLK_TCK) / ($2), 1))"; }  # ticks, requests → µs each
client() { awk -v r="$1" '{printf "%.1f", ($1 + $2) * 1e6 / r}' "$WORK/time"; }      # /usr/bin/time's, requests → µs each

echo "== no latency, concurrency $C"
curl -sf -X DELETE "$URL/_sandbox/stats" -H "Authorization: Bearer $KEY" >/dev/null
S0=$(ticks "$SERVER")
/usr/bin/time -f "%U %S" -o "$WORK/time" wrk -t2 -c"$C" -d5s -s Benchmarks/sandbox/link.lua "$URL" -- "$WORK/ids" "$DEFAULT" "$KEY" >"$WORK/wrk"
S1=$(ticks "$SERVER"); R=$(served)
echo "wrk POST link: $(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk") req/s; CPU µs per request: sandbox $(per "$S1 - $S0" "$R"), wrk $(client "$R")"
curl -sf -X POST "$URL/_sandbox/reset" -H "Authorization: Bearer $KEY" >/dev/null
curl -sf -X DELETE "$URL/_sandbox/stats" -H "Authorization: Bearer $KEY" >/dev/null
S0=$(ticks "$SERVER")
FLIREO_BASE_URL=$URL FLIREO_API_KEY=$KEY /usr/bin/time -f "%U %S" -o "$WORK/time" "$BIN" --rate-limit off Benchmarks/lua/link-parallel.lua "$C"
S1=$(ticks "$SERVER"); R=$(served)
echo "CPU µs per request: sandbox $(per "$S1 - $S0" "$R"), flireo $(client "$R") (whole process, the account's listing included)"

# The same job without Lua, by the HTTP core alone and by the two layers under it
# (AsyncHTTPClient called directly, bare SwiftNIO), next to wrk again: the bound the
# module's rate can reach on each (skipped when flireo-bench is not built).
BENCH=${BENCH:-$(dirname "$BIN")/flireo-bench}
if [ -x "$BENCH" ]; then
  echo "== the same links without Lua, concurrency $C"
  curl -sf -X POST "$URL/_sandbox/reset" -H "Authorization: Bearer $KEY" >/dev/null
  for method in POST GET; do
    echo "-- $method"
    "$BENCH" links --method "$method" --url "$URL" --key "$KEY" --ids "$WORK/ids" --number "$DEFAULT" \
      --server-pid "$SERVER" --concurrency "$C" --seconds "${SECONDS_PER_CLIENT:-3}" --rounds "${ROUNDS:-3}"
  done
fi

echo "== 20 ms latency, concurrency $C (ideal: $N × 0.020 / $C = $(python3 -c "print(round($N * 0.020 / $C, 3))") s)"
serve --latency-ms 20
FLIREO_BASE_URL=$URL FLIREO_API_KEY=$KEY "$BIN" --rate-limit off Benchmarks/lua/link-parallel.lua "$C"
