#!/usr/bin/env bash
# Benchmarks link-from-csv (issue 7) against the release-built sandbox: ROWS rows (every
# assistant onto a free number, half given as E.164), concurrency 32, client pacing off.
# In the same run: the same job as a Python asyncio + aiohttp script (link_from_csv.py),
# and wrk posting links to the same endpoint (Benchmarks/sandbox/link.lua). Then the same
# two jobs with 20 ms of sandbox latency, against the ideal ROWS x 20 ms / 32.
# Each job runs under /usr/bin/time -v (wall time, peak RSS) on a freshly reset sandbox,
# and the end state is checked: every row's link is in the sandbox's link table.
# Usage: Benchmarks/bulk/run.sh [path/to/release/flireo] [rows] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-.build-release/release/flireo}")
ROWS=${2:-10000}
ROUNDS=${3:-3}
KEY=sk_bench_key
WORK=$(mktemp -d)
"$BIN" sandbox serve --port 0 --seed 1 --assistants "$ROWS" --numbers $((ROWS * 2)) --api-key "$KEY" >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 200); do grep -q '^listening on ' "$WORK/out" && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' "$WORK/out")
mkdir -p "$WORK/config/flireo"
printf '[default]\nrate_limit = off\n' >"$WORK/config/flireo/config"
export FLIREO_BASE_URL=$URL FLIREO_API_KEY=$KEY XDG_CONFIG_HOME=$WORK/config

# The rows, the assistant ids for wrk, and the default number wrk links.
python3 - "$URL" "$KEY" "$WORK" <<'PY'
import json, sys, urllib.request
url, key, work = sys.argv[1:4]
def get(path):
    request = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + key})
    return json.load(urllib.request.urlopen(request))
def every(path):
    items = []
    while True:
        page = get(f"{path}{'&' if '?' in path else '?'}limit=100&offset={len(items)}")
        items += page["data"]
        if not page["data"] or len(items) >= page["meta"]["total"]:
            return items
assistants = every("/v1/assistants")
free = [n for n in every("/v1/phone-numbers") if n["available"]]
with open(f"{work}/rows.csv", "w") as f:
    f.write("assistant_id,phone_number\n")
    for i, (a, n) in enumerate(zip(assistants, free)):
        f.write(f"{a['id']},{n['phone_number'] if i % 2 else n['id']}\n")
with open(f"{work}/ids", "w") as f:
    f.write("\n".join(a["id"] for a in assistants[:2000]) + "\n")
with open(f"{work}/default", "w") as f:
    f.write(get("/_sandbox/fixture")["data"]["default_numbers"][0])
print(f"rows: {min(len(assistants), len(free))}", file=sys.stderr)
PY

reset() { curl -sf -X POST "$URL/_sandbox/reset" >/dev/null; }
latency() { curl -sf -X PUT "$URL/_sandbox/faults" -H 'Content-Type: application/json' -d "{\"latency_ms\": $1}" >/dev/null; }
check() { # every row's link is in the table
  curl -sf "$URL/_sandbox/links" -H "Authorization: Bearer $KEY" >"$WORK/links.json"
  python3 - "$WORK" <<'PY'
import csv, json, sys
work = sys.argv[1]
links = {row["assistant_id"]: (row["phone_number_id"], row["number"]) for row in json.load(open(f"{work}/links.json"))["data"]}
bad = [r for r in csv.DictReader(open(f"{work}/rows.csv")) if r["phone_number"] not in links.get(r["assistant_id"], ())]
print("end state: ok" if not bad else f"end state: {len(bad)} rows not linked")
PY
}
timed() { # label command... : wall seconds, rows/s, peak RSS
  local label=$1; shift
  rm -f "$WORK/journal" "$WORK/journal.py"
  /usr/bin/time -v "$@" 2>"$WORK/time" >/dev/null || { tail -5 "$WORK/time"; return 1; }
  local wall rss summary
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$WORK/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$WORK/time")
  summary=$(grep -E 'done, .* failed' "$WORK/time" | tail -1)
  printf '%-34s wall %6.2f s  %7.0f rows/s  peak RSS %6s MB  | %s | %s\n' "$label" "$wall" \
    "$(awk -v r="$ROWS" -v w="$wall" 'BEGIN {print r / w}')" "$rss" "$summary" "$(check)"
}
flireo_job() { timed "flireo link-from-csv -c 32" "$BIN" run link-from-csv --yes -c 32 --journal "$WORK/journal" "$WORK/rows.csv"; }
python_job() { timed "python asyncio+aiohttp, 32" python3 Benchmarks/bulk/link_from_csv.py "$WORK/rows.csv" "$WORK/journal.py" --concurrency 32; }

echo "== no latency, $ROWS rows, $ROUNDS rounds =="
for round in $(seq "$ROUNDS"); do
  reset; flireo_job
  reset; python_job
  reset
  wrk -t2 -c32 -d10s -s Benchmarks/sandbox/link.lua "$URL" -- "$WORK/ids" "$(cat "$WORK/default")" "$KEY" \
    | awk '/^Requests\/sec/ {printf "%-34s %7.0f req/s (POST /v1/assistants/{id}/phone-number, 10 s)\n", "wrk -t2 -c32", $2}'
done
echo "== 20 ms latency: ideal $ROWS x 0.020 / 32 = $(awk -v r="$ROWS" 'BEGIN {printf "%.2f", r * 0.02 / 32}') s =="
latency 20
for round in $(seq "$ROUNDS"); do
  reset; flireo_job
  reset; python_job
done
