#!/usr/bin/env bash
# Peak memory of link-from-csv (issue 7) by row count: for each ROWS, a release-built
# sandbox with ROWS assistants and 2 x ROWS numbers, every assistant moved onto a free
# number (concurrency 32, pacing off), under /usr/bin/time -v. Then the 1,000,000-row
# bad-input case: a CSV whose last row is malformed is read to the end (streaming) and
# refused before any request.
# Each size runs ROUNDS times (default 3, environment) on a reset sandbox: peak RSS moves
# by tens of MB between runs with the garbage collector's timing.
# Usage: [ROUNDS=3] Benchmarks/bulk/memory.sh [path/to/release/flireo] [rows...]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-.build-release/release/flireo}")
shift || true
SIZES=("${@:-10000 100000}")
KEY=sk_bench_key
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
SERVER=
mkdir -p "$WORK/config/flireo"
printf '[default]\nrate_limit = off\n' >"$WORK/config/flireo/config"
export XDG_CONFIG_HOME=$WORK/config FLIREO_API_KEY=$KEY

peak() { awk -F': ' '/Maximum resident set size/ {printf "%.1f MB", $2 / 1024}' "$WORK/time"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time"; }

for ROWS in ${SIZES[@]}; do
  "$BIN" sandbox serve --port 0 --seed 1 --assistants "$ROWS" --numbers $((ROWS * 2)) --api-key "$KEY" >"$WORK/out" 2>&1 &
  SERVER=$!
  for _ in $(seq 400); do grep -q '^listening on ' "$WORK/out" && break; sleep 0.05; done
  export FLIREO_BASE_URL=$(sed -n 's/^listening on //p' "$WORK/out")
  curl -sf "$FLIREO_BASE_URL/_sandbox/links" -H "Authorization: Bearer $KEY" >/dev/null
  # Every assistant onto a free number (ids read from the export).
  "$BIN" run export-links --force "$WORK/export.csv" 2>/dev/null
  python3 "$HERE/moving_rows.py" "$WORK" "$FLIREO_BASE_URL" "$KEY"
  for _ in $(seq "${ROUNDS:-3}"); do
    curl -sf -X POST "$FLIREO_BASE_URL/_sandbox/reset" >/dev/null
    rm -f "$WORK/journal"
    /usr/bin/time -v "$BIN" run link-from-csv --yes -c 32 --journal "$WORK/journal" "$WORK/rows.csv" >/dev/null 2>"$WORK/time"
    echo "link-from-csv $ROWS rows: peak RSS $(peak), wall $(wall) | $(grep -E 'done, .* failed' "$WORK/time")"
  done
  kill $SERVER; wait $SERVER 2>/dev/null || true
done

# 1,000,000 rows, the last one malformed: streamed to the end, refused, nothing sent.
python3 - "$WORK" <<'PY'
import sys, uuid
with open(f"{sys.argv[1]}/million.csv", "w") as f:
    f.write("assistant_id,phone_number\n")
    for i in range(1_000_000):
        f.write(f"{uuid.UUID(int=i + 1)},+3120{i:07d}\n")
    f.write("not-a-uuid,+31201234567\n")
PY
export FLIREO_BASE_URL=http://127.0.0.1:9
/usr/bin/time -v "$BIN" run link-from-csv --yes "$WORK/million.csv" >/dev/null 2>"$WORK/time" || true
echo "link-from-csv 1,000,000 rows + 1 bad: peak RSS $(peak), wall $(wall) | $(grep -E 'problem' "$WORK/time" | tail -2 | tr '\n' ' ')"
