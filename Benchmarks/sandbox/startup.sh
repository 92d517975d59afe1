#!/usr/bin/env bash
# Time from exec to the 'listening on' line, i.e. fixture generation plus bind, for fixture
# sizes of tens of thousands (issue 4: "load in well under a second"). Median of 5 runs each.
# Usage: Benchmarks/sandbox/startup.sh [path/to/release/flireo]
set -euo pipefail
BIN=${1:-.build-release/release/flireo}
measure() {
  local times=()
  for _ in 1 2 3 4 5; do
    local out; out=$(mktemp)
    local start; start=$(date +%s%N)
    "$BIN" sandbox serve --port 0 "$@" >"$out" 2>&1 &
    local pid=$!
    until grep -q '^listening on ' "$out"; do sleep 0.002; done
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$out"
  done
  printf '%-60s median %s ms (runs: %s)\n' "$*" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" "${times[*]}"
}
measure --assistants 0 --numbers 0
measure --assistants 20000 --numbers 20000
measure --assistants 50000 --numbers 50000
measure --assistants 20000 --numbers 20000 --api-key a --api-key b --api-key c
