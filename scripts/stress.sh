#!/usr/bin/env bash
# The lifecycle under load: saturates both cores with busy loops, runs the fault-matrix and lifecycle suites N
# times in a row (default 20; `--runs N`), stops the busy loops, and prints how many runs passed and failed.
# A run fails when any test of it fails. Logs of failed runs are kept under tmp/stress/ for reading.
set -uo pipefail
cd "$(dirname "$0")/.."

runs=20
busy=2
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --busy) busy="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--busy LOOPS]" >&2; exit 2 ;;
  esac
done

suites=(test/engine/fault-matrix.test.ts test/engine/lifecycle.test.ts test/engine/lifecycle-machine.test.ts)
logs="$PWD/tmp/stress"
rm -rf "$logs" && mkdir -p "$logs"

loops=()
stop_loops() {
  for pid in "${loops[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${loops[@]}"; do wait "$pid" 2>/dev/null; done
  loops=()
}
trap stop_loops EXIT
for _ in $(seq "$busy"); do
  sh -c 'while :; do :; done' &
  loops+=("$!")
done
echo "stress: ${#loops[@]} busy loops (pids ${loops[*]}), $runs runs of ${suites[*]}"

passed=0
failed=0
for run in $(seq "$runs"); do
  log="$logs/run-$run.log"
  start=$(date +%s)
  if npx jest --ci --coverage=false "${suites[@]}" >"$log" 2>&1; then
    passed=$((passed + 1))
    rm -f "$log"
    echo "run $run/$runs: passed ($(( $(date +%s) - start )) s)"
  else
    failed=$((failed + 1))
    echo "run $run/$runs: FAILED ($(( $(date +%s) - start )) s), log: $log"
    grep -E '^\s+● ' "$log" | sort -u | sed 's/^/    /'
  fi
done
stop_loops

echo "stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
