#!/usr/bin/env bash
# Peak memory of reading a journal of ROWS steps back (issue 7): --resume of a finished
# link-from-csv run ("nothing left to do") and undo --dry-run of it, for a new and an old
# binary in turn, twice. The journal comes from a real run on a sandbox of ROWS assistants.
# Usage: Benchmarks/bulk/journal_memory.sh NEW_FLIREO OLD_FLIREO [ROWS=100000]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NEW=$1; OLD=$2; ROWS=${3:-100000}
KEY=sk_bench_key
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/config/flireo"
printf '[default]\nrate_limit = off\n' >"$WORK/config/flireo/config"
export XDG_CONFIG_HOME=$WORK/config FLIREO_API_KEY=$KEY
"$NEW" sandbox serve --port 0 --seed 1 --assistants "$ROWS" --numbers $((ROWS * 2)) --api-key "$KEY" >"$WORK/out" 2>&1 &
SERVER=$!
for _ in $(seq 400); do grep -q '^listening on ' "$WORK/out" && break; sleep 0.05; done
export FLIREO_BASE_URL=$(sed -n 's/^listening on //p' "$WORK/out")
"$NEW" run export-links --force "$WORK/export.csv" 2>/dev/null
python3 "$HERE/moving_rows.py" "$WORK" "$FLIREO_BASE_URL" "$KEY"
"$NEW" run link-from-csv --yes -c 32 --journal "$WORK/journal" "$WORK/rows.csv" >/dev/null 2>&1
peak() { awk -F': ' '/Maximum resident set size/ {printf "%.1f MB", $2 / 1024}' "$WORK/time"; }
for round in 1 2; do
for B in "$OLD" "$NEW"; do
  /usr/bin/time -v "$B" run link-from-csv --yes --resume --journal "$WORK/journal" "$WORK/rows.csv" >/dev/null 2>"$WORK/time" || true
  echo "$(basename $B) resume of the finished journal: $(peak)"
  /usr/bin/time -v "$B" run undo --dry-run "$WORK/journal" >/dev/null 2>"$WORK/time" || true
  echo "$(basename $B) undo --dry-run: $(peak) | $(grep -E 'dry run|problem' "$WORK/time" | tail -1)"
done
done
